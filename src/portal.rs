//! Embedding: short-lived **portal tokens** that a partner's backend mints (with its API key) for one
//! of its users, so that components in the partner's own portal can call the API from the browser;
//! and the **CORS** rule: a browser origin is served only if the partner lists it.

use crate::decode::{Decoder, Obj};
use crate::error::{ApiError, Code, Path};
use crate::ids::{hex, UserId};
use crate::partners::{Actor, Role};
use crate::time::Timestamp;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Portal tokens are `obp_` + 40 hex digits; only their SHA-256 is stored.
pub const TOKEN_PREFIX: &str = "obp_";
/// Default and longest life of a portal token, seconds.
pub const DEFAULT_TTL: i64 = 15 * 60;
pub const MAX_TTL: i64 = 60 * 60;
/// Most origins a partner may list.
pub const MAX_ORIGINS: usize = 20;

/// How a request authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// A partner API key (server side).
    ApiKey,
    /// A portal token (browser side): may not mint tokens or manage keys.
    PortalToken,
}

impl Credential {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Credential::ApiKey => "api_key",
            Credential::PortalToken => "portal_token",
        }
    }
}

/// One credential: its kind and id (`key_…` or `ptk_…`). A session remembers the one that started it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialRef {
    pub kind: Credential,
    pub id: String,
}

/// A new token's secret text from 20 random bytes.
pub fn token_secret(random: &[u8; 20]) -> String {
    format!("{TOKEN_PREFIX}{}", hex(random))
}

/// The stored form of a token: hex SHA-256 of its text.
pub fn token_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// `forbidden_credential` (403) unless the request used an API key: minting portal tokens and
/// managing keys stay on the partner's server.
pub fn require_api_key(c: Credential) -> Result<(), ApiError> {
    match c {
        Credential::ApiKey => Ok(()),
        Credential::PortalToken => Err(ApiError::new(Code::ForbiddenCredential)),
    }
}

/// `POST /v1/portal-tokens` body: `{user_id?, minutes?}` (default: the key's own user, 15 minutes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MintRequest {
    pub user_id: Option<UserId>,
    pub ttl: i64,
}

impl MintRequest {
    /// Reads the body; every error with its path.
    pub fn decode(v: &Value) -> Result<Self, ApiError> {
        Decoder::run(|d| {
            let mut o: Obj = d.object(v, Path::new())?;
            let user = d
                .optional(&mut o, "user_id")
                .map(|(v, p)| d.parsed(v, &p, "a user id (usr_ and 24 hex digits)", UserId::parse));
            let minutes = d.optional_or(&mut o, "minutes", DEFAULT_TTL / 60, |d, v, p| d.int(v, &p, 1, MAX_TTL / 60));
            d.close(o);
            let user_id = match user {
                Some(u) => Some(u?),
                None => None,
            };
            Some(MintRequest { user_id, ttl: minutes? * 60 })
        })
    }

    /// Who the token is for: the key's own user, or (admins only) another user of the same partner,
    /// checked by the caller against the user's partner. `forbidden_role` for a non-admin asking for someone else.
    pub fn subject(&self, actor: &Actor) -> Result<UserId, ApiError> {
        match &self.user_id {
            None => Ok(actor.user_id.clone()),
            Some(u) if *u == actor.user_id => Ok(u.clone()),
            Some(_) if actor.role == Role::Admin => Ok(self.user_id.clone().unwrap_or_else(|| actor.user_id.clone())),
            Some(_) => Err(ApiError::new(Code::ForbiddenRole)),
        }
    }

    /// When a token minted at `now` expires.
    pub fn expires(&self, now: Timestamp) -> Timestamp {
        now.plus(self.ttl.clamp(60, MAX_TTL))
    }
}

/// Whether `actor` may revoke a portal token of its partner made for `subject` by `creator`: an
/// admin, the token's user, or the user who minted it (`forbidden_role` otherwise).
pub fn may_revoke_token(actor: &Actor, subject: &str, creator: &str) -> Result<(), ApiError> {
    if actor.role == Role::Admin || actor.user_id.as_str() == subject || actor.user_id.as_str() == creator {
        Ok(())
    } else {
        Err(ApiError::new(Code::ForbiddenRole))
    }
}

/// Normalizes an origin (`scheme://host[:port]`, no path, lowercase): `None` when it is not one. The
/// host is a name of letters, digits, `.` and `-`, or a bracketed IPv6 literal; the port 1-65535.
pub fn origin(s: &str) -> Option<String> {
    let s = s.trim().trim_end_matches('/').to_ascii_lowercase();
    let (scheme, rest) = s.split_once("://")?;
    if !matches!(scheme, "https" | "http") {
        return None;
    }
    let (host_ok, port) = match rest.strip_prefix('[') {
        Some(v6) => {
            let (addr, after) = v6.split_once(']')?;
            let ok = !addr.is_empty()
                && addr.contains(':')
                && addr.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
            (ok, if after.is_empty() { None } else { Some(after.strip_prefix(':')?) })
        }
        None => {
            let (host, port) = match rest.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (rest, None),
            };
            let ok = !host.is_empty()
                && host
                    .split('.')
                    .all(|label| !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
            (ok, port)
        }
    };
    let port_ok = port.is_none_or(|p| {
        !p.is_empty()
            && p.len() <= 5
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u32>().is_ok_and(|n| (1..=65535).contains(&n))
    });
    (host_ok && port_ok).then_some(s)
}

/// Reads `{"origins": [...]}`: at most 20 origins, each `scheme://host[:port]`, no duplicates.
pub fn decode_origins(v: &Value) -> Result<Vec<String>, ApiError> {
    Decoder::run(|d| {
        let mut o: Obj = d.object(v, Path::new())?;
        let list = d.required(&mut o, "origins").and_then(|(v, p)| {
            d.array(v, &p, MAX_ORIGINS, |d, v, p| {
                d.parsed(v, &p, "an origin such as https://portal.example.com", origin)
            })
        });
        d.close(o);
        let list = list?;
        let mut out: Vec<String> = Vec::new();
        for x in list {
            if !out.contains(&x) {
                out.push(x);
            }
        }
        Some(out)
    })
}

/// Whether a browser request from `origin` may be served for a partner listing `allowed`.
pub fn origin_allowed(origin: &str, allowed: &[String]) -> bool {
    self::origin(origin).is_some_and(|o| allowed.contains(&o))
}

#[cfg(test)]
mod tests;
