use super::*;
use crate::error::Code;

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn codes_at(e: &ApiError) -> Vec<(String, Code)> {
    e.details.iter().map(|d| (serde_json::to_string(&d.path).unwrap(), d.code)).collect()
}

#[test]
fn defaults_newest_association_first_20_per_page() {
    let q = CustomerQuery::decode(&[]).unwrap();
    assert_eq!((q.sort, q.descending, q.limit), (None, true, DEFAULT_LIMIT));
    let q = CustomerQuery::decode(&pairs(&[("sort", "mtd_spend")])).unwrap();
    assert!(!q.descending, "an explicit sort is ascending unless asked");
}

#[test]
fn every_filter_parses() {
    let q = CustomerQuery::decode(&pairs(&[
        ("auto_frozen", "false"),
        ("frozen", "true"),
        ("association_type", "3"),
        ("associated_from", "2025-01-01T00:00:00Z"),
        ("associated_to", "2026-01-01T00:00:00Z"),
        ("customer_name", "  Acme "),
        ("account_name", "ACME"),
        ("customer_id", &"a".repeat(32)),
        ("account_manager", "Zhang"),
        ("spend_min", "0"),
        ("spend_max", "100000"),
        ("expiry_from", "2026-01-01T00:00:00Z"),
        ("expiry_to", "2027-01-01T00:00:00Z"),
        ("mobile", "+86 138-1234-5678"),
        ("budget_usage_min", "75"),
        ("budget_usage_max", "100"),
        ("tag", "vip"),
        ("tag", "gov"),
        ("tag", "vip"),
        ("can_order", "true"),
        ("authorization", "active"),
        ("authorization_expiring_before", "2027-01-01T00:00:00Z"),
        ("reseller_id", &"b".repeat(32)),
        ("sort", "budget_usage"),
        ("order", "desc"),
        ("limit", "100"),
    ]))
    .unwrap();
    assert_eq!(q.customer_name.as_deref(), Some("acme"), "trimmed and folded");
    assert_eq!(q.account_name.as_deref(), Some("acme"));
    assert_eq!(q.tags, vec!["vip", "gov"], "duplicates dropped");
    assert_eq!(q.mobile_keys, vec![mobile_key("8613812345678")]);
    assert_eq!((q.limit, q.descending, q.sort), (100, true, Some(SortKey::BudgetUsage)));
}

#[test]
fn invalid_filters_name_their_field() {
    let e = CustomerQuery::decode(&pairs(&[
        ("limit", "0"),
        ("frozen", "yes"),
        ("customer_id", "XYZ"),
        ("spend_min", "10"),
        ("spend_max", "5"),
        ("color", "red"),
        ("associated_from", "2026-02-01T00:00:00Z"),
        ("associated_to", "2026-01-01T00:00:00Z"),
        ("mobile", "12ab"),
        ("sort", "real_name"),
        ("cursor", "!!"),
        ("order", "up"),
        ("budget_usage_min", "-1"),
        ("association_type", "2"),
        ("sort", "mtd_spend"),
    ]))
    .unwrap_err();
    assert_eq!(e.code, Code::ValidationFailed);
    let got = codes_at(&e);
    for (path, code) in [
        (r#"["limit"]"#, Code::OutOfRange),
        (r#"["frozen"]"#, Code::InvalidValue),
        (r#"["customer_id"]"#, Code::InvalidFormat),
        (r#"["spend_max"]"#, Code::OutOfRange),
        (r#"["color"]"#, Code::UnknownField),
        (r#"["associated_to"]"#, Code::OutOfRange),
        (r#"["mobile"]"#, Code::InvalidFormat),
        (r#"["sort"]"#, Code::InvalidValue),
        (r#"["cursor"]"#, Code::InvalidFormat),
        (r#"["order"]"#, Code::InvalidValue),
        (r#"["budget_usage_min"]"#, Code::OutOfRange),
        (r#"["association_type"]"#, Code::InvalidValue),
        (r#"["sort"]"#, Code::Duplicate),
    ] {
        assert!(got.contains(&(path.to_string(), code)), "{path} {code:?} not in {got:?}");
    }
    let e = CustomerQuery::decode(&pairs(&[("limit", "1000")])).unwrap_err();
    assert_eq!(codes_at(&e), vec![(r#"["limit"]"#.to_string(), Code::OutOfRange)]);
}

#[test]
fn cursors_round_trip_and_are_bound_to_their_query() {
    let q = CustomerQuery::decode(&pairs(&[("sort", "mtd_spend"), ("frozen", "false")])).unwrap();
    let c = Cursor { value: SortValue::Int(4200), id: CustomerId::parse(&"c".repeat(32)).unwrap() };
    let text = encode_cursor(&q, &c);
    assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "URL-safe: {text}");
    let back = CustomerQuery::decode(&pairs(&[("sort", "mtd_spend"), ("frozen", "false"), ("cursor", &text)])).unwrap();
    assert_eq!(back.cursor, Some(c));
    // Another filter, sort or order: refused.
    for other in [
        &[("sort", "mtd_spend"), ("frozen", "true")][..],
        &[("sort", "mtd_spend"), ("frozen", "false"), ("order", "desc")],
        &[("sort", "budget_usage"), ("frozen", "false")],
    ] {
        let mut p = pairs(other);
        p.push(("cursor".into(), text.clone()));
        assert!(CustomerQuery::decode(&p).is_err(), "{other:?}");
    }
}

#[test]
fn base64url_round_trips() {
    for s in ["", "a", "ab", "abc", "abcd", "{\"x\":\"示例\"}"] {
        assert_eq!(unbase64url(&base64url(s.as_bytes())).unwrap(), s.as_bytes());
    }
    assert!(unbase64url("a").is_none());
    assert!(unbase64url("a+b/").is_none());
}

#[test]
fn mobile_matches_with_or_without_country_code() {
    let (national, full) = mobile_keys("0086", "13812345678");
    for given in ["13812345678", "+86 13812345678", "0086 138 1234 5678", "86-138-1234-5678"] {
        let q = CustomerQuery::decode(&pairs(&[("mobile", given)])).unwrap();
        assert!(q.mobile_keys.iter().any(|k| k == &national || k == &full), "{given}");
    }
    let q = CustomerQuery::decode(&pairs(&[("mobile", "13812345679")])).unwrap();
    assert!(!q.mobile_keys.iter().any(|k| k == &national || k == &full));
    // The key does not contain the number.
    assert!(!national.contains("13812345678"));
}
