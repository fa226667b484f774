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
mod tests;
