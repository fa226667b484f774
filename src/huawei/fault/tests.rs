use super::*;

#[test]
fn reads_both_error_shapes() {
    let a = json!({"error_code": "CBC.30000067", "error_msg": "Insufficient balance."});
    assert_eq!(huawei_error(&a), (Some("CBC.30000067".into()), Some("Insufficient balance.".into())));
    let b = json!({"error": {"code": "Ecs.0319", "message": "Quota exceeded."}});
    assert_eq!(huawei_error(&b), (Some("Ecs.0319".into()), Some("Quota exceeded.".into())));
    assert_eq!(huawei_error(&json!("x")), (None, None));
}

#[test]
fn maps_statuses_and_codes_to_our_codes() {
    let body = json!({"error": {"code": "Ecs.0319", "message": "Quota exceeded."}});
    let e = error_of(Step::Other, 400, &body, None, Some("rid-1"));
    assert_eq!(e.code, Code::UpstreamRejected);
    let d = e.data.unwrap();
    assert_eq!((d["huawei_code"].as_str(), d["huawei_request_id"].as_str()), (Some("Ecs.0319"), Some("rid-1")));
    assert!(e.message.contains("Quota exceeded."));

    let e = error_of(Step::Other, 503, &json!({}), Some("7"), None);
    assert_eq!((e.code, e.data.unwrap()["retry_after"].as_i64()), (Code::UpstreamUnavailable, Some(7)));
    assert_eq!(error_of(Step::Other, 429, &json!({}), Some("soon"), None).data.unwrap()["retry_after"], 30);

    let sig = json!({"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information"});
    assert_eq!(error_of(Step::Other, 401, &sig, None, None).code, Code::UpstreamCredentialsInvalid);
    assert_eq!(error_of(Step::AssumeAgency, 400, &sig, None, None).code, Code::UpstreamCredentialsInvalid);

    let missing = json!({"error": {"code": "IAM.0002", "message": "agency not found"}});
    assert_eq!(error_of(Step::AssumeAgency, 404, &missing, None, None).code, Code::AgencyNotFound);
    assert_eq!(error_of(Step::AssumeAgency, 403, &missing, None, None).code, Code::AgencyNotFound);
    assert_eq!(error_of(Step::Other, 403, &missing, None, None).code, Code::UpstreamRejected);
}
