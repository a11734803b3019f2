//! Random secrets handed out once (share links, session cookies, API keys, the
//! setup link) and the SHA-256 under which the secret ones are stored. They carry
//! at least 128 random bits, so a fast hash is enough: nobody can guess their way back.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// `BYTES` random bytes from the OS, URL-safe base64 without padding.
pub fn random_token<const BYTES: usize>() -> String {
    let mut bytes = [0u8; BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// 256 bits: sessions, API keys, the setup link.
pub fn new_secret() -> String {
    random_token::<32>()
}

pub fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}
