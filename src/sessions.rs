//! Switch role: a partner user acts **as the customer** for a limited time. A session starts only
//! when the prerequisite check passes, carries the real user (its source identity) and the grants it
//! relied on, and is named by a token signed with a server secret (HMAC-SHA256, verified in constant
//! time). Every request made with it runs the check again, so a revoked grant or a frozen customer
//! stops it on the next request; Switch Role ends it for good.

use crate::decode::{Decoder, Obj};
use crate::error::{ApiError, Code, Path};
use crate::ids::{hex, CustomerId, PartnerId, SessionId, UserId};
use crate::partners::Role;
use crate::portal::CredentialRef;
use crate::prerequisites::{ReliedOn, Report};
use crate::time::Timestamp;
use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::Value;
use sha2::Sha256;

/// Default session length, seconds.
pub const DEFAULT_TTL: i64 = 30 * 60;
/// Longest session, seconds.
pub const MAX_TTL: i64 = 60 * 60;
/// The token prefix.
pub const TOKEN_PREFIX: &str = "obs_";
/// What a session lets the user do as the customer.
pub const SCOPES: &[&str] = &["order"];

/// `POST /v1/customers/{id}/sessions` body: `{"minutes": 1..=60}` (default 30).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StartRequest {
    pub ttl: i64,
}

impl StartRequest {
    /// Reads the body; `validation_failed` at `["minutes"]` outside 1..=60.
    pub fn decode(v: &Value) -> Result<Self, ApiError> {
        Decoder::run(|d| {
            let mut o: Obj = d.object(v, Path::new())?;
            let minutes = d.optional_or(&mut o, "minutes", DEFAULT_TTL / 60, |d, v, p| d.int(v, &p, 1, MAX_TTL / 60));
            d.close(o);
            Some(StartRequest { ttl: minutes? * 60 })
        })
    }
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// The user pressed Switch Role.
    SwitchRole,
    /// The API key or portal token that started the session was revoked.
    CredentialRevoked,
}

impl EndReason {
    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "switch_role" => Some(Self::SwitchRole),
            "credential_revoked" => Some(Self::CredentialRevoked),
            _ => None,
        }
    }
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SwitchRole => "switch_role",
            Self::CredentialRevoked => "credential_revoked",
        }
    }
}

/// A switch-role session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub id: SessionId,
    pub customer_id: CustomerId,
    /// The partner acting.
    pub partner_id: PartnerId,
    /// The real partner user behind every action (immutable).
    pub source_user_id: UserId,
    pub source_role: Role,
    pub scopes: Vec<&'static str>,
    pub relied_on: ReliedOn,
    pub started_at: Timestamp,
    pub expires_at: Timestamp,
    pub ended_at: Option<Timestamp>,
    pub end_reason: Option<EndReason>,
    /// The credential that started the session: revoking it ends the session.
    #[serde(skip)]
    pub started_with: Option<CredentialRef>,
}

impl Session {
    /// Starts a session from a passing prerequisite report; otherwise 403 with the first blocking
    /// code, the whole report under `error.data`. A session never outlives the credential that
    /// started it: a portal token's expiry caps it (`credential_expires`).
    pub fn start(
        id: SessionId,
        report: &Report,
        req: StartRequest,
        credential: CredentialRef,
        credential_expires: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<Session, ApiError> {
        if !report.can_order {
            return Err(refusal(report));
        }
        let mut expires_at = now.plus(req.ttl.clamp(60, MAX_TTL));
        if let Some(cap) = credential_expires {
            expires_at = expires_at.min(cap);
        }
        Ok(Session {
            id,
            customer_id: report.customer_id.clone(),
            partner_id: report.actor.partner_id.clone(),
            source_user_id: report.actor.user_id.clone(),
            source_role: report.actor.role,
            scopes: SCOPES.to_vec(),
            relied_on: report.relied_on.clone(),
            started_at: now,
            expires_at,
            ended_at: None,
            end_reason: None,
            started_with: Some(credential),
        })
    }

    /// `session_ended` or `session_expired` (401) unless the session is live at `now`.
    pub fn check_live(&self, now: Timestamp) -> Result<(), ApiError> {
        if self.ended_at.is_some() {
            return Err(match self.end_reason {
                Some(EndReason::CredentialRevoked) => ApiError::with_message(
                    Code::SessionEnded,
                    "The session ended: the API key or portal token that started it was revoked.",
                ),
                _ => ApiError::new(Code::SessionEnded),
            });
        }
        if now >= self.expires_at {
            return Err(ApiError::new(Code::SessionExpired));
        }
        Ok(())
    }

    /// What `GET /v1/sessions/current` and the start answer show: whom the user acts for, how long.
    pub fn view(&self, now: Timestamp) -> Value {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Some(o) = v.as_object_mut() {
            o.insert("remaining_seconds".into(), Value::from((self.expires_at.unix() - now.unix()).max(0)));
            o.insert("live".into(), Value::from(self.check_live(now).is_ok()));
        }
        v
    }
}

/// 403 with the report's first blocking code and the report as data.
pub fn refusal(report: &Report) -> ApiError {
    let code = report.blocking.first().copied().unwrap_or(Code::ForbiddenRole);
    ApiError::with_message(code, format!("You cannot act for this customer now: {}", code.default_message()))
        .with_data(serde_json::to_value(report).unwrap_or(Value::Null))
}

fn mac(secret: &[u8], id: &SessionId) -> Option<Hmac<Sha256>> {
    let mut m = Hmac::<Sha256>::new_from_slice(secret).ok()?;
    m.update(b"onbehalf session v1:");
    m.update(id.as_str().as_bytes());
    Some(m)
}

/// The bearer token of session `id`: `obs_<id>.<hex HMAC-SHA256(secret, id)>`. `None` only for an
/// unusable secret.
pub fn token(secret: &[u8], id: &SessionId) -> Option<String> {
    let tag = mac(secret, id)?.finalize().into_bytes();
    Some(format!("{TOKEN_PREFIX}{}.{}", id.as_str(), hex(&tag)))
}

/// The session id a token names, when its signature verifies (constant-time); `session_invalid`
/// otherwise. Expiry and Switch Role are checked against the stored session ([`Session::check_live`]).
pub fn verify(secret: &[u8], token: &str) -> Result<SessionId, ApiError> {
    let invalid = || ApiError::new(Code::SessionInvalid);
    let rest = token.strip_prefix(TOKEN_PREFIX).ok_or_else(invalid)?;
    let (id, sig) = rest.split_once('.').ok_or_else(invalid)?;
    let id = SessionId::parse(id).ok_or_else(invalid)?;
    let sig = unhex(sig).ok_or_else(invalid)?;
    mac(secret, &id).ok_or_else(invalid)?.verify_slice(&sig).map_err(|_| invalid())?;
    Ok(id)
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() != 64 {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests;
