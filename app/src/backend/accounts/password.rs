//! Password hashing with argon2id (the crate's defaults: OWASP's recommended
//! 19 MiB, 2 passes). Hashing takes tens of milliseconds of CPU, so it runs off
//! the async workers.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;

use crate::error::AppError;

/// The PHC string (`$argon2id$v=19$…`) of `password` with a fresh salt.
pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_now(&password)).await.map_err(|error| {
        tracing::error!(%error, "password hashing task failed");
        AppError::Internal
    })?
}

fn hash_now(password: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|error| {
        tracing::error!(%error, "cannot encode a salt");
        AppError::Internal
    })?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|hash| hash.to_string()).map_err(
        |error| {
            tracing::error!(%error, "cannot hash a password");
            AppError::Internal
        },
    )
}

/// Whether `password` matches `stored`. With no stored hash (unknown account) it
/// checks against a dummy, so both cases take the same time and reveal nothing.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    let outcome = tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.as_deref().or_else(|| dummy_hash().map(String::as_str));
        let matches = stored
            .and_then(|stored| PasswordHash::new(stored).ok())
            .is_some_and(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok());
        known && matches
    })
    .await;
    outcome.unwrap_or(false)
}

fn dummy_hash() -> Option<&'static String> {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    DUMMY.get_or_init(|| hash_now("not a password anyone has").ok()).as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse battery".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(verify("correct horse battery".into(), Some(stored.clone())).await);
        assert!(!verify("correct horse battery!".into(), Some(stored.clone())).await);
        assert!(!verify("correct horse battery".into(), None).await);
        assert_ne!(stored, hash("correct horse battery".into()).await.unwrap(), "salted");
    }
}
