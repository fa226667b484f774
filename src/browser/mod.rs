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

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** RFC 3339 UTC time, e.g. "2026-11-26T04:54:28Z". */
export type Timestamp = string;
export type Capability = "order" | "om";
export type PartnerKind = "distributor" | "reseller";
export type Role = "admin" | "operator" | "viewer";
export interface Money { minor: number; currency: string }

export interface Actor {
  user_id: string;
  partner_id: string;
  partner_kind: PartnerKind;
  /** Required for a reseller: its distributor. */
  distributor_id?: string | null;
  role: Role;
}

export interface Budget {
  type: "monthly" | "one_time";
  amount: Money;
  used: Money;
  auto_freeze?: boolean;
}

export interface CustomerFacts {
  id: string;
  partner_id: string;
  partner_distributor_id?: string | null;
  /** "1" referral, "3" reseller. */
  association_type: "1" | "3";
  frozen: boolean;
  auto_frozen?: boolean;
  /** -1 not verified, 0 under review, 1 rejected, 2 verified, 3 failed. */
  verified_status: -1 | 0 | 1 | 2 | 3;
  budget?: Budget | null;
}

export interface DistributorPermission {
  id: string;
  distributor_id: string;
  reseller_id: string;
  /** null = all of the reseller's reseller-mode customers. */
  customer_id?: string | null;
  capabilities: Capability[];
  granted_by?: string | null;
  granted_at: Timestamp;
  valid_until?: Timestamp | null;
  revoked_at?: Timestamp | null;
  revoke_reason?: string | null;
}

export interface CustomerAuthorization {
  id: string;
  partner_id: string;
  customer_id: string;
  capabilities: Capability[];
  requested_by?: string | null;
  requested_at: Timestamp;
  valid_days: number;
  status: "pending" | "approved" | "rejected" | "withdrawn" | "revoked";
  decided_at?: Timestamp | null;
  expires_at?: Timestamp | null;
  revoked_at?: Timestamp | null;
  reason?: string | null;
}

/** What the prerequisite check reads; `GET /v1/customers/{id}/prerequisites?include=input` returns exactly this as `input`. */
export interface PrerequisiteInput {
  now: Timestamp;
  actor: Actor;
  customer: CustomerFacts;
  distributor_permissions?: DistributorPermission[];
  authorizations?: CustomerAuthorization[];
}

export type CheckName = "association" | "reseller_mode" | "role" | "distributor_permission"
  | "customer_authorization" | "not_frozen" | "real_name_verified" | "budget";

export interface Check {
  check: CheckName;
  status: "pass" | "warn" | "fail" | "skip";
  code: string | null;
  message: string;
  remedy: string | null;
  /** 75 or 90 for a budget warning. */
  level: number | null;
}

export interface PrerequisiteReport {
  can_order: boolean;
  customer_id: string;
  actor: { user_id: string; partner_id: string; partner_kind: PartnerKind; role: Role };
  evaluated_at: Timestamp;
  checks: Check[];
  blocking: string[];
  warnings: string[];
  relied_on: { distributor_permission: string | null; authorization: string | null };
}

export interface FieldError { path: (string | number)[]; code: string; message: string }
/** The same error object the HTTP API returns. */
export interface OnbehalfError { error: { code: string; message: string; details: FieldError[]; data?: unknown } }

export interface ErrorCodeInfo { code: string; http_status: number; message: string }
"#;

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
    let text = text.ok_or_else(|| ApiError::with_message(Code::ValidationFailed, "The input is not a JSON-serializable object."))?;
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

/// The table of stable error codes with their HTTP status and default message.
#[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "ErrorCodeInfo[]")]
pub fn error_codes() -> JsValue {
    let rows: Vec<serde_json::Value> = Code::ALL
        .iter()
        .map(|c| serde_json::json!({"code": c.as_str(), "http_status": c.http_status(), "message": c.default_message()}))
        .collect();
    to_js(&rows)
}

/// The crate version, equal to the API's `GET /v1/health` version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
