//! The OpenAPI 3.1 description of the HTTP API (`GET /v1/openapi.json`): the document in
//! `openapi/openapi.json`, with the error-code enum filled from the one code table and the crate
//! version, so neither can drift from the code.

use crate::error::Code;
use serde_json::Value;

const DOCUMENT: &str = include_str!("openapi/openapi.json");

/// The document; `Value::Null` only if the file does not parse (a host test guarantees it does).
pub fn document() -> Value {
    let Ok(mut v) = serde_json::from_str::<Value>(DOCUMENT) else { return Value::Null };
    if let Some(e) = v.pointer_mut("/components/schemas/ErrorCode/enum") {
        *e = Value::Array(Code::ALL.iter().map(|c| Value::from(c.as_str())).collect());
    }
    // The regions the catalog sells in, from the catalog compiled into this build (every `region`
    // parameter refers to this schema).
    if let (Some(e), Ok(cat)) = (v.pointer_mut("/components/schemas/Region/enum"), crate::catalog::catalog()) {
        *e = serde_json::json!(cat.region_ids());
    }
    if let Some(ver) = v.pointer_mut("/info/version") {
        *ver = Value::from(env!("CARGO_PKG_VERSION"));
    }
    v
}

#[cfg(test)]
mod tests;
