//! Idempotent order creation (IETF draft "The Idempotency-Key HTTP Header Field"): a key is
//! required; the same key with the same body replays the stored answer; with another body it is
//! 422; while the first request is still running it is 409. Keys are scoped to the partner and the
//! customer and kept at least 24 hours.

use crate::error::{ApiError, Code};
use serde_json::Value;

/// How long a key is remembered, seconds.
pub const RETENTION: i64 = 24 * 60 * 60;

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
        Stored::InFlight { fingerprint: f } | Stored::Done { fingerprint: f, .. } if f != fingerprint => Err(ApiError::new(Code::IdempotencyKeyReused)),
        Stored::InFlight { .. } => Err(ApiError::new(Code::IdempotencyKeyInFlight)),
        Stored::Done { status, body, .. } => Ok(Decision::Replay { status: *status, body: body.clone() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_required_and_printable() {
        assert_eq!(key(Some("abc-123")).ok().as_deref(), Some("abc-123"));
        assert_eq!(key(Some("\"8e03978e-40d5-43e8-bc93-6894a57f9324\"")).ok().as_deref(), Some("8e03978e-40d5-43e8-bc93-6894a57f9324"));
        for bad in [None, Some(""), Some("a b"), Some("\"\""), Some("é")] {
            assert_eq!(key(bad).err().map(|e| e.code), Some(Code::IdempotencyKeyRequired), "{bad:?}");
        }
        assert!(key(Some(&"x".repeat(256))).is_err());
    }

    #[test]
    fn same_body_replays_another_body_is_422_running_is_409() {
        let done = Stored::Done { fingerprint: "f1".into(), status: 201, body: "{}".into() };
        assert_eq!(decide(&done, "f1").ok(), Some(Decision::Replay { status: 201, body: "{}".into() }));
        assert_eq!(decide(&done, "f2").err().map(|e| e.http_status()), Some(422));
        let running = Stored::InFlight { fingerprint: "f1".into() };
        assert_eq!(decide(&running, "f1").err().map(|e| e.http_status()), Some(409));
        assert_eq!(decide(&running, "f2").err().map(|e| e.http_status()), Some(422));
        assert_eq!(fingerprint(&serde_json::json!({"a": 1})), fingerprint(&serde_json::from_str("{ \"a\" :  1 }").unwrap_or_default()));
    }
}
