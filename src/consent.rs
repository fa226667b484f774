//! The customer's side of an authorization: an unguessable consent link and a verification code
//! delivered through the outbox. Randomness comes from the caller (the platform's CSPRNG).

use crate::error::{ApiError, Code};
use crate::grants::{AuthStatus, CustomerAuthorization, GrantState};
use crate::ids::{hex, AuthorizationId};
use crate::time::Timestamp;
use sha2::{Digest, Sha256};

/// How long a verification code is valid, in seconds.
pub const CODE_TTL: i64 = 30 * 60;
/// Guesses evaluated against one code; then it is locked and a new one must be sent.
pub const MAX_CODE_ATTEMPTS: i64 = 5;
/// Guesses evaluated over a request's whole life, whatever the number of codes.
pub const MAX_GUESSES: i64 = 10;
/// Wrong guesses after which the request is locked (status `locked`): the partner must ask again.
pub const MAX_WRONG_GUESSES: i64 = 10;
/// Codes a request may send (the first one included).
pub const MAX_CODES: i64 = 5;
/// Consent tokens are `ct_` + 64 hex digits (256 random bits).
pub const TOKEN_PREFIX: &str = "ct_";

/// A new consent token from 32 random bytes.
pub fn new_token(random: &[u8; 32]) -> String {
    format!("{TOKEN_PREFIX}{}", hex(random))
}

/// Whether `s` looks like a consent token (cheap check before any lookup).
pub fn is_token(s: &str) -> bool {
    s.len() == TOKEN_PREFIX.len() + 64
        && s.starts_with(TOKEN_PREFIX)
        && s[TOKEN_PREFIX.len()..].bytes().all(|b| b.is_ascii_hexdigit())
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

/// The verification code as stored, with the request's counters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeState {
    pub hash: String,
    pub expires_at: Timestamp,
    /// Guesses claimed against this code.
    pub attempts: i64,
    /// Codes sent for the request, this one included.
    pub codes_sent: i64,
    /// Guesses claimed over the request's life.
    pub guesses: i64,
}

impl CodeState {
    /// A fresh code's state (no guesses yet), `codes_sent` codes sent so far including this one.
    pub fn fresh(hash: String, now: Timestamp, codes_sent: i64) -> Self {
        CodeState { hash, expires_at: now.plus(CODE_TTL), attempts: 0, codes_sent, guesses: 0 }
    }

    /// Guesses the customer has left: for this code, and over the request.
    pub fn attempts_left(&self) -> i64 {
        (MAX_CODE_ATTEMPTS - self.attempts).min(MAX_GUESSES - self.guesses).max(0)
    }
}

/// Whether a guess may be claimed now: the request is still undecided and the code is live, not
/// locked, and the request has guesses left. The write that claims the guess holds the same
/// conditions (`sql::consent::claim_guess`); this explains a refusal.
/// Fails with `consent_already_decided`, `consent_expired`, `consent_locked`,
/// `verification_code_locked` (429, `retry_after` = seconds until a new code may be sent) or
/// `verification_code_expired`.
pub fn may_guess(auth: &CustomerAuthorization, code: &CodeState, now: Timestamp) -> Result<(), ApiError> {
    may_decide(auth, now)?;
    if code.guesses >= MAX_GUESSES {
        return Err(ApiError::new(Code::ConsentLocked));
    }
    if code.attempts >= MAX_CODE_ATTEMPTS {
        if code.codes_sent >= MAX_CODES {
            return Err(ApiError::new(Code::ConsentLocked));
        }
        let wait = resend_wait(code, now).max(1);
        return Err(ApiError::with_message(
            Code::VerificationCodeLocked,
            format!("Too many wrong codes; request a new code (possible in {wait} s)."),
        )
        .with_data(serde_json::json!({"retry_after": wait})));
    }
    if now >= code.expires_at {
        return Err(ApiError::new(Code::VerificationCodeExpired));
    }
    Ok(())
}

/// Whether `given` is the code stored as `hash` for authorization `auth` (constant time).
pub fn code_matches(hash: &str, auth: &AuthorizationId, given: &str) -> bool {
    constant_time_eq(code_hash(auth, given).as_bytes(), hash.as_bytes())
}

/// The error for a wrong code; `after` is the state once the guess was claimed.
pub fn wrong_code_error(after: &CodeState, wrong_guesses: i64) -> ApiError {
    if wrong_guesses >= MAX_WRONG_GUESSES {
        return ApiError::with_message(
            Code::ConsentLocked,
            "The verification code is wrong, and this request is now locked; ask the partner for a new request.",
        )
        .with_data(serde_json::json!({"attempts_left": 0}));
    }
    let left = after.attempts_left();
    let err = if left <= 0 {
        ApiError::new(Code::VerificationCodeLocked)
    } else {
        ApiError::new(Code::VerificationCodeInvalid)
    };
    let mut data = serde_json::json!({"attempts_left": left});
    if left <= 0 {
        data["retry_after"] = serde_json::Value::from(RESEND_INTERVAL);
    }
    ApiError { message: format!("The verification code is wrong; {left} attempt(s) left."), ..err }.with_data(data)
}

/// Whether the customer may still approve or reject through the link: only while pending.
/// Fails with `consent_already_decided` or `consent_expired`.
pub fn may_decide(auth: &CustomerAuthorization, now: Timestamp) -> Result<(), ApiError> {
    match auth.state(now) {
        GrantState::Pending => Ok(()),
        GrantState::RequestExpired => Err(ApiError::new(Code::ConsentExpired)),
        GrantState::Locked => Err(ApiError::new(Code::ConsentLocked)),
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

/// Seconds until a new code may be sent (0 or less: now).
fn resend_wait(code: &CodeState, now: Timestamp) -> i64 {
    code.expires_at.plus(-CODE_TTL).plus(RESEND_INTERVAL).unix() - now.unix()
}

/// Whether a new code may be sent now: only while the request is pending, at most one code per
/// [`RESEND_INTERVAL`] (`rate_limited`, with `retry_after`), and at most [`MAX_CODES`] codes per
/// request (`consent_locked`). The write that replaces the code holds the same conditions.
pub fn may_resend(auth: &CustomerAuthorization, code: &CodeState, now: Timestamp) -> Result<(), ApiError> {
    may_decide(auth, now)?;
    if code.codes_sent >= MAX_CODES || code.guesses >= MAX_GUESSES {
        return Err(ApiError::new(Code::ConsentLocked));
    }
    let wait = resend_wait(code, now);
    if wait > 0 {
        return Err(ApiError::with_message(
            Code::RateLimited,
            format!("A code was sent less than a minute ago; retry in {wait} s."),
        )
        .with_data(serde_json::json!({"retry_after": wait})));
    }
    Ok(())
}

/// Whether the consent link shows the customer its own account name in clear: once it approved with
/// the code sent to its mobile (and after, if it revoked); masked while the request is open or was
/// refused, withdrawn or locked.
pub fn shows_account(auth: &CustomerAuthorization) -> bool {
    matches!(auth.status, AuthStatus::Approved | AuthStatus::Revoked)
}

/// The consent link sent to the customer; the token travels in the fragment, so it never
/// reaches a server log.
pub fn link(origin: &str, token: &str) -> String {
    format!("{}/consent.html#token={token}", origin.trim_end_matches('/'))
}

#[cfg(test)]
mod tests;
