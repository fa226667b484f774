//! Measurement only (feature `boundary-bench`, built by `make bench`): the same `prepareOrder`
//! with two other ways of crossing the JS/wasm boundary, so that the shipped choice is decided by
//! numbers. Not part of the published module.

use super::{error_js, prepared};
use crate::error::{ApiError, Code};
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// serde-wasm-bindgen both ways: JS objects walked from Rust on the way in, built from Rust with
/// `Serializer::json_compatible()` (plain objects, not `Map`s; integers as numbers) on the way out.
#[wasm_bindgen(js_name = prepareOrderSwb)]
pub fn prepare_order_swb(draft: JsValue, project_id: &str, customer: JsValue) -> JsValue {
    let read =
        |v: JsValue| serde_wasm_bindgen::from_value::<Value>(v).map_err(|_| ApiError::new(Code::ValidationFailed));
    let run = || {
        let (d, c) = (read(draft)?, read(customer)?);
        prepared(&d, project_id, &c, |p| {
            p.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|_| ApiError::new(Code::Internal))
        })
    };
    run().unwrap_or_else(|e| error_js(&e))
}

/// JSON text both ways: the caller passes JSON strings and gets a JSON string back (no JS object
/// is created by the module).
#[wasm_bindgen(js_name = prepareOrderText)]
pub fn prepare_order_text(draft: &str, project_id: &str, customer: &str) -> String {
    let run = || -> Result<String, ApiError> {
        let parse = |t: &str| serde_json::from_str::<Value>(t).map_err(|_| ApiError::new(Code::MalformedJson));
        let (d, c) = (parse(draft)?, parse(customer)?);
        prepared(&d, project_id, &c, |p| serde_json::to_string(p).map_err(|_| ApiError::new(Code::Internal)))
    };
    run().unwrap_or_else(|e| e.to_body().to_string())
}
