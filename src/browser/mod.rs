//! The browser module (`wasm-pack --target web`): the same core functions as the worker, exported
//! to JavaScript.
//!
//! Values cross the boundary as JSON: inputs go through `JSON.stringify` into `serde_json`, outputs
//! through `serde_json` into `JSON.parse`. That one choice makes every result a plain object (no
//! `Map`s), byte-for-byte the JSON the HTTP API returns, and costs no extra dependency. Failures are
//! returned (not thrown) as the API's error object `{"error": {code, message, details}}`.

use crate::error::{ApiError, Code};
use crate::prerequisites::PrerequisiteInput;
use js_sys::JSON;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[cfg(feature = "boundary-bench")]
mod boundary;

/// Hand-written TypeScript for every input and output; `prerequisites::tests` checks it against the
/// JSON the Rust types produce, so the two cannot drift apart.
#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = include_str!("types.d.ts");

fn to_js<T: Serialize>(value: &T) -> JsValue {
    match serde_json::to_string(value) {
        Ok(s) => JSON::parse(&s).unwrap_or(JsValue::NULL),
        Err(_) => error_js(&ApiError::new(Code::Internal)),
    }
}

fn error_js(e: &ApiError) -> JsValue {
    JSON::parse(&e.to_body().to_string()).unwrap_or(JsValue::NULL)
}

/// Reads a JS value as JSON: `validation_failed` for `undefined`, functions, BigInts or cycles.
fn from_js(input: &JsValue) -> Result<serde_json::Value, ApiError> {
    let text = JSON::stringify(input).ok().and_then(|s| s.as_string());
    let text = text.ok_or_else(|| {
        ApiError::with_message(Code::ValidationFailed, "The input is not a JSON-serializable object.")
    })?;
    serde_json::from_str(&text).map_err(|_| ApiError::new(Code::MalformedJson))
}

/// Runs the order-on-behalf prerequisite check: the same function and codes as
/// `GET /v1/customers/{id}/prerequisites`. Returns the report, or an `OnbehalfError`
/// (`validation_failed` with every field error) for malformed input. Never throws.
#[wasm_bindgen(js_name = checkPrerequisites, unchecked_return_type = "PrerequisiteReport | OnbehalfError")]
pub fn check_prerequisites(#[wasm_bindgen(unchecked_param_type = "PrerequisiteInput")] input: JsValue) -> JsValue {
    match from_js(&input).and_then(|v| PrerequisiteInput::decode(&v)) {
        Ok(i) => to_js(&i.run()),
        Err(e) => error_js(&e),
    }
}

/// Filters and sorts rows already returned by `GET /v1/customers` with the same query definition
/// (same parameter names, same validation and codes) and the same executor as the server. Returns
/// `{ids, server_only}`: the matching ids in order, and the filters that need clear values
/// (`customer_name`, `account_name`, `mobile`), which only the server can answer. Never throws.
#[wasm_bindgen(js_name = filterCustomers, unchecked_return_type = "FilterResult | OnbehalfError")]
pub fn filter_customers(
    #[wasm_bindgen(unchecked_param_type = "CustomerListItem[]")] rows: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CustomerQueryParams")] query: JsValue,
) -> JsValue {
    let result = from_js(&rows).and_then(|rows| {
        let pairs = crate::customers::query::pairs_from_json(&from_js(&query)?)?;
        crate::customers::query::filter_list_items(&rows, &pairs)
    });
    match result {
        Ok(v) => to_js(&v),
        Err(e) => error_js(&e),
    }
}

/// Checks an order draft against the catalog and every Huawei rule: `{"valid": true}`, or an
/// `OnbehalfError` (`validation_failed`) with **every** field error and its path. Same function and
/// codes as `POST /v1/drafts/validate`. Never throws.
#[wasm_bindgen(js_name = validateOrder, unchecked_return_type = "{ valid: true } | OnbehalfError")]
pub fn validate_order(#[wasm_bindgen(unchecked_param_type = "OrderDraft")] draft: JsValue) -> JsValue {
    respond(from_js(&draft).and_then(|d| {
        crate::drafts::validate(&d, crate::catalog::catalog()?)?;
        Ok(serde_json::json!({"valid": true}))
    }))
}

/// The exact Huawei Cloud request `{method, path, body}` for a valid draft in the customer's
/// project `projectId` (32 hex digits); else an `OnbehalfError`. Same as `POST /v1/drafts/payload`.
#[wasm_bindgen(js_name = buildOrderPayload, unchecked_return_type = "HuaweiRequest | OnbehalfError")]
pub fn build_order_payload(
    #[wasm_bindgen(unchecked_param_type = "OrderDraft")] draft: JsValue,
    project_id: &str,
) -> JsValue {
    let run = || -> Result<JsValue, ApiError> {
        let d = crate::drafts::validate(&from_js(&draft)?, crate::catalog::catalog()?)?;
        Ok(to_js(&crate::payloads::build(&d, project_id)?))
    };
    run().unwrap_or_else(|e| error_js(&e))
}

/// Prices a valid draft for `customer` (`{id, budget}`; the `budget` of `GET /v1/customers/{id}`
/// as is): line items, total, hourly rate and estimated month for pay-per-use, budget impact.
/// Same numbers as the `quote` of `POST /v1/quotes`. Errors: `validation_failed`, `currency_mismatch`.
#[wasm_bindgen(js_name = quoteOrder, unchecked_return_type = "Quote | OnbehalfError")]
pub fn quote_order(
    #[wasm_bindgen(unchecked_param_type = "OrderDraft")] draft: JsValue,
    #[wasm_bindgen(unchecked_param_type = "QuoteCustomer")] customer: JsValue,
) -> JsValue {
    respond(from_js(&draft).and_then(|d| {
        let cat = crate::catalog::catalog()?;
        let d = crate::drafts::validate(&d, cat)?;
        let c = crate::quotes::QuoteCustomer::decode(&from_js(&customer)?)?;
        crate::quotes::quote(&d, cat, &c)
    }))
}

/// Validate, build and quote in one call (one crossing of the JS/wasm boundary, one validation):
/// `{payload, quote}` or an `OnbehalfError`. What a form calls on every keystroke.
#[wasm_bindgen(js_name = prepareOrder, unchecked_return_type = "PreparedOrder | OnbehalfError")]
pub fn prepare_order(
    #[wasm_bindgen(unchecked_param_type = "OrderDraft")] draft: JsValue,
    project_id: &str,
    #[wasm_bindgen(unchecked_param_type = "QuoteCustomer")] customer: JsValue,
) -> JsValue {
    let run = || -> Result<JsValue, ApiError> {
        let (draft, customer) = (from_js(&draft)?, from_js(&customer)?);
        prepared(&draft, project_id, &customer, |p| Ok(to_js(p)))
    };
    run().unwrap_or_else(|e| error_js(&e))
}

/// The core's [`crate::orders::prepare`] (validate, check the customer, price) and the Huawei
/// request, handed to `out` as `{payload, quote}` (serialized straight from the typed values).
pub(crate) fn prepared<T>(
    draft: &serde_json::Value,
    project_id: &str,
    customer: &serde_json::Value,
    out: impl FnOnce(&Prepared<'_>) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let customer = crate::quotes::QuoteCustomer::decode(customer)?;
    let p = crate::orders::prepare(draft, crate::catalog::catalog()?, &customer, None)?;
    out(&Prepared { payload: p.request(project_id)?, quote: &p.quote })
}

/// The customer's project id in `region`, as the order endpoint computes it for the payload's path
/// (32 hex digits); `null` for a malformed customer id.
#[wasm_bindgen(js_name = customerProjectId)]
pub fn customer_project_id(customer_id: &str, region: &str) -> Option<String> {
    crate::ids::CustomerId::parse(customer_id).map(|c| crate::orders::project_id(&c, region))
}

/// The catalog compiled into the module (the same data as `GET /v1/catalog`), or one region's view
/// when `region` is given (`validation_failed` for an unknown region).
#[wasm_bindgen(js_name = catalog, unchecked_return_type = "Catalog | OnbehalfError")]
pub fn catalog_view(region: Option<String>) -> JsValue {
    respond(crate::catalog::catalog().and_then(|c| match region {
        Some(r) => c.for_region(&r),
        None => Ok(c.clone()),
    }))
}

/// `{payload, quote}`.
#[derive(Serialize)]
pub(crate) struct Prepared<'a> {
    pub(crate) payload: crate::payloads::HuaweiRequest<'a>,
    pub(crate) quote: &'a crate::quotes::Quote,
}

fn respond<T: Serialize>(r: Result<T, ApiError>) -> JsValue {
    match r {
        Ok(v) => to_js(&v),
        Err(e) => error_js(&e),
    }
}

/// The table of stable error codes with their HTTP status and default message.
#[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "ErrorCodeInfo[]")]
pub fn error_codes() -> JsValue {
    let rows: Vec<serde_json::Value> = Code::ALL
        .iter()
        .map(
            |c| serde_json::json!({"code": c.as_str(), "http_status": c.http_status(), "message": c.default_message()}),
        )
        .collect();
    to_js(&rows)
}

/// The crate version, equal to the API's `GET /v1/health` version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
