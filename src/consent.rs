//! The customer's side of an authorization: an unguessable consent link and a verification code
//! delivered through the outbox. Randomness comes from the caller (the platform's CSPRNG).

use crate::error::{ApiError, Code};
use crate::grants::{CustomerAuthorization, GrantState};
use crate::ids::{hex, AuthorizationId};
use crate::time::Timestamp;
use sha2::{Digest, Sha256};

/// How long a verification code is valid, in seconds.
pub const CODE_TTL: i64 = 30 * 60;
/// Wrong codes allowed before the code is locked and a new one must be sent.
pub const MAX_CODE_ATTEMPTS: i64 = 5;
/// Consent tokens are `ct_` + 64 hex digits (256 random bits).
pub const TOKEN_PREFIX: &str = "ct_";

/// A new consent token from 32 random bytes.
pub fn new_token(random: &[u8; 32]) -> String {
    format!("{TOKEN_PREFIX}{}", hex(random))
}

/// Whether `s` looks like a consent token (cheap check before any lookup).
pub fn is_token(s: &str) -> bool {
    s.len() == TOKEN_PREFIX.len() + 64 && s.starts_with(TOKEN_PREFIX) && s[TOKEN_PREFIX.len()..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// The stored form of a consent token: hex SHA-256.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// A 6-digit code from 4 random bytes, and its stored hash (bound to the authorization id).
pub fn new_code(random: [u8; 4], auth: &AuthorizationId) -> (String, String) {
    let n = u32::from_le_bytes(random) % 1_000_000;
    let code = format!("{n:06}");
    let h = code_hash(auth, &code);
    (code, h)
}

/// The stored form of a code: hex SHA-256 of `auth_id:code`.
pub fn code_hash(auth: &AuthorizationId, code: &str) -> String {
    hex(&Sha256::digest(format!("{}:{code}", auth.as_str()).as_bytes()))
}

/// Equality that takes the same time whatever the contents (for equal lengths).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The verification code as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeState {
    pub hash: String,
    pub expires_at: Timestamp,
    pub attempts: i64,
}

/// The outcome of checking a code; `Wrong` must be recorded (an attempt is used).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeCheck {
    Correct,
    Wrong { attempts_left: i64 },
}

/// Checks `given` against the stored code. Fails with `verification_code_locked` after
/// [`MAX_CODE_ATTEMPTS`] wrong tries and `verification_code_expired` after [`CODE_TTL`].
pub fn check_code(state: &CodeState, auth: &AuthorizationId, given: &str, now: Timestamp) -> Result<CodeCheck, ApiError> {
    if state.attempts >= MAX_CODE_ATTEMPTS {
        return Err(ApiError::new(Code::VerificationCodeLocked));
    }
    if now >= state.expires_at {
        return Err(ApiError::new(Code::VerificationCodeExpired));
    }
    if constant_time_eq(code_hash(auth, given).as_bytes(), state.hash.as_bytes()) {
        Ok(CodeCheck::Correct)
    } else {
        Ok(CodeCheck::Wrong { attempts_left: MAX_CODE_ATTEMPTS - state.attempts - 1 })
    }
}

/// The error for a wrong code, saying how many tries remain.
pub fn wrong_code_error(attempts_left: i64) -> ApiError {
    let code = if attempts_left <= 0 { Code::VerificationCodeLocked } else { Code::VerificationCodeInvalid };
    ApiError::with_message(code, format!("The verification code is wrong; {attempts_left} attempt(s) left."))
        .with_data(serde_json::json!({"attempts_left": attempts_left}))
}

/// Whether the customer may still approve or reject through the link: only while pending.
/// Fails with `consent_already_decided` or `consent_expired`.
pub fn may_decide(auth: &CustomerAuthorization, now: Timestamp) -> Result<(), ApiError> {
    match auth.state(now) {
        GrantState::Pending => Ok(()),
        GrantState::RequestExpired => Err(ApiError::new(Code::ConsentExpired)),
        _ => Err(ApiError::new(Code::ConsentAlreadyDecided)),
    }
}

/// Whether the customer may revoke: only an active authorization (`authorization_not_active`).
pub fn may_revoke(auth: &CustomerAuthorization, now: Timestamp) -> Result<(), ApiError> {
    match auth.state(now) {
        GrantState::Active => Ok(()),
        _ => Err(ApiError::new(Code::AuthorizationNotActive)),
    }
}

/// Shortest time between two codes for the same request, in seconds.
pub const RESEND_INTERVAL: i64 = 60;

/// Whether a new code may be sent now: only while the request is pending, and at most one code per
/// [`RESEND_INTERVAL`] (`rate_limited`).
pub fn may_resend(auth: &CustomerAuthorization, code: &CodeState, now: Timestamp) -> Result<(), ApiError> {
    may_decide(auth, now)?;
    let issued_at = code.expires_at.plus(-CODE_TTL);
    if now < issued_at.plus(RESEND_INTERVAL) {
        return Err(ApiError::with_message(Code::RateLimited, "A code was sent less than a minute ago."));
    }
    Ok(())
}

/// The consent link sent to the customer; the token travels in the fragment, so it never
/// reaches a server log.
pub fn link(origin: &str, token: &str) -> String {
    format!("{}/consent.html#token={token}", origin.trim_end_matches('/'))
}

#[cfg(test)]
mod tests;
