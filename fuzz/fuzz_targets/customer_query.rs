//! The Customer Management query string: decoding never panics on any parameters (cursors included),
//! and a cursor encoded for a decoded query decodes back to the same position for that query only.
#![no_main]
use libfuzzer_sys::fuzz_target;
use onbehalf::customers::query::{encode_cursor, Cursor, CustomerQuery, SortValue};
use onbehalf::ids::CustomerId;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let pairs: Vec<(String, String)> = text
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (p.to_string(), String::new()),
        })
        .collect();
    let Ok(q) = CustomerQuery::decode(&pairs) else { return };
    let n = data.len() as i64;
    for value in [SortValue::Int(n), SortValue::Text(text.chars().take(16).collect())] {
        let c = Cursor { value, id: CustomerId::from_bytes(&[data.first().copied().unwrap_or(0); 16]) };
        let mut with: Vec<(String, String)> = pairs.iter().filter(|(k, _)| k != "cursor").cloned().collect();
        with.push(("cursor".into(), encode_cursor(&q, &c)));
        if let Ok(q2) = CustomerQuery::decode(&with) {
            assert_eq!(q2.cursor, Some(c), "a cursor comes back as it was encoded");
        }
    }
});
