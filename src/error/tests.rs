use super::*;
use std::collections::HashSet;

#[test]
fn wire_strings_are_unique_snake_case_and_round_trip() {
    let mut seen = HashSet::new();
    for c in Code::ALL {
        let s = c.as_str();
        assert!(seen.insert(s), "duplicate code {s}");
        assert!(s.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_' || ch.is_ascii_digit()), "{s}");
        assert_eq!(Code::parse(s), Some(*c));
        assert!(!c.default_message().is_empty());
    }
}

#[test]
fn readme_documents_every_code() {
    let readme = include_str!("../../README.md");
    for c in Code::ALL {
        let row = format!("| `{}` | {} |", c.as_str(), c.http_status());
        assert!(readme.contains(&row), "README error table lacks the row starting {row}");
    }
}

#[test]
fn body_shape_carries_code_message_and_paths() {
    let e = ApiError::validation(vec![FieldError::new(
        vec![PathSeg::Key("capabilities".into()), PathSeg::Index(1)],
        Code::InvalidValue,
        "unknown capability",
    )]);
    let b = e.to_body();
    assert_eq!(b["error"]["code"], "validation_failed");
    assert_eq!(b["error"]["details"][0]["path"], serde_json::json!(["capabilities", 1]));
    assert_eq!(b["error"]["details"][0]["code"], "invalid_value");
    assert_eq!(e.http_status(), 400);
}
