//! Generating a code: reuse a stored one, or ask WeChat and store the answer.

use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use wxacode::{CodeRequest, WeChatClient};

use super::keyed_lock::KeyedLock;
use super::store::{self, NewCode, StoreError};
use crate::error::AppError;
use crate::models::{CodeSummary, GeneratedCode};

pub struct CodeService {
    pool: SqlitePool,
    wechat: Arc<WeChatClient>,
    // A double-click or two colleagues asking for the same code: one WeChat call.
    in_flight: KeyedLock,
}

impl CodeService {
    pub fn new(pool: SqlitePool, wechat: Arc<WeChatClient>) -> Self {
        Self {
            pool,
            wechat,
            in_flight: KeyedLock::default(),
        }
    }

    /// Returns the stored code for these parameters, or generates and stores a
    /// new one (always when `force`). Nothing is stored when WeChat fails.
    #[tracing::instrument(name = "codes.generate", skip_all, fields(scene = request.scene.as_str(), force))]
    pub async fn generate(
        &self,
        request: &CodeRequest,
        force: bool,
    ) -> Result<GeneratedCode, AppError> {
        let _same_request = if force {
            None
        } else {
            Some(self.in_flight.lock(&request.dedupe_key()).await)
        };
        if !force {
            if let Some(code) = store::find_same(&self.pool, request)
                .await
                .map_err(internal)?
            {
                tracing::info!(id = code.id, "reused stored code");
                return Ok(GeneratedCode { code, reused: true });
            }
        }
        let image = self
            .wechat
            .get_unlimited_code(request)
            .await
            .map_err(|error| {
                tracing::warn!(error = %error, errcode = error.errcode(), "WeChat call failed");
                AppError::from(error)
            })?;
        let new = NewCode {
            request,
            sha256: hex::encode(Sha256::digest(&image.bytes)),
            image: &image,
            share_token: new_share_token(),
            created_at: chrono::Utc::now(),
        };
        let code = store::insert(&self.pool, new).await.map_err(internal)?;
        tracing::info!(id = code.id, bytes = code.byte_size, "stored new code");
        Ok(GeneratedCode {
            code,
            reused: false,
        })
    }

    pub async fn get(&self, id: i64) -> Result<CodeSummary, AppError> {
        store::get(&self.pool, id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)
    }

    pub async fn list(
        &self,
        limit: u32,
        before: Option<i64>,
    ) -> Result<Vec<CodeSummary>, AppError> {
        store::list(&self.pool, limit, before)
            .await
            .map_err(internal)
    }

    pub async fn image(&self, id: i64) -> Result<(CodeSummary, Vec<u8>), AppError> {
        let code = self.get(id).await?;
        let bytes = store::image_bytes(&self.pool, id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        Ok((code, bytes))
    }
}

/// 128 random bits from the OS, URL-safe.
pub fn new_share_token() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Logs the full cause; the caller only learns that something failed.
pub fn internal(error: StoreError) -> AppError {
    tracing::error!(error = ?error, "database error");
    AppError::Internal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_tokens_carry_128_bits_and_are_url_safe() {
        let token = new_share_token();
        assert_eq!(token.len(), 22);
        assert!(
            token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "{token}"
        );
        assert_ne!(token, new_share_token());
    }
}
