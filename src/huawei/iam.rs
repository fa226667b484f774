//! IAM: assuming the agency a customer created for its partner, and finding the customer's project.

use super::call::Credential;
use crate::error::{ApiError, Code};
use crate::time::Timestamp;
use serde_json::{json, Value};

/// IAM `CreateTemporaryAccessKeyByAgency`.
pub const ASSUME_PATH: &str = "/v3.0/OS-CREDENTIAL/securitytokens";
/// IAM `KeystoneListAuthProjects`.
pub const PROJECTS_PATH: &str = "/v3/auth/projects";
/// IAM accepts 900 to 86,400 seconds.
pub const MIN_SECONDS: i64 = 900;
pub const MAX_SECONDS: i64 = 86_400;
/// A cached credential is not used in its last minute (a call signed with it must still arrive in time).
pub const MARGIN_SECONDS: i64 = 60;

/// IAM's rule for `session_user.name`: 5-64 characters, letters, digits, `-` and `_`, starting with a
/// letter. The partner user's id is kept readable in the customer's trace (`ob-` + the id).
pub fn session_user(user_id: &str) -> String {
    let clean: String =
        user_id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
    let mut name = format!("ob-{clean}");
    while name.len() < 5 {
        name.push('-');
    }
    name.truncate(64);
    name
}

/// How long to ask for: what is left of the switch-role session, within IAM's bounds.
pub fn duration_for(session_expires: Timestamp, now: Timestamp) -> i64 {
    (session_expires.unix() - now.unix()).clamp(MIN_SECONDS, MAX_SECONDS)
}

/// The `assume_role` body.
pub fn assume_role(domain_name: &str, agency_name: &str, duration_seconds: i64, session_user: &str) -> Value {
    json!({"auth": {"identity": {
        "methods": ["assume_role"],
        "assume_role": {
            "domain_name": domain_name,
            "agency_name": agency_name,
            "duration_seconds": duration_seconds,
            "session_user": {"name": session_user},
        },
    }}})
}

/// A temporary credential and when it stops working.
#[derive(Debug, Clone, PartialEq)]
pub struct Temporary {
    pub credential: Credential,
    pub expires_at: Timestamp,
}

impl Temporary {
    /// Usable at `now` (outside the last minute).
    pub fn usable(&self, now: Timestamp) -> bool {
        now.plus(MARGIN_SECONDS).unix() < self.expires_at.unix()
    }
}

fn bad(what: &str) -> ApiError {
    ApiError::with_message(Code::Internal, format!("Huawei IAM answered without {what}."))
}

/// Reads IAM's answer: `{"credential": {"access", "secret", "securitytoken", "expires_at"}}`
/// (`expires_at` as `2026-12-01T04:30:00.000000Z`).
pub fn temporary(answer: &Value) -> Result<Temporary, ApiError> {
    let c = answer.get("credential").ok_or_else(|| bad("a credential"))?;
    let text = |k: &str| c.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
    let expires = text("expires_at").ok_or_else(|| bad("expires_at"))?;
    // Fractions of a second are dropped: a credential is used at most until the whole second.
    let whole = match (expires.find('.'), expires.ends_with('Z')) {
        (Some(i), true) => format!("{}Z", &expires[..i]),
        _ => expires.clone(),
    };
    Ok(Temporary {
        credential: Credential {
            access: text("access").ok_or_else(|| bad("access"))?,
            secret: text("secret").ok_or_else(|| bad("secret"))?,
            security_token: Some(text("securitytoken").ok_or_else(|| bad("securitytoken"))?),
        },
        expires_at: Timestamp::parse(&whole).ok_or_else(|| bad("a readable expires_at"))?,
    })
}

/// The id of the project named `region` in IAM's project list (`{"projects": [{"id", "name"}]}`).
pub fn project_of(answer: &Value, region: &str) -> Option<String> {
    answer
        .get("projects")?
        .as_array()?
        .iter()
        .find(|p| p.get("name").and_then(Value::as_str) == Some(region))?
        .get("id")?
        .as_str()
        .map(str::to_string)
}

#[cfg(test)]
mod tests;
