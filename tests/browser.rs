//! The browser module as a portal uses it, in headless Chromium (wasm-bindgen-test): every call goes
//! through the `#[wasm_bindgen]` exports with values made by `JSON.parse`, and the raw JS values that
//! come back are inspected.
#![cfg(all(target_arch = "wasm32", feature = "browser"))]

use js_sys::{Array, Object, Reflect, JSON};
use onbehalf::browser::{check_prerequisites, error_codes, version};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const FIXTURES: &str = include_str!("fixtures/prerequisites.json");

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap()
}

fn json(v: &JsValue) -> String {
    JSON::stringify(v).unwrap().as_string().unwrap()
}

fn fixtures() -> JsValue {
    JSON::parse(FIXTURES).unwrap()
}

/// A plain object: its prototype is Object.prototype (not a Map, not a class instance).
fn is_plain_object(v: &JsValue) -> bool {
    let object_prototype: JsValue = Object::get_prototype_of(&Object::new()).into();
    let proto: JsValue = Object::get_prototype_of(v).into();
    v.is_object() && !v.is_instance_of::<js_sys::Map>() && proto == object_prototype
}

#[wasm_bindgen_test]
fn every_fixture_gets_its_verdict_and_codes() {
    let cases: Array = get(&fixtures(), "cases").dyn_into().unwrap();
    assert!(cases.length() >= 15);
    for case in cases.iter() {
        let name = get(&case, "name").as_string().unwrap();
        let report = check_prerequisites(get(&case, "input"));
        let expect = get(&case, "expect");
        assert_eq!(get(&report, "can_order"), get(&expect, "can_order"), "{name}");
        assert_eq!(json(&get(&report, "blocking")), json(&get(&expect, "blocking")), "{name}");
        assert_eq!(json(&get(&report, "warnings")), json(&get(&expect, "warnings")), "{name}");
        let checks: Array = get(&report, "checks").dyn_into().unwrap();
        assert_eq!(checks.length(), 8, "{name}: every check is listed");
    }
}

#[wasm_bindgen_test]
fn results_are_plain_js_objects_and_arrays() {
    let case = Array::from(&get(&fixtures(), "cases")).get(1);
    let report = check_prerequisites(get(&case, "input"));
    assert!(is_plain_object(&report), "report is a plain object");
    let checks = get(&report, "checks");
    assert!(Array::is_array(&checks));
    let first = Array::from(&checks).get(0);
    assert!(is_plain_object(&first));
    // Absent values are null (as in the API's JSON), never undefined.
    assert!(get(&first, "code").is_null());
    assert_eq!(get(&first, "status").as_string().as_deref(), Some("pass"));
    let relied = get(&report, "relied_on");
    assert!(is_plain_object(&relied));
    let keys: Vec<String> = Object::keys(report.unchecked_ref::<Object>()).iter().filter_map(|k| k.as_string()).collect();
    for k in ["can_order", "customer_id", "actor", "evaluated_at", "checks", "blocking", "warnings", "relied_on"] {
        assert!(keys.contains(&k.to_string()), "missing key {k}");
    }
}

#[wasm_bindgen_test]
fn malformed_input_returns_an_error_object_with_paths_and_never_throws() {
    let errors: Array = get(&fixtures(), "errors").dyn_into().unwrap();
    for case in errors.iter() {
        let name = get(&case, "name").as_string().unwrap();
        let out = check_prerequisites(get(&case, "input"));
        let err = get(&out, "error");
        assert!(is_plain_object(&err), "{name}: error object");
        let expect = get(&case, "expect_error");
        assert_eq!(get(&err, "code"), get(&expect, "code"), "{name}");
        let details: Array = get(&err, "details").dyn_into().unwrap();
        let paths: Vec<String> = details.iter().map(|d| json(&get(&d, "path"))).collect();
        for p in Array::from(&get(&expect, "paths")).iter() {
            assert!(paths.contains(&json(&p)), "{name}: {} not in {paths:?}", json(&p));
        }
    }
    // Values JSON cannot carry are refused with a code, not a panic.
    for weird in [JsValue::UNDEFINED, JsValue::from(js_sys::Function::new_no_args("return 1")), JsValue::from(js_sys::BigInt::from(5u32))] {
        let out = check_prerequisites(weird);
        let code = get(&get(&out, "error"), "code").as_string().unwrap();
        assert_eq!(code, "validation_failed");
    }
    // A cycle cannot be serialized either.
    let cyclic = Object::new();
    Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    assert_eq!(get(&get(&check_prerequisites(cyclic.into()), "error"), "code").as_string().as_deref(), Some("validation_failed"));
}

#[wasm_bindgen_test]
fn error_code_table_matches_the_api_statuses() {
    let table: Array = error_codes().dyn_into().unwrap();
    let find = |code: &str| table.iter().find(|r| get(r, "code").as_string().as_deref() == Some(code)).map(|r| get(&r, "http_status").as_f64().unwrap());
    assert_eq!(find("unauthenticated"), Some(401.0));
    assert_eq!(find("customer_frozen"), Some(403.0));
    assert_eq!(find("validation_failed"), Some(400.0));
    assert!(table.length() > 40);
    assert_eq!(version(), env!("CARGO_PKG_VERSION"));
}

const ROWS: &str = r#"[
 {"id":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","account_name":"a***","real_name":"A***","mobile":{"country_code":"0086","number":"138****5678"},"email":"a***@mail.example","masked":["account_name","real_name","mobile","email"],
  "association":{"partner_id":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","partner_distributor_id":null,"type":"3","associated_on":"2026-01-01T00:00:00Z"},"account_manager":"am_li","verified_status":2,"customer_type":1,"level":"V1",
  "frozen":{"frozen":true,"auto":false,"reason":null},"budget":{"type":"monthly","amount":{"minor":1000,"currency":"USD"},"used":{"minor":800,"currency":"USD"},"auto_freeze":true,"usage_percent":80},
  "month_to_date_spend":{"minor":500,"currency":"USD"},"earliest_expiry":null,"tags":["vip"],"can_order":false,"blocking":["customer_frozen"],"authorization":{"state":"active","expires_at":"2027-01-01T00:00:00Z"},"budget_level":75},
 {"id":"cccccccccccccccccccccccccccccccc","account_name":"c***","real_name":"C***","mobile":{"country_code":"0086","number":"139****5678"},"email":"c***@mail.example","masked":["account_name","real_name","mobile","email"],
  "association":{"partner_id":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","partner_distributor_id":null,"type":"1","associated_on":"2026-02-01T00:00:00Z"},"account_manager":null,"verified_status":2,"customer_type":1,"level":"V1",
  "frozen":{"frozen":false,"auto":false,"reason":null},"budget":null,
  "month_to_date_spend":{"minor":900,"currency":"USD"},"earliest_expiry":"2026-12-01T00:00:00Z","tags":[],"can_order":false,"blocking":["association_not_reseller_mode"],"authorization":{"state":"none","expires_at":null},"budget_level":null}
]"#;

#[wasm_bindgen_test]
fn filter_customers_runs_the_server_query_on_loaded_rows() {
    use onbehalf::browser::filter_customers;
    let rows = JSON::parse(ROWS).unwrap();
    let q = |s: &str| JSON::parse(s).unwrap();
    let ids = |out: &JsValue| json(&get(out, "ids"));
    assert_eq!(ids(&filter_customers(rows.clone(), q(r#"{"frozen": true}"#))), r#"["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]"#);
    assert_eq!(ids(&filter_customers(rows.clone(), q(r#"{"sort": "mtd_spend", "order": "desc"}"#))), r#"["cccccccccccccccccccccccccccccccc","aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]"#);
    assert_eq!(ids(&filter_customers(rows.clone(), q(r#"{"tag": ["gov", "vip"], "budget_usage_min": 75}"#))), r#"["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]"#);
    // Name filters need clear values: the module says so instead of guessing on masked text.
    let named = filter_customers(rows.clone(), q(r#"{"customer_name": "acme", "association_type": "1"}"#));
    assert_eq!(json(&get(&named, "server_only")), r#"["customer_name"]"#);
    assert_eq!(ids(&named), r#"["cccccccccccccccccccccccccccccccc"]"#);
    // Same validation and codes as the API.
    let bad = filter_customers(rows.clone(), q(r#"{"limit": 0, "colour": "red"}"#));
    let err = get(&bad, "error");
    assert_eq!(get(&err, "code").as_string().as_deref(), Some("validation_failed"));
    let paths: Vec<String> = Array::from(&get(&err, "details")).iter().map(|d| json(&get(&d, "path"))).collect();
    assert!(paths.contains(&r#"["limit"]"#.to_string()) && paths.contains(&r#"["colour"]"#.to_string()), "{paths:?}");
}
