use super::*;
use crate::partners::PartnerKind;
use crate::portal::Credential;
use crate::prerequisites::ReportActor;

fn report(can: bool) -> Report {
    Report {
        can_order: can,
        customer_id: CustomerId::parse("a81f333323fe427a903411ff3ce792d1").unwrap_or_else(|| panic!()),
        actor: ReportActor {
            user_id: UserId::from_bytes(&[1; 12]),
            partner_id: PartnerId::parse("fad2a1bd76f016759f788c1f18995204").unwrap_or_else(|| panic!()),
            partner_kind: PartnerKind::Reseller,
            role: Role::Operator,
        },
        evaluated_at: Timestamp::from_unix(1_000_000),
        checks: Vec::new(),
        blocking: if can { Vec::new() } else { vec![Code::AuthorizationRevoked, Code::CustomerFrozen] },
        warnings: Vec::new(),
        relied_on: ReliedOn { distributor_permission: None, authorization: None },
    }
}

const SECRET: &[u8] = b"test secret of some length";

#[test]
fn a_token_verifies_only_with_its_secret_and_untouched() {
    let id = SessionId::from_bytes(&[7; 12]);
    let t = token(SECRET, &id).unwrap_or_default();
    assert!(t.starts_with("obs_ses_"));
    assert_eq!(verify(SECRET, &t).ok(), Some(id.clone()));
    assert_eq!(verify(b"another secret", &t).err().map(|e| e.code), Some(Code::SessionInvalid));
    // Flip each character of the signature and of the id in turn: never accepted.
    for i in 4..t.len() {
        let mut b = t.clone().into_bytes();
        b[i] = if b[i] == b'a' { b'b' } else { b'a' };
        let tampered = String::from_utf8(b).unwrap_or_default();
        if tampered != t {
            assert!(verify(SECRET, &tampered).is_err(), "tampered at {i}: {tampered}");
        }
    }
    for bad in ["", "obs_", "obs_ses_x.y", "Bearer x", &t[..t.len() - 2]] {
        assert!(verify(SECRET, bad).is_err(), "{bad}");
    }
}

#[test]
fn a_session_starts_only_when_the_check_passes() {
    let now = Timestamp::from_unix(1_000_000);
    let id = SessionId::from_bytes(&[2; 12]);
    let key = || CredentialRef { kind: Credential::ApiKey, id: "key_000000000000000000000001".into() };
    let e = Session::start(id.clone(), &report(false), StartRequest { ttl: DEFAULT_TTL }, key(), None, now)
        .err()
        .unwrap_or_else(|| panic!());
    assert_eq!(e.code, Code::AuthorizationRevoked, "the first blocking code");
    assert_eq!(e.http_status(), 403);
    assert!(e.data.is_some(), "the report comes along");
    let s = Session::start(id.clone(), &report(true), StartRequest { ttl: 45 * 60 }, key(), None, now)
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(s.expires_at, now.plus(45 * 60));
    assert_eq!(s.source_user_id, UserId::from_bytes(&[1; 12]));
    assert!(s.check_live(now.plus(45 * 60 - 1)).is_ok());
    assert_eq!(s.check_live(now.plus(45 * 60)).err().map(|e| e.code), Some(Code::SessionExpired));
    let ended = Session { ended_at: Some(now), end_reason: Some(EndReason::SwitchRole), ..s.clone() };
    assert_eq!(ended.check_live(now).err().map(|e| e.code), Some(Code::SessionEnded));
    let revoked = Session { ended_at: Some(now), end_reason: Some(EndReason::CredentialRevoked), ..s };
    let e = revoked.check_live(now).err().unwrap_or_else(|| panic!());
    assert_eq!(e.code, Code::SessionEnded);
    assert!(e.message.contains("revoked"), "{}", e.message);
}

#[test]
fn a_session_never_outlives_the_portal_token_that_started_it() {
    let now = Timestamp::from_unix(1_000_000);
    let token = CredentialRef { kind: Credential::PortalToken, id: "ptk_000000000000000000000001".into() };
    let s = Session::start(
        SessionId::from_bytes(&[3; 12]),
        &report(true),
        StartRequest { ttl: 30 * 60 },
        token.clone(),
        Some(now.plus(600)),
        now,
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(s.expires_at, now.plus(600));
    assert_eq!(s.started_with, Some(token));
}

#[test]
fn session_length_is_1_to_60_minutes() {
    assert_eq!(StartRequest::decode(&serde_json::json!({})).map(|r| r.ttl).ok(), Some(30 * 60));
    assert_eq!(StartRequest::decode(&serde_json::json!({"minutes": 60})).map(|r| r.ttl).ok(), Some(3600));
    for bad in [
        serde_json::json!({"minutes": 0}),
        serde_json::json!({"minutes": 61}),
        serde_json::json!({"minutes": "5"}),
        serde_json::json!({"x": 1}),
    ] {
        assert!(StartRequest::decode(&bad).is_err(), "{bad}");
    }
}
