//! The one reader of `Authorization: Bearer …` headers: API keys, portal tokens and switch-role
//! session tokens are told apart by their prefix.

use crate::portal::Credential;

/// What an `Authorization: Bearer …` header carries, told apart by the token's prefix: the one
/// parser of that header for API keys, portal tokens and switch-role session tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bearer<'a> {
    /// A well-formed credential (`obk_` or `obp_` and 40 hex digits).
    Credential(Credential, &'a str),
    /// A session token (`obs_…`; its signature is verified by `sessions::verify`).
    Session(&'a str),
}

/// Reads an `Authorization` header value: `Bearer` (any case) and one token; `None` otherwise.
pub fn bearer(header: Option<&str>) -> Option<Bearer<'_>> {
    let (scheme, t) = header?.trim().split_once(' ')?;
    let t = t.trim();
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let hex40 = |prefix: &str| {
        t.strip_prefix(prefix).is_some_and(|rest| rest.len() == 40 && rest.bytes().all(|b| b.is_ascii_hexdigit()))
    };
    if hex40(crate::partners::API_KEY_PREFIX) {
        Some(Bearer::Credential(Credential::ApiKey, t))
    } else if hex40(crate::portal::TOKEN_PREFIX) {
        Some(Bearer::Credential(Credential::PortalToken, t))
    } else if t.starts_with(crate::sessions::TOKEN_PREFIX) {
        Some(Bearer::Session(t))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_tells_keys_portal_tokens_and_sessions_apart() {
        let key = format!("obk_{}", "a".repeat(40));
        let tok = crate::portal::token_secret(&[7; 20]);
        assert_eq!(bearer(Some(&format!("Bearer {key}"))), Some(Bearer::Credential(Credential::ApiKey, &key)));
        assert_eq!(bearer(Some(&format!("bearer  {key} "))), Some(Bearer::Credential(Credential::ApiKey, &key)));
        assert_eq!(bearer(Some(&format!("Bearer {tok}"))), Some(Bearer::Credential(Credential::PortalToken, &tok)));
        assert_eq!(bearer(Some("Bearer obs_ses_x.y")), Some(Bearer::Session("obs_ses_x.y")));
        for bad in ["Bearer obp_xyz", "Bearer obk_123", "Basic obp_", "Basic obs_x", "", "Bearer x"] {
            assert!(bearer(Some(bad)).is_none(), "{bad}");
        }
        assert!(bearer(None).is_none());
    }
}
