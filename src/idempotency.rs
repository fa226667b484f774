//! Idempotent order creation (IETF draft "The Idempotency-Key HTTP Header Field"): a key is
//! required; the same key with the same body replays the stored answer; with another body it is
//! 422; while the first request is still running it is 409. Keys are scoped to the partner and the
//! customer and kept at least 24 hours.

use crate::error::{ApiError, Code};
use serde_json::Value;

/// How long a key is remembered, seconds.
pub const RETENTION: i64 = 24 * 60 * 60;
/// After this long an `in_flight` key may be claimed again, seconds: its request died before its
/// write batch (which marks the key done in the same transaction), so nothing was written for it.
pub const STALE_IN_FLIGHT: i64 = 5 * 60;

/// Reads the `Idempotency-Key` header: 1-255 visible ASCII characters (quotes of a structured-field
/// string are accepted and removed); `idempotency_key_required` otherwise.
pub fn key(header: Option<&str>) -> Result<String, ApiError> {
    let raw = header.map(str::trim).unwrap_or_default();
    let k = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')).unwrap_or(raw);
    if k.is_empty() || k.len() > 255 || !k.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::new(Code::IdempotencyKeyRequired));
    }
    Ok(k.to_string())
}

/// The fingerprint of a request body: SHA-256 of its JSON as parsed (so whitespace does not matter).
pub fn fingerprint(body: &Value) -> String {
    use sha2::{Digest, Sha256};
    crate::ids::hex(&Sha256::digest(body.to_string().as_bytes()))
}

/// What is stored under a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// The first request is still running.
    InFlight { fingerprint: String },
    /// It finished with this answer.
    Done { fingerprint: String, status: u16, body: String },
}

/// What to do with a request whose key is already stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Answer with the stored status and body, `Idempotency-Replayed: true`.
    Replay { status: u16, body: String },
}

/// Decides for a request with `fingerprint` whose key is already stored: replay, or
/// `idempotency_key_reused` (422, another body) / `idempotency_key_in_flight` (409).
pub fn decide(stored: &Stored, fingerprint: &str) -> Result<Decision, ApiError> {
    match stored {
        Stored::InFlight { fingerprint: f } | Stored::Done { fingerprint: f, .. } if f != fingerprint => {
            Err(ApiError::new(Code::IdempotencyKeyReused))
        }
        Stored::InFlight { .. } => Err(ApiError::new(Code::IdempotencyKeyInFlight)),
        Stored::Done { status, body, .. } => Ok(Decision::Replay { status: *status, body: body.clone() }),
    }
}

#[cfg(test)]
mod tests;
