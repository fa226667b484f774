//! Credentials and small text formats from headers and paths: session and portal tokens, consent
//! tokens, Idempotency-Keys, RFC 3339 times. Nothing panics; what is accepted re-encodes to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;
use onbehalf::time::Timestamp;

const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef-fuzz";

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let header = format!("Bearer {s}");
    if let Ok(id) = onbehalf::sessions::verify(SECRET, s) {
        assert_eq!(onbehalf::sessions::token(SECRET, &id).as_deref(), Some(s), "only the exact token verifies");
    }
    // The one Authorization parser: what it accepts is the token sent, whatever its kind.
    match onbehalf::bearer::bearer(Some(&header)) {
        Some(onbehalf::bearer::Bearer::Credential(_, t) | onbehalf::bearer::Bearer::Session(t)) => {
            assert_eq!(t, s.trim())
        }
        None => {}
    }
    let _ = onbehalf::bearer::bearer(Some(s));
    let _ = onbehalf::portal::origin(s);
    let _ = onbehalf::consent::is_token(s);
    if let Ok(k) = onbehalf::idempotency::key(Some(s)) {
        // A key travels as a structured-header string, "…": quoted, it reads back as itself.
        assert_eq!(onbehalf::idempotency::key(Some(&format!("\"{k}\""))).ok(), Some(k));
    }
    if let Some(t) = Timestamp::parse(s) {
        assert_eq!(Timestamp::parse(&t.to_string()), Some(t));
    }
});
