//! HTTP plumbing for the routes: JSON bodies with limits, query parameters, responses, `405`s, and
//! the platform's random bytes.

use super::db::fault;
use crate::decode::{parse_json, Decoder};
use crate::error::{path, ApiError, Code, FieldError};
use serde::Serialize;
use serde_json::Value;
use worker::js_sys::{self, Reflect, Uint8Array};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::{Method, Request, Response};

/// Largest accepted request body.
pub const MAX_BODY: usize = 64 * 1024;

/// `n` bytes from the platform's CSPRNG (`crypto.getRandomValues`).
pub fn random_bytes<const N: usize>() -> Result<[u8; N], ApiError> {
    let crypto =
        Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).map_err(|_| fault("crypto", "missing"))?;
    let f: js_sys::Function = Reflect::get(&crypto, &JsValue::from_str("getRandomValues"))
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| fault("crypto.getRandomValues", "missing"))?;
    let arr = Uint8Array::new_with_length(N as u32);
    f.call1(&crypto, &arr).map_err(|_| fault("crypto.getRandomValues", "failed"))?;
    let mut out = [0u8; N];
    arr.copy_to(&mut out);
    Ok(out)
}

/// Reads a JSON body: `payload_too_large`, `unsupported_media_type` or `malformed_json` when it is
/// not acceptable. An empty body reads as `{}` so that bodiless actions need no `{}`.
pub async fn json_body(req: &mut Request) -> Result<Value, ApiError> {
    let declared = req.headers().get("Content-Length").ok().flatten().and_then(|l| l.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY) {
        return Err(too_large());
    }
    let text = req.text().await.map_err(|e| fault("read body", e))?;
    if text.len() > MAX_BODY {
        return Err(too_large());
    }
    if text.trim().is_empty() {
        return Ok(Value::Object(Default::default()));
    }
    let ct = req.headers().get("Content-Type").ok().flatten().unwrap_or_default();
    let media = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if media != "application/json" {
        return Err(ApiError::new(Code::UnsupportedMediaType));
    }
    parse_json(&text)
}

/// Reads an `application/x-www-form-urlencoded` body (a provider's status report) as its pairs.
pub async fn form_body(req: &mut Request) -> Result<Vec<(String, String)>, ApiError> {
    let text = req.text().await.map_err(|e| fault("read body", e))?;
    if text.len() > MAX_BODY {
        return Err(too_large());
    }
    let ct = req.headers().get("Content-Type").ok().flatten().unwrap_or_default();
    let media = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if media != "application/x-www-form-urlencoded" {
        return Err(ApiError::with_message(
            Code::UnsupportedMediaType,
            "Send the report as application/x-www-form-urlencoded.",
        ));
    }
    Ok(crate::request_url::form_pairs(&text))
}

fn too_large() -> ApiError {
    ApiError::with_message(Code::PayloadTooLarge, format!("The request body is larger than {} KiB.", MAX_BODY / 1024))
}

/// The request's query parameters, in order (never through `Request::url`: see `crate::request_url`).
pub fn query_pairs(req: &Request) -> Vec<(String, String)> {
    crate::request_url::pairs(&req.inner().url())
}

/// The origin the request was sent to (`scheme://host[:port]`).
pub fn own_origin(req: &Request) -> String {
    crate::request_url::origin(&req.inner().url()).unwrap_or_default()
}

/// The value of query parameter `name`, if present.
pub fn query(req: &Request, name: &str) -> Option<String> {
    query_pairs(req).into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// Reads an optional `limit` parameter in `1..=max` (default `default`); `validation_failed` otherwise.
pub fn limit_param(req: &Request, default: i64, max: i64) -> Result<i64, ApiError> {
    match query(req, "limit") {
        None => Ok(default),
        Some(s) => match s.parse::<i64>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(invalid_param("limit", Code::OutOfRange, format!("limit must be an integer from 1 to {max}."))),
        },
    }
}

/// An optional query parameter that must be one of `allowed`: `invalid_value` at its name otherwise.
pub fn choice_param(req: &Request, name: &'static str, allowed: &[&str]) -> Result<Option<String>, ApiError> {
    match query(req, name) {
        Some(v) if !allowed.contains(&v.as_str()) => {
            Err(invalid_param(name, Code::InvalidValue, format!("One of: {}.", allowed.join(", "))))
        }
        v => Ok(v),
    }
}

/// An optional RFC 3339 query parameter, as stored (UTC, `Z`), so that it compares as text; an
/// `invalid_format` error at its name (collected in `d`) otherwise.
pub fn time_param(req: &Request, d: &mut Decoder, name: &'static str) -> Option<String> {
    let raw = query(req, name)?;
    d.timestamp(&Value::from(raw), &path(&[name])).map(|t| t.to_string())
}

/// `validation_failed` for one query parameter.
pub fn invalid_param(name: &str, code: Code, message: impl Into<String>) -> ApiError {
    ApiError::validation(vec![FieldError::new(path(&[name]), code, message)])
}

/// `method_not_allowed` naming the methods the route accepts (the worker sends them as `Allow`,
/// RFC 9110); a route that answers GET also answers HEAD.
pub fn not_allowed(methods: &[Method]) -> Result<Response, ApiError> {
    let mut names: Vec<&str> = Vec::new();
    for m in methods {
        names.push(m.as_ref());
        if *m == Method::Get {
            names.push("HEAD");
        }
    }
    Err(ApiError::with_message(Code::MethodNotAllowed, format!("This route accepts {}.", names.join(", ")))
        .with_data(serde_json::json!({"allow": names})))
}

/// A JSON response with `status`.
pub fn json<T: Serialize>(status: u16, body: &T) -> Result<Response, ApiError> {
    let bytes = serde_json::to_vec(body).map_err(|e| fault("encode response", e))?;
    Ok(respond(status, bytes))
}

/// A response whose body is already JSON text (a stored answer replayed, or one built once).
pub fn json_text(status: u16, text: String) -> Response {
    respond(status, text.into_bytes())
}

/// The response for an error: `{"error": {...}}` with the code's status.
pub fn error_response(e: &ApiError) -> Response {
    respond(e.http_status(), e.to_body().to_string().into_bytes())
}

fn respond(status: u16, body: Vec<u8>) -> Response {
    let mut r = Response::builder().with_status(status).fixed(body);
    // Setting a header on a fresh response cannot fail; ignoring the Result keeps this panic-free.
    let _ = r.headers_mut().set("Content-Type", "application/json; charset=utf-8");
    r
}
