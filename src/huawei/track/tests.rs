use super::*;
use serde_json::json;

#[test]
fn watches_the_job_when_it_runs_and_the_order_when_paid() {
    let ecs = "/v1.1/p/cloudservers";
    assert_eq!(
        watch_of(ecs, &json!({"job_id": "j1", "serverIds": ["s"]}), false),
        Watch::Job { service: "ecs".into(), job_id: "j1".into() }
    );
    assert_eq!(
        watch_of(ecs, &json!({"job_id": "j1", "order_id": "CS1"}), true),
        Watch::Job { service: "ecs".into(), job_id: "j1".into() }
    );
    // An unpaid order runs nothing until it is paid.
    assert_eq!(watch_of(ecs, &json!({"job_id": "j1", "order_id": "CS1"}), false), Watch::Nothing);
    let evs = "/v2.1/p/cloudvolumes";
    assert_eq!(watch_of(evs, &json!({"order_id": "CS2"}), true), Watch::Order { order_id: "CS2".into() });
    assert_eq!(
        watch_of("/v2.0/p/publicips", &json!({"order_id": "CS3", "publicip_id": "e"}), true),
        Watch::Order { order_id: "CS3".into() }
    );
    assert_eq!(watch_of("/v1/p/publicips", &json!({"publicip": {"id": "e"}}), false), Watch::Nothing);
}

#[test]
fn reads_jobs() {
    assert_eq!(job_progress(&json!({"status": "RUNNING"})), Progress::Running);
    assert_eq!(job_progress(&json!({"status": "INIT"})), Progress::Running);
    let ecs = json!({"status": "SUCCESS", "entities": {"sub_jobs": [
        {"status": "SUCCESS", "entities": {"server_id": "s1"}}, {"status": "SUCCESS", "entities": {"server_id": "s2"}}]}});
    assert_eq!(job_progress(&ecs), Progress::Done { resource_ids: vec!["s1".into(), "s2".into()] });
    let evs = json!({"status": "SUCCESS", "entities": {"volume_id": "v1"}});
    assert_eq!(job_progress(&evs), Progress::Done { resource_ids: vec!["v1".into()] });
    let failed = json!({"status": "FAIL", "error_code": "Ecs.0039", "fail_reason": "No capacity in the zone."});
    assert_eq!(
        job_progress(&failed),
        Progress::Failed { code: Some("Ecs.0039".into()), reason: "No capacity in the zone.".into() }
    );
}

#[test]
fn reads_orders_and_backs_off() {
    assert_eq!(order_progress(&json!({"order_info": {"status": 5}})), Progress::Done { resource_ids: vec![] });
    assert!(matches!(order_progress(&json!({"order_info": {"status": 4}})), Progress::Failed { .. }));
    assert_eq!(order_progress(&json!({"order_info": {"status": 3}})), Progress::Running);
    let waits: Vec<i64> = (0..8).map(next_check_in).collect();
    assert_eq!(waits, vec![2, 2, 4, 8, 16, 32, 60, 60]);
}
