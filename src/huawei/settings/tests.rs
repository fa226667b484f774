use super::*;
use crate::decode::field;
use serde_json::json;

#[test]
fn a_key_needs_both_parts_and_never_shows_its_secret() {
    let k = KeyInput::decode(&json!({"access_key_id": "HPUAABCDEFGHIJKLMNOP", "secret_access_key": "s3cr3t/Key+x"}))
        .unwrap();
    assert!(!format!("{k:?}").contains("s3cr3t"));
    let e = KeyInput::decode(&json!({"access_key_id": "HPUA ABC", "extra": 1})).unwrap_err();
    let paths: Vec<String> = e.details.iter().map(|d| format!("{:?}:{}", d.path, d.code)).collect();
    assert_eq!(e.details.len(), 3, "{paths:?}");
    let e = KeyInput::decode(&json!({"access_key_id": "AK1234567890", "secret_access_key": "has space"})).unwrap_err();
    assert_eq!(e.details[0].path, field(&Path::new(), "secret_access_key"));
    assert!(!e.message.contains("has space"));
}

#[test]
fn accounts_follow_huaweis_names() {
    let a = Account::decode(&json!({"domain_name": "acme-cloud", "agency_name": "onbehalf partner"})).unwrap();
    assert_eq!(a.agency_name, "onbehalf partner");
    assert!(Account::decode(&json!({"domain_name": "acme cloud", "agency_name": "x"})).is_err());
    assert!(Account::decode(&json!({"domain_name": "a", "agency_name": ""})).is_err());
    assert!(Account::decode(&json!({"domain_name": "a", "agency_name": "x".repeat(65)})).is_err());
    assert_eq!(Account::suggested_agency("Acme Reseller Ltd."), "onbehalf-acme-reseller-ltd");
}

#[test]
fn the_key_id_is_shown_masked() {
    assert_eq!(masked_key_id("HPUAABCDEFGHIJKLMNOP"), "HPUA************MNOP");
    assert_eq!(masked_key_id("short"), "*****");
}
