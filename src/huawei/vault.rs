//! Secrets at rest: the partner's Huawei secret access key and the temporary credentials of a
//! session are sealed with AES-256-GCM under the deployment's key (`wrangler secret put
//! VAULT_KEY`, 64 hex characters). A sealed value names the key it was sealed with, so a rotated
//! key is reported as such (re-enter the secret) instead of as tampering.

use crate::error::{ApiError, Code};
use crate::ids::hex;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use sha2::{Digest, Sha256};

/// The deployment's sealing key.
#[derive(Clone)]
pub struct Vault {
    cipher: Aes256Gcm,
    key_id: String,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Vault({})", self.key_id)
    }
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok()).collect()
}

fn fault(message: &str) -> ApiError {
    ApiError::with_message(Code::Internal, message)
}

impl Vault {
    /// From the secret's text: exactly 32 bytes as 64 hex characters.
    pub fn from_hex(secret: &str) -> Result<Self, ApiError> {
        let key = unhex(secret.trim())
            .filter(|k| k.len() == 32)
            .ok_or_else(|| fault("VAULT_KEY must be 64 hex characters (32 bytes)."))?;
        let cipher = Aes256Gcm::new_from_slice(&key).map_err(|_| fault("VAULT_KEY is unusable."))?;
        Ok(Vault { cipher, key_id: hex(&Sha256::digest(&key)[..4]) })
    }

    /// The key's public name (first 4 bytes of its SHA-256).
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// Seals `plain` bound to `context` (e.g. the partner id: a sealed value copied to another row
    /// does not open), with a fresh random `nonce` from the caller. Text: `v1.<key id>.<nonce>.<ciphertext>`.
    pub fn seal(&self, nonce: [u8; 12], context: &str, plain: &[u8]) -> Result<String, ApiError> {
        let ct = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: plain, aad: context.as_bytes() })
            .map_err(|_| fault("sealing failed"))?;
        Ok(format!("v1.{}.{}.{}", self.key_id, hex(&nonce), hex(&ct)))
    }

    /// Opens a value sealed by [`Vault::seal`] under the same `context`. A value sealed under
    /// another key is `None` (the key was rotated: the secret must be set again); a tampered value
    /// is an error.
    pub fn open(&self, sealed: &str, context: &str) -> Result<Option<Vec<u8>>, ApiError> {
        let parts: Vec<&str> = sealed.split('.').collect();
        let [v, key_id, nonce, ct] = parts.as_slice() else { return Err(fault("a sealed value is malformed")) };
        if *v != "v1" {
            return Err(fault("a sealed value has an unknown version"));
        }
        if *key_id != self.key_id {
            return Ok(None);
        }
        let (Some(nonce), Some(ct)) = (unhex(nonce).filter(|n| n.len() == 12), unhex(ct)) else {
            return Err(fault("a sealed value is malformed"));
        };
        self.cipher
            .decrypt(Nonce::from_slice(&nonce), Payload { msg: &ct, aad: context.as_bytes() })
            .map(Some)
            .map_err(|_| fault("a sealed value does not open (tampered, or sealed for another row)"))
    }
}

#[cfg(test)]
mod tests;
