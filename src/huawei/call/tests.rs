use super::*;

fn cred(token: Option<&str>) -> Credential {
    Credential { access: "AK1".into(), secret: "SK1".into(), security_token: token.map(str::to_string) }
}

#[test]
fn the_call_signs_what_it_sends() {
    let now = Timestamp::parse("2026-12-01T03:30:05Z").unwrap();
    let body = serde_json::json!({"a": 1});
    let t = Target {
        query: &[("x y", "1/2")],
        body: Some(&body),
        extra: &[("X-Client-Token", "tok")],
        ..Target::new("POST", "http://127.0.0.1:8/ecs/ap-southeast-1", "/v1.1/p1/cloudservers")
    };
    let c = build(&t, &cred(Some("ST")), now).unwrap();
    assert_eq!(c.url, "http://127.0.0.1:8/ecs/ap-southeast-1/v1.1/p1/cloudservers?x%20y=1%2F2");
    assert_eq!(c.body.as_deref(), Some(r#"{"a":1}"#));
    let h = |n: &str| c.headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    assert_eq!(h("X-Sdk-Date").as_deref(), Some("20261201T033005Z"));
    assert_eq!(h("X-Security-Token").as_deref(), Some("ST"));
    assert!(h("Host").is_none(), "fetch sets Host from the URL");
    // The signature equals signing the same request independently, Host included.
    let signed = [
        ("X-Sdk-Date", "20261201T033005Z"),
        ("Content-Type", "application/json"),
        ("X-Security-Token", "ST"),
        ("X-Client-Token", "tok"),
        ("Host", "127.0.0.1:8"),
    ];
    let r = sign::Request {
        method: "POST",
        path: "/ecs/ap-southeast-1/v1.1/p1/cloudservers",
        query: &[("x y", "1/2")],
        headers: &signed,
        body: br#"{"a":1}"#,
    };
    assert_eq!(h("Authorization"), sign::authorization("AK1", "SK1", &r, "20261201T033005Z"));
    assert!(h("Authorization")
        .unwrap()
        .contains("SignedHeaders=content-type;host;x-client-token;x-sdk-date;x-security-token,"));
}

#[test]
fn a_get_has_no_body_and_no_content_type() {
    let now = Timestamp::parse("2026-12-01T00:00:00Z").unwrap();
    let c = build(&Target::new("GET", "https://iam.myhuaweicloud.com", "/v3/auth/projects"), &cred(None), now).unwrap();
    assert_eq!(c.url, "https://iam.myhuaweicloud.com/v3/auth/projects");
    assert!(c.body.is_none());
    assert!(c.headers.iter().all(|(k, _)| k != "Content-Type" && k != "X-Security-Token"));
    assert!(build(&Target::new("GET", "iam.example", "/"), &cred(None), now).is_err());
}
