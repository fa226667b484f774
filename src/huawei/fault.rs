//! Huawei Cloud's error answers as our stable codes. Huawei answers errors as
//! `{"error_code", "error_msg"}` (BSS, ECS v1, IAM) or `{"error": {"code", "message"}}` (newer
//! APIs, the API gateway); every answer carries `X-Request-Id`.

use crate::error::{ApiError, Code};
use serde_json::{json, Value};

/// Which call failed: an agency that cannot be assumed is the customer's to fix, a refused
/// signature on it is the partner's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    AssumeAgency,
    Other,
}

/// Huawei's code and message, whichever of its two shapes the body has.
pub fn huawei_error(body: &Value) -> (Option<String>, Option<String>) {
    let s = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    match body.get("error") {
        Some(e) if e.is_object() => (s(e.get("code")), s(e.get("message"))),
        _ => (s(body.get("error_code")), s(body.get("error_msg"))),
    }
}

/// Seconds to wait when Huawei says how long (`Retry-After` in seconds), else 30 (a minute's half:
/// Huawei's API flow control counts per second, a 5xx is usually brief).
pub fn retry_after(header: Option<&str>) -> i64 {
    header.and_then(|h| h.trim().parse::<i64>().ok()).filter(|s| *s > 0).map_or(30, |s| s.min(3600))
}

/// The error for a non-2xx answer of `status` with `body`.
pub fn error_of(step: Step, status: u16, body: &Value, retry: Option<&str>, request_id: Option<&str>) -> ApiError {
    let (code, message) = huawei_error(body);
    let data = |extra: Value| {
        let mut d = json!({"huawei_status": status, "huawei_code": code, "huawei_message": message, "huawei_request_id": request_id});
        if let (Some(o), Value::Object(e)) = (d.as_object_mut(), extra) {
            o.extend(e);
        }
        d
    };
    let gateway_auth = code.as_deref().is_some_and(|c| c.starts_with("APIGW.03") || c == "APIGW.0101");
    if status == 429 || status >= 500 {
        let secs = retry_after(retry);
        return ApiError::new(Code::UpstreamUnavailable).with_data(data(json!({"retry_after": secs})));
    }
    if status == 401 || gateway_auth {
        return ApiError::new(Code::UpstreamCredentialsInvalid).with_data(data(json!({})));
    }
    if step == Step::AssumeAgency && (status == 403 || status == 404) {
        return ApiError::new(Code::AgencyNotFound).with_data(data(json!({})));
    }
    let text = match (&code, &message) {
        (Some(c), Some(m)) => format!("Huawei Cloud rejected the request: {c}: {m}"),
        (Some(c), None) => format!("Huawei Cloud rejected the request: {c}"),
        _ => format!("Huawei Cloud rejected the request with HTTP {status}."),
    };
    ApiError::with_message(Code::UpstreamRejected, text).with_data(data(json!({})))
}

#[cfg(test)]
mod tests;
