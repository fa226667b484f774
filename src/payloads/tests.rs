//! Golden files: every shared draft fixture's Huawei request (or validation error) and quote equals
//! the reviewed `tests/golden/<name>.json`; every golden body is checked key by key against the
//! reference tables. `UPDATE_GOLDEN=1 cargo test golden` rewrites the files for review.

use super::*;
use crate::catalog::catalog;
use crate::drafts::validate;
use crate::quotes::{quote, QuoteCustomer};
use serde_json::{json, Value};
use std::path::PathBuf;

const FIXTURES: &str = include_str!("../../tests/fixtures/drafts.json");

fn fixtures() -> Value {
    serde_json::from_str(FIXTURES).unwrap_or_else(|e| panic!("fixtures: {e}"))
}

/// The answer the core gives for one fixture, in the golden file's shape.
pub fn answer(f: &Value, customer: &Value) -> Value {
    let Ok(cat) = catalog() else { panic!("catalog") };
    let customer = QuoteCustomer::decode(customer).unwrap_or_else(|e| panic!("{e:?}"));
    match validate(&f["draft"], cat) {
        Err(e) => json!({ "error": e.to_body()["error"] }),
        Ok(d) => {
            let payload = build(&d, f["project_id"].as_str().unwrap_or_default()).unwrap_or_else(|e| panic!("{e:?}"));
            let q = quote(&d, cat, &customer).unwrap_or_else(|e| panic!("{e:?}"));
            json!({ "payload": payload, "quote": q })
        }
    }
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

#[test]
fn golden_every_fixture_matches_its_reviewed_answer() {
    let all = fixtures();
    let update = std::env::var("UPDATE_GOLDEN").is_ok();
    let Some(list) = all["fixtures"].as_array() else { panic!("no fixtures") };
    for f in list {
        let name = f["name"].as_str().unwrap_or_default();
        let got = answer(f, &all["customer"]);
        let file = golden_dir().join(format!("{name}.json"));
        if update {
            let _ = std::fs::create_dir_all(golden_dir());
            let text = serde_json::to_string_pretty(&got).unwrap_or_default() + "\n";
            std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
            continue;
        }
        let want: Value = std::fs::read_to_string(&file)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_else(|| panic!("missing golden {}", file.display()));
        assert_eq!(got, want, "fixture {name} differs from its golden file");
        // Valid fixtures are named after what they order; invalid ones start with "invalid-".
        assert_eq!(got.get("error").is_some(), name.starts_with("invalid-"), "{name}");
    }
}

/// One allowed key of a Huawei object: its JSON type and the values it may take.
#[derive(Clone, Copy)]
enum T {
    Str(&'static [&'static str]),
    /// A string of `min..=max` characters (`bool` strings are `Str(&["true","false"])`).
    Text(usize, usize),
    Int(i64, i64),
    Bool,
    Obj(&'static [(&'static str, T)]),
    /// An array of at most `n` items of the type.
    Arr(usize, &'static T),
    /// A string-to-string map of at most `n` pairs.
    Map(usize),
}

const ON_OFF: T = T::Str(&["true", "false"]);
const UUID: T = T::Text(36, 36);
// 1.4 volumes.
const VOLUME_TYPES: &[&str] = &["SATA", "SAS", "SSD", "GPSSD", "co-p1", "uh-l1", "ESSD", "GPSSD2", "ESSD2"];
const ROOT_VOLUME: T = T::Obj(&[
    ("volumetype", T::Str(VOLUME_TYPES)),
    ("size", T::Int(1, 1024)),
    ("iops", T::Int(1, 256000)),
    ("throughput", T::Int(1, 1000)),
]);
const DATA_VOLUME: T = T::Obj(&[
    ("volumetype", T::Str(VOLUME_TYPES)),
    ("size", T::Int(10, 32768)),
    ("multiattach", T::Bool),
    ("iops", T::Int(1, 256000)),
    ("throughput", T::Int(1, 1000)),
]);
// 1.6 publicip.eip.
const ECS_BANDWIDTH: T = T::Obj(&[
    ("size", T::Int(1, 2000)),
    ("sharetype", T::Str(&["PER", "WHOLE"])),
    ("chargemode", T::Str(&["traffic"])),
    ("id", UUID),
]);
const ECS_EIP: T = T::Obj(&[
    ("iptype", T::Str(&["5_bgp", "5_sbgp"])),
    ("bandwidth", ECS_BANDWIDTH),
    ("extendparam", T::Obj(&[("chargingMode", T::Str(&["prePaid", "postPaid"]))])),
]);
// 1.5 extendparam.
const ECS_EXTEND: T = T::Obj(&[
    ("chargingMode", T::Str(&["prePaid", "postPaid"])),
    ("regionID", T::Text(1, 64)),
    ("periodType", T::Str(&["month", "year"])),
    ("periodNum", T::Int(1, 9)),
    ("isAutoRenew", ON_OFF),
    ("isAutoPay", ON_OFF),
]);
// 1.3 server.
const SERVER: T = T::Obj(&[
    ("availability_zone", T::Text(1, 64)),
    ("name", T::Text(1, 64)),
    ("imageRef", UUID),
    ("flavorRef", T::Text(1, 64)),
    ("vpcid", UUID),
    ("nics", T::Arr(12, &T::Obj(&[("subnet_id", UUID)]))),
    ("security_groups", T::Arr(10, &T::Obj(&[("id", UUID)]))),
    ("root_volume", ROOT_VOLUME),
    ("data_volumes", T::Arr(23, &DATA_VOLUME)),
    ("publicip", T::Obj(&[("eip", ECS_EIP)])),
    ("key_name", T::Text(1, 64)),
    ("adminPass", T::Text(8, 26)),
    ("count", T::Int(1, 100)),
    ("extendparam", ECS_EXTEND),
    ("metadata", T::Map(10)),
    ("server_tags", T::Arr(10, &T::Obj(&[("key", T::Text(1, 36)), ("value", T::Text(0, 43))]))),
]);
const ECS_BODY: T = T::Obj(&[("server", SERVER)]);
// 2.2 / 2.3.
const EVS_BODY: T = T::Obj(&[
    (
        "bssParam",
        T::Obj(&[
            ("chargingMode", T::Str(&["prePaid", "postPaid"])),
            ("periodType", T::Str(&["month", "year"])),
            ("periodNum", T::Int(1, 9)),
            ("isAutoPay", ON_OFF),
            ("isAutoRenew", ON_OFF),
        ]),
    ),
    (
        "volume",
        T::Obj(&[
            ("availability_zone", T::Text(1, 64)),
            ("volume_type", T::Str(&["SATA", "SAS", "GPSSD", "SSD", "ESSD", "GPSSD2", "ESSD2"])),
            ("size", T::Int(10, 32768)),
            ("count", T::Int(1, 100)),
            ("name", T::Text(1, 255)),
            ("multiattach", T::Bool),
            ("iops", T::Int(1, 256000)),
            ("throughput", T::Int(1, 1000)),
        ]),
    ),
]);
// 3.1 - 3.3.
const EIP_BODY: T = T::Obj(&[
    (
        "publicip",
        T::Obj(&[
            ("type", T::Str(&["5_bgp", "5_sbgp", "5_telcom", "5_union", "5_ipv6"])),
            ("ip_version", T::Int(4, 6)),
            ("alias", T::Text(1, 64)),
        ]),
    ),
    (
        "bandwidth",
        T::Obj(&[
            ("name", T::Text(1, 64)),
            ("size", T::Int(1, 2000)),
            ("share_type", T::Str(&["PER", "WHOLE"])),
            ("charge_mode", T::Str(&["bandwidth", "traffic"])),
            ("id", UUID),
        ]),
    ),
    (
        "extendParam",
        T::Obj(&[
            ("charge_mode", T::Str(&["prePaid", "postPaid"])),
            ("period_type", T::Str(&["month", "year"])),
            ("period_num", T::Int(1, 9)),
            ("is_auto_renew", T::Bool),
            ("is_auto_pay", T::Bool),
        ]),
    ),
]);

fn conforms(v: &Value, t: &T, at: &str, errs: &mut Vec<String>) {
    match (t, v) {
        (T::Str(allowed), Value::String(s)) if allowed.contains(&s.as_str()) => {}
        (T::Text(lo, hi), Value::String(s)) if (*lo..=*hi).contains(&s.chars().count()) => {}
        (T::Int(lo, hi), Value::Number(n)) if n.as_i64().is_some_and(|n| (*lo..=*hi).contains(&n)) => {}
        (T::Bool, Value::Bool(_)) => {}
        (T::Map(n), Value::Object(m)) if m.len() <= *n && m.values().all(Value::is_string) => {}
        (T::Arr(n, item), Value::Array(a)) if a.len() <= *n => {
            for (i, x) in a.iter().enumerate() {
                conforms(x, item, &format!("{at}[{i}]"), errs);
            }
        }
        (T::Obj(keys), Value::Object(m)) => {
            for (k, x) in m {
                match keys.iter().find(|(n, _)| n == k) {
                    Some((_, kt)) => conforms(x, kt, &format!("{at}.{k}"), errs),
                    None => errs.push(format!("{at}.{k}: a key the API does not know")),
                }
            }
        }
        _ => errs.push(format!("{at}: {v} does not fit the reference table")),
    }
}

#[test]
fn golden_bodies_conform_to_the_reference_tables() {
    let mut checked = 0;
    for entry in std::fs::read_dir(golden_dir()).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.map(|e| e.path()).unwrap_or_default();
        let g: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_default()).unwrap_or_default();
        let Some(p) = g.get("payload") else { continue };
        let route = p["path"].as_str().unwrap_or_default();
        let (schema, version) = if route.ends_with("/cloudservers") {
            (&ECS_BODY, "/v1.1/")
        } else if route.ends_with("/cloudvolumes") {
            (&EVS_BODY, "/v2.1/")
        } else {
            let prepaid = p["body"].get("extendParam").is_some();
            (&EIP_BODY, if prepaid { "/v2.0/" } else { "/v1/" })
        };
        assert_eq!(p["method"], "POST");
        assert!(route.starts_with(version), "{}: {route}", path.display());
        let mut errs = Vec::new();
        conforms(&p["body"], schema, "body", &mut errs);
        assert!(errs.is_empty(), "{}: {errs:#?}", path.display());
        let body = &p["body"];
        // Required keys of the reference tables.
        if version == "/v1.1/" {
            for k in ["imageRef", "flavorRef", "name", "vpcid", "nics", "root_volume"] {
                assert!(body["server"].get(k).is_some(), "{}: server.{k}", path.display());
            }
            let x = &body["server"]["extendparam"];
            if x["chargingMode"] == "prePaid" {
                assert!(x["periodType"].is_string() && x["periodNum"].is_i64(), "{}", path.display());
                if x["periodType"] == "year" {
                    assert!(x["periodNum"].as_i64() <= Some(3));
                }
                if body["server"].get("key_name").is_some() {
                    assert!(
                        body["server"]["metadata"]["op_svc_userid"].is_string(),
                        "{}: op_svc_userid with a key pair",
                        path.display()
                    );
                }
            }
            for v in
                body["server"]["data_volumes"].as_array().into_iter().flatten().chain([&body["server"]["root_volume"]])
            {
                if v.get("iops").is_some() {
                    assert_eq!(x["chargingMode"], "postPaid", "{}: iops only pay-per-use", path.display());
                }
            }
        }
        if version == "/v2.1/" {
            let b = &body["bssParam"];
            if b["periodType"] == "year" {
                assert_eq!(b["periodNum"], 1, "{}: a standalone EVS disk is sold for 1 year only", path.display());
            }
            assert!(body["volume"].get("availability_zone").is_some() && body["volume"].get("volume_type").is_some());
        }
        if route.contains("/publicips") {
            let bw = &body["bandwidth"];
            if bw["share_type"] == "WHOLE" {
                assert!(bw["id"].is_string());
            } else {
                assert!(bw["name"].is_string() && bw["size"].is_i64());
            }
        }
        checked += 1;
    }
    assert!(checked >= 11, "every valid fixture has a golden payload ({checked})");
}

#[test]
fn a_project_id_must_be_32_hex_digits() {
    let Ok(cat) = catalog() else { panic!("catalog") };
    let all = fixtures();
    let d = validate(&all["fixtures"][0]["draft"], cat).unwrap_or_else(|e| panic!("{e:?}"));
    let e = build(&d, "not-a-project").err().map(|e| e.to_body());
    assert_eq!(e.as_ref().map(|b| b["error"]["details"][0]["path"].clone()), Some(json!(["project_id"])));
    let ok = build(&d, "0605767d0d8b4f0a9a5b4c3d2e1f0a9b").map(|r| r.path);
    assert_eq!(ok.ok().as_deref(), Some("/v1.1/0605767d0d8b4f0a9a5b4c3d2e1f0a9b/cloudservers"));
}

/// The TypeScript interfaces of the browser module name exactly the keys the Rust types serialize.
#[test]
fn typescript_types_match_quotes_and_payloads() {
    use crate::testutil::{json_keys, ts_keys};
    let all = fixtures();
    let a = answer(&all["fixtures"][2], &all["customer"]);
    let q = &a["quote"];
    assert_eq!(json_keys(&a["payload"]), ts_keys("HuaweiRequest"));
    assert_eq!(json_keys(q), ts_keys("Quote"));
    assert_eq!(json_keys(&q["lines"][0]), ts_keys("QuoteLine"));
    assert_eq!(json_keys(&q["lines"][0]["unit_price"]), ts_keys("UnitPrice"));
    assert_eq!(json_keys(&q["budget"]), ts_keys("BudgetImpact"));
    let traffic = all["fixtures"]
        .as_array()
        .and_then(|f| f.iter().find(|x| x["name"] == "eip-pay-per-use"))
        .cloned()
        .unwrap_or_default();
    let t = answer(&traffic, &all["customer"]);
    assert_eq!(json_keys(&t["quote"]["usage_based"][0]), ts_keys("UsagePrice"));
    let c = serde_json::to_value(catalog().unwrap_or_else(|e| panic!("{e:?}"))).unwrap_or_default();
    assert_eq!(json_keys(&c), ts_keys("Catalog"));
    let d = &all["fixtures"][1]["draft"];
    assert!(json_keys(d).iter().all(|k| ts_keys("OrderDraft").contains(k)));
    assert!(json_keys(&d["ecs"]).iter().all(|k| ts_keys("EcsDraft").contains(k)));
}
