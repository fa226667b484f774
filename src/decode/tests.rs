use super::*;
use serde_json::json;

#[test]
fn collects_every_error_with_paths_including_unknown_fields() {
    let v = json!({"name": 5, "extra": true, "tags": ["a", 3]});
    let mut d = Decoder::new();
    let mut o = d.object(&v, vec![]).unwrap();
    let name = d.required(&mut o, "name").and_then(|(v, p)| d.str(v, &p).map(str::to_string));
    let _missing = d.required(&mut o, "id");
    let tags =
        d.optional(&mut o, "tags").and_then(|(v, p)| d.array(v, &p, 10, |d, x, p| d.str(x, &p).map(str::to_string)));
    d.close(o);
    assert!(name.is_none() && tags.is_none());
    let errs = d.into_errors();
    let got: Vec<(String, &str)> =
        errs.iter().map(|e| (serde_json::to_string(&e.path).unwrap(), e.code.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (r#"["name"]"#.to_string(), "invalid_type"),
            (r#"["id"]"#.to_string(), "required"),
            (r#"["tags",1]"#.to_string(), "invalid_type"),
            (r#"["extra"]"#.to_string(), "unknown_field"),
        ]
    );
}

#[test]
fn malformed_json_has_its_own_code() {
    assert_eq!(parse_json("{").unwrap_err().code, Code::MalformedJson);
    assert!(parse_json(r#"{"a":1}"#).is_ok());
}

#[test]
fn int_range_and_text_length() {
    let mut d = Decoder::new();
    assert_eq!(d.int(&json!(5), &vec![], 1, 10), Some(5));
    assert_eq!(d.int(&json!(0), &vec![], 1, 10), None);
    assert_eq!(d.int(&json!(1.5), &vec![], 1, 10), None);
    assert_eq!(d.text(&json!("  ab  "), &vec![], 2, 4).as_deref(), Some("ab"));
    assert_eq!(d.text(&json!("a"), &vec![], 2, 4), None);
    let codes: Vec<_> = d.into_errors().into_iter().map(|e| e.code).collect();
    assert_eq!(codes, vec![Code::OutOfRange, Code::InvalidType, Code::OutOfRange]);
}

#[test]
fn duplicate_keys_are_refused_with_their_paths() {
    let e = parse_json(r#"{"a": 1, "b": {"c": [1, {"d": 2, "d": 3}]}, "a": 2}"#).unwrap_err();
    assert_eq!(e.code, Code::ValidationFailed);
    let got: Vec<(String, Code)> =
        e.details.iter().map(|d| (serde_json::to_string(&d.path).unwrap(), d.code)).collect();
    assert_eq!(
        got,
        vec![(r#"["b","c",1,"d"]"#.to_string(), Code::Duplicate), (r#"["a"]"#.to_string(), Code::Duplicate)]
    );
    assert_eq!(parse_json("{\"a\": 1} x").unwrap_err().code, Code::MalformedJson, "trailing text");
    assert_eq!(parse_json("").unwrap_err().code, Code::MalformedJson);
}

proptest::proptest! {
    /// Without duplicate keys, the strict reader gives exactly what serde_json gives.
    #[test]
    fn strict_parsing_equals_serde_json_on_documents_without_duplicates(v in json_value()) {
        let text = v.to_string();
        proptest::prop_assert_eq!(parse_json(&text).ok(), serde_json::from_str::<Value>(&text).ok());
    }
}

fn json_value() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        ".{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z]{0,3}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Found by the json_body fuzz target: without correctly rounded float parsing this number came back
/// one ulp off after one more encode and parse.
#[test]
fn numbers_survive_encode_and_parse_again() {
    for text in [
        "38888808888888888888888888888888888888888",
        "3.8888808888888895e40",
        "0.30000000000000004",
        "1e-7",
        "123456789012345678901234567890",
    ] {
        let v = parse_json(text).unwrap();
        assert_eq!(parse_json(&v.to_string()).unwrap(), v, "{text}");
    }
}
