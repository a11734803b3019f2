//! AppSecrets at rest: sealed with XChaCha20-Poly1305 under `WXACODE_SECRET_KEY`, the AppID
//! as associated data (a sealed secret moved to another app's row does not open).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use secrecy::{ExposeSecret, SecretString};

const NONCE_BYTES: usize = 24;

/// The 256-bit key; never printed.
#[derive(Clone)]
pub struct SecretKey(XChaCha20Poly1305);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error("WXACODE_SECRET_KEY must be 32 random bytes, base64 (openssl rand -base64 32) or 64 hex digits")]
    Malformed,
}

/// A sealed secret that does not open: another key, or a damaged row.
#[derive(Debug, thiserror::Error)]
#[error("the stored AppSecret of {appid} does not open with WXACODE_SECRET_KEY (was the key changed?)")]
pub struct Unopenable {
    pub appid: String,
}

impl SecretKey {
    /// From the variable's text: base64 of 32 bytes, or 64 hex digits.
    pub fn parse(raw: &str) -> Result<Self, KeyError> {
        let raw = raw.trim();
        let bytes = match raw.len() {
            64 => hex::decode(raw).map_err(|_| KeyError::Malformed)?,
            _ => STANDARD.decode(raw).map_err(|_| KeyError::Malformed)?,
        };
        let key: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Malformed)?;
        Ok(Self(XChaCha20Poly1305::new(&key.into())))
    }

    pub fn seal(&self, appid: &str, secret: &str) -> Vec<u8> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let payload = Payload { msg: secret.as_bytes(), aad: appid.as_bytes() };
        // Encryption only fails for messages of many gigabytes.
        let sealed = self.0.encrypt(&nonce, payload).unwrap_or_default();
        [nonce.as_slice(), &sealed].concat()
    }

    pub fn open(&self, appid: &str, sealed: &[u8]) -> Result<SecretString, Unopenable> {
        let unopenable = || Unopenable { appid: appid.to_owned() };
        if sealed.len() <= NONCE_BYTES {
            return Err(unopenable());
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_BYTES);
        let payload = Payload { msg: ciphertext, aad: appid.as_bytes() };
        let plain = self.0.decrypt(XNonce::from_slice(nonce), payload).map_err(|_| unopenable())?;
        let text = String::from_utf8(plain).map_err(|_| unopenable())?;
        Ok(SecretString::from(text))
    }
}

/// Exposes a secret only to compare it in tests and to hand it to the WeChat client.
pub fn reveal(secret: &SecretString) -> &str {
    secret.expose_secret()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_its_appid() {
        let key = SecretKey::parse(KEY).unwrap();
        let sealed = key.seal("wx00000000000000a1", "shop-secret");
        assert!(!sealed.windows(11).any(|w| w == b"shop-secret"), "never in clear");
        assert_ne!(sealed, key.seal("wx00000000000000a1", "shop-secret"), "a fresh nonce each time");
        assert_eq!(reveal(&key.open("wx00000000000000a1", &sealed).unwrap()), "shop-secret");
        assert!(key.open("wx00000000000000b2", &sealed).is_err(), "moved to another app");
        let other = SecretKey::parse(&"ab".repeat(32)).unwrap();
        assert!(other.open("wx00000000000000a1", &sealed).is_err());
        assert!(key.open("wx00000000000000a1", &sealed[..10]).is_err());
    }

    #[test]
    fn the_key_is_32_bytes_in_base64_or_hex() {
        assert!(SecretKey::parse(&"0f".repeat(32)).is_ok());
        for bad in ["", "short", "MDEy", &"zz".repeat(32), &"0f".repeat(31)] {
            assert_eq!(SecretKey::parse(bad).unwrap_err(), KeyError::Malformed, "{bad:?}");
        }
        assert!(!format!("{:?}", SecretKey::parse(KEY).unwrap()).contains(KEY));
    }
}
