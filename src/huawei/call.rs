//! One signed call to Huawei Cloud, built as plain data (method, URL, headers, body) for the worker
//! to send with `fetch`: the core decides every byte, the adapter only transports it.

use super::sign;
use crate::error::{ApiError, Code};
use crate::time::Timestamp;
use serde_json::Value;

/// An access key: permanent (the partner's) or temporary (an assumed agency's, with its security token).
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    pub access: String,
    pub secret: String,
    pub security_token: Option<String>,
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credential({}, temporary: {})", self.access, self.security_token.is_some())
    }
}

/// A request ready to send. `headers` excludes `Host`, which `fetch` derives from the URL (it is
/// signed all the same).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

/// `X-Sdk-Date`: `YYYYMMDDTHHMMSSZ`.
pub fn sdk_date(now: Timestamp) -> String {
    let t = now.to_string(); // 2026-12-01T03:30:00Z
    format!("{}{}{}T{}{}{}Z", &t[0..4], &t[5..7], &t[8..10], &t[11..13], &t[14..16], &t[17..19])
}

fn internal(msg: &str) -> ApiError {
    ApiError::with_message(Code::Internal, msg)
}

/// What to call: `method base+path?query` with a JSON `body` and the `extra` headers (e.g.
/// `X-Client-Token`). `base` is an endpoint (`https://host[:port][/prefix]`).
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub method: &'static str,
    pub base: &'a str,
    pub path: &'a str,
    pub query: &'a [(&'a str, &'a str)],
    pub body: Option<&'a Value>,
    pub extra: &'a [(&'a str, &'a str)],
}

impl<'a> Target<'a> {
    /// A call without query, body or extra headers.
    pub fn new(method: &'static str, base: &'a str, path: &'a str) -> Self {
        Target { method, base, path, query: &[], body: None, extra: &[] }
    }
}

/// Builds the call to `t` signed with `cred` at `now`.
pub fn build(t: &Target<'_>, cred: &Credential, now: Timestamp) -> Result<Call, ApiError> {
    let Target { method, base, path, query, body, extra } = *t;
    let (scheme, rest) = base.split_once("://").ok_or_else(|| internal("an endpoint has no scheme"))?;
    let (host, prefix) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let full_path = format!("{prefix}{path}");
    let body_text = match body {
        Some(v) => Some(serde_json::to_string(v).map_err(|_| internal("encoding a Huawei request"))?),
        None => None,
    };
    let date = sdk_date(now);
    let mut headers: Vec<(String, String)> = vec![("X-Sdk-Date".into(), date.clone())];
    if body_text.is_some() {
        headers.push(("Content-Type".into(), "application/json".into()));
    }
    if let Some(t) = &cred.security_token {
        headers.push(("X-Security-Token".into(), t.clone()));
    }
    headers.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let mut signed: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    signed.push(("Host", host));
    let request = sign::Request {
        method,
        path: &full_path,
        query,
        headers: &signed,
        body: body_text.as_deref().unwrap_or("").as_bytes(),
    };
    let auth = sign::authorization(&cred.access, &cred.secret, &request, &date)
        .ok_or_else(|| internal("the access key cannot sign"))?;
    headers.push(("Authorization".into(), auth));
    let q: Vec<String> = query.iter().map(|(k, v)| format!("{}={}", sign::encode(k), sign::encode(v))).collect();
    let url = if q.is_empty() {
        format!("{scheme}://{host}{full_path}")
    } else {
        format!("{scheme}://{host}{full_path}?{}", q.join("&"))
    };
    Ok(Call { method, url, headers, body: body_text })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cred(token: Option<&str>) -> Credential {
        Credential { access: "AK1".into(), secret: "SK1".into(), security_token: token.map(str::to_string) }
    }

    #[test]
    fn the_call_signs_what_it_sends() {
        let now = Timestamp::parse("2026-12-01T03:30:05Z").unwrap();
        let body = serde_json::json!({"a": 1});
        let t = Target {
            query: &[("x y", "1/2")],
            body: Some(&body),
            extra: &[("X-Client-Token", "tok")],
            ..Target::new("POST", "http://127.0.0.1:8/ecs/ap-southeast-1", "/v1.1/p1/cloudservers")
        };
        let c = build(&t, &cred(Some("ST")), now).unwrap();
        assert_eq!(c.url, "http://127.0.0.1:8/ecs/ap-southeast-1/v1.1/p1/cloudservers?x%20y=1%2F2");
        assert_eq!(c.body.as_deref(), Some(r#"{"a":1}"#));
        let h = |n: &str| c.headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        assert_eq!(h("X-Sdk-Date").as_deref(), Some("20261201T033005Z"));
        assert_eq!(h("X-Security-Token").as_deref(), Some("ST"));
        assert!(h("Host").is_none(), "fetch sets Host from the URL");
        // The signature equals signing the same request independently, Host included.
        let signed = [
            ("X-Sdk-Date", "20261201T033005Z"),
            ("Content-Type", "application/json"),
            ("X-Security-Token", "ST"),
            ("X-Client-Token", "tok"),
            ("Host", "127.0.0.1:8"),
        ];
        let r = sign::Request {
            method: "POST",
            path: "/ecs/ap-southeast-1/v1.1/p1/cloudservers",
            query: &[("x y", "1/2")],
            headers: &signed,
            body: br#"{"a":1}"#,
        };
        assert_eq!(h("Authorization"), sign::authorization("AK1", "SK1", &r, "20261201T033005Z"));
        assert!(h("Authorization")
            .unwrap()
            .contains("SignedHeaders=content-type;host;x-client-token;x-sdk-date;x-security-token,"));
    }

    #[test]
    fn a_get_has_no_body_and_no_content_type() {
        let now = Timestamp::parse("2026-12-01T00:00:00Z").unwrap();
        let c =
            build(&Target::new("GET", "https://iam.myhuaweicloud.com", "/v3/auth/projects"), &cred(None), now).unwrap();
        assert_eq!(c.url, "https://iam.myhuaweicloud.com/v3/auth/projects");
        assert!(c.body.is_none());
        assert!(c.headers.iter().all(|(k, _)| k != "Content-Type" && k != "X-Security-Token"));
        assert!(build(&Target::new("GET", "iam.example", "/"), &cred(None), now).is_err());
    }
}
