use super::*;

#[test]
fn keys_are_required_and_printable() {
    assert_eq!(key(Some("abc-123")).ok().as_deref(), Some("abc-123"));
    assert_eq!(
        key(Some("\"8e03978e-40d5-43e8-bc93-6894a57f9324\"")).ok().as_deref(),
        Some("8e03978e-40d5-43e8-bc93-6894a57f9324")
    );
    for bad in [None, Some(""), Some("a b"), Some("\"\""), Some("é")] {
        assert_eq!(key(bad).err().map(|e| e.code), Some(Code::IdempotencyKeyRequired), "{bad:?}");
    }
    assert!(key(Some(&"x".repeat(256))).is_err());
}

#[test]
fn same_body_replays_another_body_is_422_running_is_409() {
    let done = Stored::Done { fingerprint: "f1".into(), status: 201, body: "{}".into() };
    assert_eq!(decide(&done, "f1").ok(), Some(Decision::Replay { status: 201, body: "{}".into() }));
    assert_eq!(decide(&done, "f2").err().map(|e| e.http_status()), Some(422));
    let running = Stored::InFlight { fingerprint: "f1".into() };
    assert_eq!(decide(&running, "f1").err().map(|e| e.http_status()), Some(409));
    assert_eq!(decide(&running, "f2").err().map(|e| e.http_status()), Some(422));
    assert_eq!(
        fingerprint(&serde_json::json!({"a": 1})),
        fingerprint(&serde_json::from_str("{ \"a\" :  1 }").unwrap_or_default())
    );
}
