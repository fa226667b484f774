use super::*;

#[test]
fn the_session_user_follows_iams_rule() {
    assert_eq!(session_user("usr_7f3a"), "ob-usr_7f3a");
    assert_eq!(session_user("a@b.c"), "ob-a-b-c");
    assert_eq!(session_user(""), "ob---");
    assert_eq!(session_user(&"x".repeat(100)).len(), 64);
}

#[test]
fn the_body_is_iams_assume_role() {
    let b = assume_role("cust-domain", "onbehalf-partner", 3600, "ob-u1");
    assert_eq!(b["auth"]["identity"]["methods"], json!(["assume_role"]));
    let r = &b["auth"]["identity"]["assume_role"];
    assert_eq!(r["domain_name"], "cust-domain");
    assert_eq!(r["agency_name"], "onbehalf-partner");
    assert_eq!(r["duration_seconds"], 3600);
    assert_eq!(r["session_user"]["name"], "ob-u1");
}

#[test]
fn durations_stay_within_iams_bounds() {
    let now = Timestamp::parse("2026-12-01T00:00:00Z").unwrap();
    assert_eq!(duration_for(now.plus(60), now), 900);
    assert_eq!(duration_for(now.plus(1800), now), 1800);
    assert_eq!(duration_for(now.plus(200_000), now), 86_400);
}

#[test]
fn reads_the_credential_and_refuses_a_partial_one() {
    let a = json!({"credential": {"access": "TAK", "secret": "TSK", "securitytoken": "ST",
        "expires_at": "2026-12-01T04:30:00.123456Z"}});
    let t = temporary(&a).unwrap();
    assert_eq!(t.credential.security_token.as_deref(), Some("ST"));
    assert_eq!(t.expires_at.to_string(), "2026-12-01T04:30:00Z");
    assert!(t.usable(Timestamp::parse("2026-12-01T04:28:59Z").unwrap()));
    assert!(!t.usable(Timestamp::parse("2026-12-01T04:29:00Z").unwrap()));
    for k in ["access", "secret", "securitytoken", "expires_at"] {
        let mut b = a.clone();
        b["credential"].as_object_mut().unwrap().remove(k);
        assert!(temporary(&b).is_err(), "{k}");
    }
}

#[test]
fn finds_the_project_named_as_the_region() {
    let a = json!({"projects": [{"id": "p0", "name": "MOS"}, {"id": "p1", "name": "ap-southeast-1"}]});
    assert_eq!(project_of(&a, "ap-southeast-1").as_deref(), Some("p1"));
    assert_eq!(project_of(&a, "cn-north-4"), None);
}
