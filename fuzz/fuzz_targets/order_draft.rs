//! Order drafts: validate (then build the Huawei request and the quote) never panics on any JSON, and
//! the verdict is stable: the same draft, encoded and read again, gets the same answer.
#![no_main]
use libfuzzer_sys::fuzz_target;
use onbehalf::catalog::catalog;
use onbehalf::decode::parse_json;
use onbehalf::drafts::validate;
use onbehalf::quotes::{quote, QuoteCustomer};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(v) = parse_json(text) else { return };
    let Ok(cat) = catalog() else { return };
    let first = validate(&v, cat);
    let again = validate(&parse_json(&v.to_string()).expect("re-parse"), cat);
    assert_eq!(first.as_ref().err(), again.as_ref().err(), "the same errors for the same draft");
    if let Ok(d) = first {
        let request = onbehalf::payloads::build(&d, "0605767d0d8b4f0a9a5b4c3d2e1f0a9b").expect("a valid draft builds");
        let body = serde_json::to_value(&request).expect("the request encodes");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&body.to_string()).ok(), Some(body));
        let _ = quote(&d, cat, &QuoteCustomer { id: d.customer_id.clone(), budget: None });
    }
});
