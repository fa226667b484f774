use super::*;
use serde_json::json;

fn now() -> Timestamp {
    Timestamp::parse("2026-11-26T00:00:00Z").unwrap()
}

#[test]
fn capabilities_reject_empty_duplicates_and_unknown() {
    for (v, code) in [
        (json!([]), Code::Required),
        (json!(["order", "order"]), Code::Duplicate),
        (json!(["order", "buy"]), Code::InvalidValue),
        (json!("order"), Code::InvalidType),
    ] {
        let mut d = Decoder::new();
        assert!(Capabilities::decode(&mut d, &v, &vec![]).is_none());
        assert_eq!(d.into_errors()[0].code, code, "{v}");
    }
    assert_eq!(Capabilities::from_csv("om,order").unwrap().to_csv(), "order,om");
}

#[test]
fn grant_request_collects_all_errors() {
    let e = GrantPermission::decode(
        &json!({"reseller_id": "x", "capabilities": [], "valid_until": "2020-01-01T00:00:00Z", "color": 1}),
        now(),
    )
    .unwrap_err();
    let paths: Vec<String> = e.details.iter().map(|f| serde_json::to_string(&f.path).unwrap()).collect();
    assert_eq!(paths, vec![r#"["reseller_id"]"#, r#"["capabilities"]"#, r#"["valid_until"]"#, r#"["color"]"#]);
}

#[test]
fn authorization_state_follows_time() {
    let a = CustomerAuthorization {
        id: AuthorizationId::from_bytes(&[1; 12]),
        partner_id: PartnerId::from_bytes(&[2; 16]),
        customer_id: CustomerId::from_bytes(&[3; 16]),
        capabilities: Capabilities::new(vec![Capability::Order]).unwrap(),
        requested_by: None,
        requested_at: now(),
        valid_days: 30,
        status: AuthStatus::Pending,
        decided_at: None,
        expires_at: None,
        revoked_at: None,
        reason: None,
    };
    assert_eq!(a.state(now()), GrantState::Pending);
    assert_eq!(a.state(now().plus(CONSENT_LINK_TTL)), GrantState::RequestExpired);
    let approved = CustomerAuthorization {
        status: AuthStatus::Approved,
        decided_at: Some(now()),
        expires_at: Some(now().plus(30 * DAY)),
        ..a
    };
    assert_eq!(approved.state(now().plus(30 * DAY - 1)), GrantState::Active);
    assert_eq!(approved.state(now().plus(30 * DAY)), GrantState::Expired);
}

#[test]
fn approval_may_only_narrow() {
    let req = Capabilities::new(vec![Capability::Order]).unwrap();
    assert!(Approval::decode(&json!({"code": "123456", "capabilities": ["order"]}), &req).is_ok());
    let e = Approval::decode(&json!({"code": "12345x", "capabilities": ["om"]}), &req).unwrap_err();
    assert_eq!(e.details.len(), 2);
}

#[test]
fn an_approval_may_name_the_huawei_account_and_agency() {
    let req = Capabilities::new(vec![Capability::Order]).unwrap();
    let body =
        json!({"code": "123456", "huawei_account": {"domain_name": "acme-cloud", "agency_name": "onbehalf-skyline"}});
    let a = Approval::decode(&body, &req).unwrap();
    assert_eq!(a.huawei_account.map(|h| h.agency_name).as_deref(), Some("onbehalf-skyline"));
    let bad = json!({"code": "123456", "huawei_account": {"domain_name": "acme cloud"}});
    let e = Approval::decode(&bad, &req).unwrap_err();
    let paths: Vec<String> = e.details.iter().map(|d| format!("{:?}", d.path)).collect();
    assert_eq!(e.details.len(), 2, "{paths:?}");
    assert!(paths.iter().all(|p| p.contains("huawei_account")), "{paths:?}");
}

#[test]
fn approving_sets_expiry_from_the_decision_and_keeps_or_narrows_capabilities() {
    let a = CustomerAuthorization {
        id: AuthorizationId::from_bytes(&[1; 12]),
        partner_id: PartnerId::from_bytes(&[2; 16]),
        customer_id: CustomerId::from_bytes(&[3; 16]),
        capabilities: Capabilities::all(),
        requested_by: None,
        requested_at: now(),
        valid_days: 30,
        status: AuthStatus::Pending,
        decided_at: None,
        expires_at: None,
        revoked_at: None,
        reason: None,
    };
    let later = now().plus(3600);
    let full = approve(&a, Approval { code: "123456".into(), capabilities: None, huawei_account: None }, later);
    assert_eq!(
        (full.status, full.decided_at, full.expires_at),
        (AuthStatus::Approved, Some(later), Some(later.plus(30 * DAY)))
    );
    assert_eq!(full.capabilities, Capabilities::all());
    assert_eq!(full.state(later), GrantState::Active);
    let narrowed = approve(
        &a,
        Approval { code: "123456".into(), capabilities: Capabilities::new(vec![Capability::Om]), huawei_account: None },
        later,
    );
    assert_eq!(narrowed.capabilities.to_csv(), "om");
}
