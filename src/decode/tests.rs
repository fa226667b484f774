use super::*;
use serde_json::json;

#[test]
fn collects_every_error_with_paths_including_unknown_fields() {
    let v = json!({"name": 5, "extra": true, "tags": ["a", 3]});
    let mut d = Decoder::new();
    let mut o = d.object(&v, vec![]).unwrap();
    let name = d.required(&mut o, "name").and_then(|(v, p)| d.str(v, &p).map(str::to_string));
    let _missing = d.required(&mut o, "id");
    let tags = d.optional(&mut o, "tags").and_then(|(v, p)| d.array(v, &p, 10, |d, x, p| d.str(x, &p).map(str::to_string)));
    d.close(o);
    assert!(name.is_none() && tags.is_none());
    let errs = d.into_errors();
    let got: Vec<(String, &str)> = errs.iter().map(|e| (serde_json::to_string(&e.path).unwrap(), e.code.as_str())).collect();
    assert_eq!(got, vec![
        (r#"["name"]"#.to_string(), "invalid_type"),
        (r#"["id"]"#.to_string(), "required"),
        (r#"["tags",1]"#.to_string(), "invalid_type"),
        (r#"["extra"]"#.to_string(), "unknown_field"),
    ]);
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
