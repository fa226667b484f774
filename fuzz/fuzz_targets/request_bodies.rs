//! Every request body's decoder never panics on any JSON; where a decoded value has an encoding, it
//! decodes back to itself.
#![no_main]
use libfuzzer_sys::fuzz_target;
use onbehalf::decode::parse_json;
use onbehalf::grants::{decode_reason, Approval, Capabilities, GrantPermission, RequestAuthorization};
use onbehalf::masking::RevealRequest;
use onbehalf::portal::{decode_origins, MintRequest};
use onbehalf::prerequisites::PrerequisiteInput;
use onbehalf::quotes::QuoteCustomer;
use onbehalf::sessions::StartRequest;
use onbehalf::time::Timestamp;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(v) = parse_json(text) else { return };
    let now = Timestamp::from_unix(1_800_000_000);
    let _ = RevealRequest::decode(&v, true);
    let _ = RevealRequest::decode(&v, false);
    let _ = RequestAuthorization::decode(&v);
    let _ = Approval::decode(&v, &Capabilities::all());
    let _ = GrantPermission::decode(&v, now);
    let _ = MintRequest::decode(&v);
    let _ = StartRequest::decode(&v);
    let _ = decode_reason(&v, true);
    let _ = decode_reason(&v, false);
    let _ = QuoteCustomer::decode(&v);
    if let Ok(list) = decode_origins(&v) {
        let again = decode_origins(&serde_json::json!({ "origins": list })).expect("normalized origins decode again");
        assert_eq!(again, list);
    }
    if let Ok(input) = PrerequisiteInput::decode(&v) {
        // The report runs on any decoded input.
        let _ = input.run();
    }
});
