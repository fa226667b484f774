//! The writes of the consent link whose preconditions are held by the statements themselves: a
//! guess is claimed (counted) before the code is compared, so concurrent guesses can never evaluate
//! more than [`MAX_CODE_ATTEMPTS`] per code or [`MAX_GUESSES`] per request; a new code is sent only
//! within the resend interval and the code budget; an approval needs the very code it guessed.

use super::{SqlValue, Statement};
use crate::consent::{
    CodeState, CODE_TTL, MAX_CODES, MAX_CODE_ATTEMPTS, MAX_GUESSES, MAX_WRONG_GUESSES, RESEND_INTERVAL,
};
use crate::grants::CONSENT_LINK_TTL;
use crate::ids::AuthorizationId;
use crate::time::Timestamp;

fn text(s: impl Into<String>) -> SqlValue {
    SqlValue::Text(s.into())
}

/// Claims one guess against the code stored as `hash`: counts it, if the request is pending and
/// unlapsed, the code unexpired and not locked, and guesses are left. Returns the counters after the
/// claim (`code_attempts`, `guesses`) as one row when the claim succeeded, no row otherwise.
pub fn claim_guess(id: &AuthorizationId, hash: &str, now: Timestamp) -> Statement {
    Statement {
        sql: "UPDATE authorizations SET code_attempts = code_attempts + 1, guesses = guesses + 1
              WHERE id = ?1 AND status = 'pending' AND code_hash = ?2 AND code_attempts < ?3 AND guesses < ?4
                AND code_expires_at > ?5 AND requested_at > ?6
              RETURNING code_attempts, guesses, codes_sent"
            .into(),
        params: vec![
            text(id.as_str()),
            text(hash),
            SqlValue::Int(MAX_CODE_ATTEMPTS),
            SqlValue::Int(MAX_GUESSES),
            text(now.to_string()),
            text(now.plus(-CONSENT_LINK_TTL).to_string()),
        ],
    }
}

/// Records that a claimed guess was wrong; returns the request's wrong guesses so far.
pub fn record_wrong(id: &AuthorizationId) -> Statement {
    Statement {
        sql: "UPDATE authorizations SET wrong_guesses = wrong_guesses + 1 WHERE id = ?1 RETURNING wrong_guesses".into(),
        params: vec![text(id.as_str())],
    }
}

/// Locks a pending request that has had [`MAX_WRONG_GUESSES`] wrong guesses (changes no row otherwise).
pub fn lock_if_exhausted(id: &AuthorizationId, now: Timestamp) -> Statement {
    Statement {
        sql:
            "UPDATE authorizations SET status = 'locked', decided_at = ?2, reason = 'Too many wrong verification codes.'
              WHERE id = ?1 AND status = 'pending' AND wrong_guesses >= ?3"
                .into(),
        params: vec![text(id.as_str()), text(now.to_string()), SqlValue::Int(MAX_WRONG_GUESSES)],
    }
}

/// Replaces the code of a pending request with `next`, if a minute has passed since the current code
/// was sent, fewer than [`MAX_CODES`] codes were sent and guesses are left (changes no row otherwise).
/// With `link` (a new consent token's hash, the partner's resend), the old link stops working too.
pub fn replace_code(id: &AuthorizationId, next: &CodeState, now: Timestamp, link: Option<&str>) -> Statement {
    Statement {
        sql: "UPDATE authorizations SET code_hash = ?2, code_expires_at = ?3, code_attempts = 0, codes_sent = codes_sent + 1,
                consent_token_hash = COALESCE(?8, consent_token_hash)
              WHERE id = ?1 AND status = 'pending' AND requested_at > ?4 AND code_expires_at <= ?5 AND codes_sent < ?6 AND guesses < ?7"
            .into(),
        params: vec![
            text(id.as_str()),
            text(next.hash.as_str()),
            text(next.expires_at.to_string()),
            text(now.plus(-CONSENT_LINK_TTL).to_string()),
            // The current code was sent at code_expires_at - CODE_TTL; a new one may follow a minute later.
            text(now.plus(CODE_TTL - RESEND_INTERVAL).to_string()),
            SqlValue::Int(MAX_CODES),
            SqlValue::Int(MAX_GUESSES),
            link.map_or(SqlValue::Null, text),
        ],
    }
}

#[cfg(test)]
mod tests;
