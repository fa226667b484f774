use super::*;
use serde_json::json;

fn t0() -> Timestamp {
    Timestamp::parse("2026-12-01T10:00:00Z").unwrap_or_else(|| panic!("time"))
}
const ECS: &str = "/v1.1/p/cloudservers";

#[test]
fn the_token_is_stable_per_key_and_fits_huawei() {
    let a = client_token("p1", "c1", "key-1");
    assert_eq!(a, client_token("p1", "c1", "key-1"));
    assert_ne!(a, client_token("p1", "c1", "key-2"));
    assert_ne!(a, client_token("p1", "c2", "key-1"));
    assert_ne!(client_token("p1c", "1", "k"), client_token("p1", "c1", "k"), "parts are separated");
    assert_eq!(a.len(), 32);
}

#[test]
fn an_in_doubt_request_is_resolved_by_sending_it_again() {
    let ok = Seen::Resent { status: 200, body: json!({"job_id": "j", "serverIds": ["s"]}) };
    assert_eq!(
        step(TrackState::InDoubt, ECS, true, 0, ok, t0()),
        Step::Accepted {
            answer: json!({"job_id": "j", "serverIds": ["s"]}),
            watch: Watch::Job { service: "ecs".into(), job_id: "j".into() }
        }
    );
    let refused =
        Seen::Resent { status: 400, body: json!({"error": {"code": "Ecs.0319", "message": "Quota exceeded."}}) };
    assert_eq!(
        step(TrackState::InDoubt, ECS, true, 0, refused, t0()),
        Step::Failed { code: Some("Ecs.0319".into()), reason: "Quota exceeded.".into() }
    );
    // A 5xx, a 429 or silence again: still in doubt, look later (never failed on a guess).
    for seen in
        [Seen::Resent { status: 503, body: json!({}) }, Seen::Resent { status: 429, body: json!({}) }, Seen::Nothing]
    {
        assert_eq!(step(TrackState::InDoubt, ECS, true, 2, seen, t0()), Step::Wait(t0().plus(8)));
    }
}

#[test]
fn a_running_request_ends_with_its_job_or_order() {
    let running = Seen::Job(json!({"status": "RUNNING"}));
    assert_eq!(step(TrackState::Running, ECS, true, 0, running, t0()), Step::Wait(t0().plus(2)));
    let done = Seen::Job(json!({"status": "SUCCESS", "entities": {"sub_jobs": [{"entities": {"server_id": "s1"}}]}}));
    assert_eq!(step(TrackState::Running, ECS, true, 3, done, t0()), Step::Finished { resource_ids: vec!["s1".into()] });
    let failed = Seen::Job(json!({"status": "FAIL", "fail_reason": "No capacity."}));
    assert!(matches!(step(TrackState::Running, ECS, true, 3, failed, t0()), Step::Failed { .. }));
    let order = Seen::Order(json!({"order_info": {"status": 5}}));
    assert_eq!(
        step(TrackState::Running, "/v2.1/p/cloudvolumes", true, 1, order, t0()),
        Step::Finished { resource_ids: vec![] }
    );
    // A finished request stays finished whatever is seen.
    let late = Seen::Job(json!({"status": "FAIL"}));
    assert!(matches!(step(TrackState::Succeeded, ECS, true, 9, late, t0()), Step::Wait(_)));
    assert!(!TrackState::Succeeded.open() && TrackState::InDoubt.open());
    assert_eq!(TrackState::parse("in_doubt"), Some(TrackState::InDoubt));
}
