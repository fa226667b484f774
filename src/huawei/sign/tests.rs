use super::*;

/// Huawei's published example (API signing guide, "signing process"), reproduced by the official SDK.
fn vector() -> Request<'static> {
    Request {
        method: "GET",
        path: "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs",
        query: &[("marker", "13551d6b-755d-4757-b956-536f674975c0"), ("limit", "2")],
        headers: &[
            ("Content-Type", "application/json"),
            ("Host", "service.region.example.com"),
            ("X-Sdk-Date", "20191115T033655Z"),
        ],
        body: b"",
    }
}

#[test]
fn the_published_test_vector() {
    let canonical = canonical_request(&vector());
    assert_eq!(
        canonical,
        "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\nlimit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n\
         content-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\n\
         content-type;host;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        hex(&Sha256::digest(canonical.as_bytes())),
        "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
    );
    let auth = authorization(
        "QTWAOYTTINDUT2QVKYUC",
        "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
        &vector(),
        "20191115T033655Z",
    );
    assert_eq!(
        auth.as_deref(),
        Some(
            "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, \
             Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
        )
    );
}

#[test]
fn paths_are_encoded_once_and_names_with_underscores_are_not_signed() {
    let r = Request {
        method: "post",
        path: "/v1/p/my%20dir/a b",
        query: &[("q", "x y"), ("a", "")],
        headers: &[("X_Custom", "1"), ("Host", "h"), ("X-Sdk-Date", "20260101T000000Z")],
        body: b"{}",
    };
    let c = canonical_request(&r);
    let lines: Vec<&str> = c.split('\n').collect();
    assert_eq!(lines[0], "POST");
    assert_eq!(lines[1], "/v1/p/my%20dir/a%20b/", "an encoded and a raw space sign the same");
    assert_eq!(lines[2], "a=&q=x%20y");
    assert_eq!(lines[lines.len() - 2], "host;x-sdk-date");
    assert_ne!(lines[lines.len() - 1], hex(&Sha256::digest(b"")), "the body is hashed");
}

#[test]
fn an_unsigned_payload_header_stands_for_the_body_hash() {
    let headers =
        [("X-Sdk-Date", "20261201T100000Z"), ("Host", "smsapi.example"), (CONTENT_SHA256, "UNSIGNED-PAYLOAD")];
    let r = |body: &'static [u8]| Request {
        method: "POST",
        path: "/sms/batchSendSms/v1",
        query: &[],
        headers: &headers,
        body,
    };
    let a = canonical_request(&r(b"to=%2B86&templateId=1"));
    assert!(a.ends_with("\nUNSIGNED-PAYLOAD"), "{a}");
    assert!(a.contains("x-sdk-content-sha256:UNSIGNED-PAYLOAD\n"), "the header itself is signed");
    assert_eq!(a, canonical_request(&r(b"to=%2B44&templateId=2")));
}
