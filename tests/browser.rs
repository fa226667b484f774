//! The browser module as a portal uses it, in headless Chromium (wasm-bindgen-test): every call goes
//! through the `#[wasm_bindgen]` exports with values made by `JSON.parse`, and the raw JS values that
//! come back are inspected.
#![cfg(all(target_arch = "wasm32", feature = "browser"))]

use js_sys::{Array, Object, Reflect, JSON};
use onbehalf::browser::{
    build_order_payload, catalog_view, check_prerequisites, error_codes, prepare_order, quote_order, validate_order,
    version,
};
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
    let keys: Vec<String> =
        Object::keys(report.unchecked_ref::<Object>()).iter().filter_map(|k| k.as_string()).collect();
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
    for weird in [
        JsValue::UNDEFINED,
        JsValue::from(js_sys::Function::new_no_args("return 1")),
        JsValue::from(js_sys::BigInt::from(5u32)),
    ] {
        let out = check_prerequisites(weird);
        let code = get(&get(&out, "error"), "code").as_string().unwrap();
        assert_eq!(code, "validation_failed");
    }
    // A cycle cannot be serialized either.
    let cyclic = Object::new();
    Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    assert_eq!(
        get(&get(&check_prerequisites(cyclic.into()), "error"), "code").as_string().as_deref(),
        Some("validation_failed")
    );
}

#[wasm_bindgen_test]
fn error_code_table_matches_the_api_statuses() {
    let table: Array = error_codes().dyn_into().unwrap();
    let find = |code: &str| {
        table
            .iter()
            .find(|r| get(r, "code").as_string().as_deref() == Some(code))
            .map(|r| get(&r, "http_status").as_f64().unwrap())
    };
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
    assert_eq!(
        ids(&filter_customers(rows.clone(), q(r#"{"frozen": true}"#))),
        r#"["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]"#
    );
    assert_eq!(
        ids(&filter_customers(rows.clone(), q(r#"{"sort": "mtd_spend", "order": "desc"}"#))),
        r#"["cccccccccccccccccccccccccccccccc","aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]"#
    );
    assert_eq!(
        ids(&filter_customers(rows.clone(), q(r#"{"tag": ["gov", "vip"], "budget_usage_min": 75}"#))),
        r#"["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]"#
    );
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

const DRAFTS: &str = include_str!("fixtures/drafts.json");
/// The reviewed answers, one per draft fixture (the host test writes and checks the same files).
const GOLDEN: &[(&str, &str)] = &[
    ("ecs-monthly", include_str!("golden/ecs-monthly.json")),
    ("ecs-yearly-data-disks-eip", include_str!("golden/ecs-yearly-data-disks-eip.json")),
    ("ecs-pay-per-use-password", include_str!("golden/ecs-pay-per-use-password.json")),
    ("ecs-shared-bandwidth", include_str!("golden/ecs-shared-bandwidth.json")),
    ("evs-monthly", include_str!("golden/evs-monthly.json")),
    ("evs-yearly", include_str!("golden/evs-yearly.json")),
    ("evs-pay-per-use", include_str!("golden/evs-pay-per-use.json")),
    ("eip-monthly", include_str!("golden/eip-monthly.json")),
    ("eip-yearly-1000", include_str!("golden/eip-yearly-1000.json")),
    ("eip-pay-per-use", include_str!("golden/eip-pay-per-use.json")),
    ("eip-shared", include_str!("golden/eip-shared.json")),
    ("invalid-ecs-many", include_str!("golden/invalid-ecs-many.json")),
    ("invalid-ecs-24-disks", include_str!("golden/invalid-ecs-24-disks.json")),
    ("invalid-ecs-name-count", include_str!("golden/invalid-ecs-name-count.json")),
    ("invalid-evs", include_str!("golden/invalid-evs.json")),
    ("invalid-eip", include_str!("golden/invalid-eip.json")),
    ("invalid-eip-yearly-traffic", include_str!("golden/invalid-eip-yearly-traffic.json")),
    ("invalid-ecs-password-windows", include_str!("golden/invalid-ecs-password-windows.json")),
    ("invalid-ecs-password-root", include_str!("golden/invalid-ecs-password-root.json")),
    ("invalid-shape", include_str!("golden/invalid-shape.json")),
];

/// JSON text with object keys sorted, to compare values regardless of key order.
fn canonical(v: &JsValue) -> serde_json::Value {
    serde_json::from_str(&json(v)).unwrap()
}

#[wasm_bindgen_test]
fn every_draft_fixture_gets_its_golden_answer_through_the_exports() {
    let all = JSON::parse(DRAFTS).unwrap();
    let fixtures: Array = get(&all, "fixtures").dyn_into().unwrap();
    assert_eq!(fixtures.length() as usize, GOLDEN.len(), "a golden file per fixture");
    let customer = get(&all, "customer");
    for f in fixtures.iter() {
        let name = get(&f, "name").as_string().unwrap();
        let golden: serde_json::Value =
            serde_json::from_str(GOLDEN.iter().find(|(n, _)| *n == name).unwrap().1).unwrap();
        let draft = get(&f, "draft");
        let project = get(&f, "project_id").as_string().unwrap();
        let checked = validate_order(draft.clone());
        let payload = build_order_payload(draft.clone(), &project);
        let quote = quote_order(draft.clone(), customer.clone());
        let prepared = prepare_order(draft, &project, customer.clone());
        for v in [&checked, &payload, &quote, &prepared] {
            assert!(is_plain_object(v), "{name}: plain objects");
        }
        match golden.get("error") {
            Some(e) => {
                for v in [&checked, &payload, &quote, &prepared] {
                    assert_eq!(&canonical(v)["error"], e, "{name}: same error, every detail and path");
                }
            }
            None => {
                assert_eq!(canonical(&checked), serde_json::json!({"valid": true}), "{name}");
                assert_eq!(canonical(&payload), golden["payload"], "{name}: payload");
                assert_eq!(canonical(&quote), golden["quote"], "{name}: quote");
                assert_eq!(canonical(&prepared), golden, "{name}: prepared");
                // Huawei's quirks survive the boundary: strings for ECS/EVS flags, booleans for EIP.
                let text = json(&payload);
                assert!(!text.contains("null"), "{name}: nulls are omitted");
            }
        }
    }
}

#[wasm_bindgen_test]
fn the_catalog_is_the_compiled_in_data_and_regions_filter_it() {
    let all = canonical(&catalog_view(None));
    assert_eq!(all["version"], "2026-11-01");
    assert!(all["flavors"].as_array().unwrap().len() >= 12);
    let bkk = canonical(&catalog_view(Some("ap-southeast-2".into())));
    assert_eq!(bkk["regions"].as_array().unwrap().len(), 1);
    let bad = canonical(&catalog_view(Some("mars-1".into())));
    assert_eq!(bad["error"]["details"][0]["path"], serde_json::json!(["region"]));
}
