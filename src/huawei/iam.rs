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
mod tests {
    use super::*;

    #[test]
    fn the_session_user_follows_iams_rule() {
        assert_eq!(session_user("usr_7f3a"), "ob-usr_7f3a");
        assert_eq!(session_user("a@b.c"), "ob-a-b-c");
        assert_eq!(session_user(""), "ob---");
        assert_eq!(session_user(&"x".repeat(100)).len(), 64);
    }

    #[test]
    fn the_body_is_iams_assume_role() {
        let b = assume_role("cust-domain", "onbehalf-partner", 3600, "ob-u1");
        assert_eq!(b["auth"]["identity"]["methods"], json!(["assume_role"]));
        let r = &b["auth"]["identity"]["assume_role"];
        assert_eq!(r["domain_name"], "cust-domain");
        assert_eq!(r["agency_name"], "onbehalf-partner");
        assert_eq!(r["duration_seconds"], 3600);
        assert_eq!(r["session_user"]["name"], "ob-u1");
    }

    #[test]
    fn durations_stay_within_iams_bounds() {
        let now = Timestamp::parse("2026-12-01T00:00:00Z").unwrap();
        assert_eq!(duration_for(now.plus(60), now), 900);
        assert_eq!(duration_for(now.plus(1800), now), 1800);
        assert_eq!(duration_for(now.plus(200_000), now), 86_400);
    }

    #[test]
    fn reads_the_credential_and_refuses_a_partial_one() {
        let a = json!({"credential": {"access": "TAK", "secret": "TSK", "securitytoken": "ST",
            "expires_at": "2026-12-01T04:30:00.123456Z"}});
        let t = temporary(&a).unwrap();
        assert_eq!(t.credential.security_token.as_deref(), Some("ST"));
        assert_eq!(t.expires_at.to_string(), "2026-12-01T04:30:00Z");
        assert!(t.usable(Timestamp::parse("2026-12-01T04:28:59Z").unwrap()));
        assert!(!t.usable(Timestamp::parse("2026-12-01T04:29:00Z").unwrap()));
        for k in ["access", "secret", "securitytoken", "expires_at"] {
            let mut b = a.clone();
            b["credential"].as_object_mut().unwrap().remove(k);
            assert!(temporary(&b).is_err(), "{k}");
        }
    }

    #[test]
    fn finds_the_project_named_as_the_region() {
        let a = json!({"projects": [{"id": "p0", "name": "MOS"}, {"id": "p1", "name": "ap-southeast-1"}]});
        assert_eq!(project_of(&a, "ap-southeast-1").as_deref(), Some("p1"));
        assert_eq!(project_of(&a, "cn-north-4"), None);
    }
}
