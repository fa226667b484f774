//! Request bodies: the strict JSON reader never panics, and what it accepts is stable:
//! parse -> encode -> parse gives the same value.
#![no_main]
use libfuzzer_sys::fuzz_target;
use onbehalf::decode::{no_fields, parse_json};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(v) = parse_json(text) {
        let again = parse_json(&v.to_string()).expect("an encoded value parses again");
        assert_eq!(again, v);
        let _ = no_fields(&v);
    }
});
