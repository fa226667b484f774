use super::*;
use proptest::prelude::*;

fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).expect("test timestamp")
}

const ALL_OFF: Configured = Configured { sms: false, email: false, webhook: false };

#[test]
fn a_webhook_carries_everything_else_each_channel_its_own() {
    let hook = Configured { webhook: true, ..ALL_OFF };
    assert_eq!(route(hook, Channel::Email, false).ok(), Some(Via::Webhook));
    assert_eq!(route(hook, Channel::Sms, false).ok(), Some(Via::Webhook));
    let both = Configured { sms: true, email: true, webhook: false };
    assert_eq!(route(both, Channel::Email, false).ok(), Some(Via::EmailApi));
    assert_eq!(route(both, Channel::Sms, false).ok(), Some(Via::HuaweiSms));
}

#[test]
fn no_channel_is_a_409_naming_what_is_missing_except_in_dev_mode() {
    let email_only = Configured { email: true, ..ALL_OFF };
    let e = route(email_only, Channel::Sms, false).expect_err("no sms channel");
    assert_eq!(e.code, Code::NoMessageChannel);
    assert_eq!(e.code.http_status(), 409);
    assert!(e.message.contains("PUT /v1/message-channels/sms"), "{}", e.message);
    assert_eq!(e.data.as_ref().and_then(|d| d.get("missing")), Some(&json!("sms")));
    assert_eq!(route(ALL_OFF, Channel::Email, true).ok(), Some(Via::DevOutbox));
    assert_eq!(route(email_only, Channel::Email, true).ok(), Some(Via::EmailApi), "dev mode still uses a channel");
}

#[test]
fn a_consent_request_routes_both_messages_or_names_the_first_missing() {
    let sms_only = Configured { sms: true, ..ALL_OFF };
    let e = route_consent(sms_only, false).expect_err("no email channel");
    assert_eq!(e.data.as_deref(), Some(&json!({"missing": "email"})));
    assert_eq!(route_consent(sms_only, true).ok(), Some((Via::DevOutbox, Via::HuaweiSms)));
    assert!(!Via::DevOutbox.goes_out() && Via::Webhook.goes_out());
    assert_eq!(Channel::parse("sms"), Some(Channel::Sms));
    assert_eq!(Channel::parse("fax"), None);
}

#[test]
fn endpoints_are_https_or_loopback_http() {
    for ok in [
        "https://smsapi.ap-southeast-1.myhuaweicloud.com:443",
        "https://api.resend.com/emails",
        "http://127.0.0.1:8788/email",
        "http://localhost/x",
    ] {
        assert!(endpoint_ok(ok), "{ok}");
    }
    for bad in [
        "http://example.com/x",
        "ftp://x",
        "https://",
        "https://user:pw@host/x",
        "https://h/x#frag",
        "https://h/ x",
        "http://127.0.0.1.evil.com/",
    ] {
        assert!(!endpoint_ok(bad), "{bad}");
    }
}

#[test]
fn endpoints_and_senders_follow_the_documented_patterns_exactly() {
    // What the OpenAPI document's patterns accept, the decoder accepts, and nothing else.
    for ok in ["https://a-b.c:8443/x/y_z~.-", "http://localhost:1", "https://0/"] {
        assert!(endpoint_ok(ok), "{ok}");
    }
    for bad in [
        "https://0*",
        " https://ab.c",
        "https://ab.c ",
        "https://a..b",
        "https://ab.c:",
        "https://ab.c:123456",
        "https://ab.c/x?y",
        "http://localhostx",
        "http://127.0.0.1x/",
        "https://é.example",
    ] {
        assert!(!endpoint_ok(bad), "{bad}");
    }
    for ok in ["a@b", "Skyline Cloud <consent@skyline.example>", "O'Neil <x.y+z@d-e.f>"] {
        assert!(sender_ok(ok), "{ok}");
    }
    for bad in ["nobody", " a@b", "a@b ", "Name<a@b>", "Name  <a@b>", "<a@b>", "a@@b", "Zoë <a@b>", "a@b>"] {
        assert!(!sender_ok(bad), "{bad}");
    }
}

#[test]
fn sms_configuration_reports_every_field_error_with_its_path() {
    let e = ChannelInput::decode(
        ChannelKind::Sms,
        &json!({"endpoint": "http://example.com", "app_key": "a b", "extra": 1}),
    )
    .expect_err("invalid");
    let paths: Vec<String> = e.details.iter().map(|d| serde_json::to_string(&d.path).unwrap_or_default()).collect();
    for want in ["endpoint", "app_key", "app_secret", "sender", "template_id", "extra"] {
        assert!(paths.iter().any(|p| *p == format!("[\"{want}\"]")), "{want} missing from {paths:?}");
    }
}

#[test]
fn an_sms_signature_may_be_absent_or_null_but_not_empty_or_padded() {
    let with = |sig: Value| {
        ChannelInput::decode(
            ChannelKind::Sms,
            &json!({"endpoint": "https://smsapi.example.com", "app_key": "k", "app_secret": "s",
                    "sender": "isms1", "template_id": "t", "signature": sig}),
        )
    };
    let signature_of = |r: Result<ChannelInput, _>| match r {
        Ok(ChannelInput::Sms { config, .. }) => Ok(config.signature),
        Ok(_) => Err("another kind".to_string()),
        Err(e) => Err(format!("{e:?}")),
    };
    assert_eq!(signature_of(with(Value::Null)), Ok(None));
    assert_eq!(signature_of(with(json!("Acme Cloud"))), Ok(Some("Acme Cloud".to_string())));
    for bad in [json!(""), json!(" Acme"), json!("Acme "), json!(7)] {
        assert!(signature_of(with(bad.clone())).is_err(), "{bad} accepted");
    }
}

#[test]
fn a_valid_sms_configuration_keeps_its_secret_out_of_the_shown_config() {
    let input = ChannelInput::decode(
        ChannelKind::Sms,
        &json!({"endpoint": "https://smsapi.ap-southeast-1.myhuaweicloud.com:443/", "app_key": "k1", "app_secret": "s3cr3t",
                "sender": "isms0001", "template_id": "tpl-1"}),
    )
    .expect("valid");
    let shown = input.config_json().to_string();
    assert!(!shown.contains("s3cr3t"), "{shown}");
    assert!(shown.contains("\"endpoint\":\"https://smsapi.ap-southeast-1.myhuaweicloud.com:443\""), "{shown}");
    assert!(!format!("{input:?}").contains("s3cr3t"));
    assert_eq!(hint("s3cr3t"), "…cr3t");
}

fn outgoing(content: &Sealed) -> Outgoing<'_> {
    Outgoing {
        id: "msg_1",
        created_at: "2026-12-01T10:00:00Z",
        channel: Channel::Sms,
        recipient: "+8613800000000",
        partner_id: "p",
        customer_id: "c",
        authorization_id: "auth_1",
        content,
    }
}

#[test]
fn the_sms_form_puts_the_code_in_the_template_parameters_only() {
    let content = Sealed {
        subject: "s".into(),
        body: "b".into(),
        params: vec!["Sky & Co".into(), "123456".into(), "10".into()],
        status_callback: None,
    };
    let cfg = SmsConfig {
        endpoint: "https://x".into(),
        app_key: "k".into(),
        sender: "isms0001".into(),
        template_id: "tpl".into(),
        signature: None,
    };
    let form = sms_form(&cfg, &outgoing(&content), Some("https://w/v1/hooks/sms"));
    let pairs: Vec<(String, String)> = form_urlencoded::parse(form.as_bytes()).into_owned().collect();
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    assert_eq!(get("from").as_deref(), Some("isms0001"));
    assert_eq!(get("to").as_deref(), Some("+8613800000000"));
    assert_eq!(get("templateId").as_deref(), Some("tpl"));
    assert_eq!(get("templateParas").as_deref(), Some(r#"["Sky & Co","123456","10"]"#));
    assert_eq!(get("statusCallback").as_deref(), Some("https://w/v1/hooks/sms"));
    assert_eq!(get("signature"), None);
    assert!(!form.contains("body"), "the message text is not sent, the template is");
}

#[test]
fn webhook_signatures_verify_and_refuse_tampering_and_replays() {
    let body = webhook_body(&outgoing(&Sealed {
        subject: "s".into(),
        body: "b".into(),
        params: vec![],
        status_callback: None,
    }))
    .to_string();
    let header = sign_webhook("whsec_x", 1_700_000_000, &body);
    assert!(header.starts_with("t=1700000000,v1="));
    assert_eq!(verify_webhook("whsec_x", &header, &body, 1_700_000_100), Ok(()));
    assert_eq!(verify_webhook("whsec_y", &header, &body, 1_700_000_100), Err(BadSignature::Mismatch));
    assert_eq!(
        verify_webhook("whsec_x", &header, &body.replace("msg_1", "msg_2"), 1_700_000_100),
        Err(BadSignature::Mismatch)
    );
    assert_eq!(verify_webhook("whsec_x", &header, &body, 1_700_000_000 + 301), Err(BadSignature::OutsideWindow));
    assert_eq!(verify_webhook("whsec_x", "v1=00", &body, 1_700_000_000), Err(BadSignature::Malformed));
}

#[test]
fn webhook_signature_matches_an_independent_hmac() {
    // HMAC-SHA256("key", "1.{}") computed with Python's hmac module.
    assert_eq!(sign_webhook("key", 1, "{}"), "t=1,v1=1ba6b8171186efc613e8bcc0cbdab2748f24984d7c5a84faa2637afa0e40d224");
}

fn http(status: u16, body: Value) -> Answer {
    Answer::Http { status, body, retry_after: None }
}

#[test]
fn huawei_sms_answers() {
    let ok = json!({"code": "000000", "description": "Success", "result": [{"smsMsgId": "m-1", "status": "000000", "originTo": "+86"}]});
    assert_eq!(outcome(Via::HuaweiSms, &http(200, ok)), Outcome::Accepted(Some("m-1".into())));
    let refused =
        json!({"code": "E000510", "description": "The SMS fails to be sent.", "result": [{"status": "E200028"}]});
    assert!(matches!(outcome(Via::HuaweiSms, &http(200, refused)), Outcome::Refused(r) if r.contains("E200028")));
    let auth = json!({"code": "E000102", "description": "Invalid app_key."});
    assert!(
        matches!(outcome(Via::HuaweiSms, &http(401, auth)), Outcome::Refused(r) if r.contains("E000102: Invalid app_key."))
    );
    assert!(matches!(outcome(Via::HuaweiSms, &http(503, json!({}))), Outcome::Transient { .. }));
}

#[test]
fn busy_and_silent_answers_are_retried_refusals_are_not() {
    let busy = Answer::Http { status: 429, body: json!({"message": "slow down"}), retry_after: Some(120) };
    assert_eq!(
        outcome(Via::EmailApi, &busy),
        Outcome::Transient { reason: "HTTP 429: slow down".into(), retry_after: Some(120) }
    );
    assert!(matches!(outcome(Via::Webhook, &Answer::Silent("timeout".into())), Outcome::Transient { .. }));
    assert!(
        matches!(outcome(Via::EmailApi, &http(422, json!({"message": "bad from"}))), Outcome::Refused(r) if r == "HTTP 422: bad from")
    );
    assert_eq!(outcome(Via::EmailApi, &http(200, json!({"id": "em_1"}))), Outcome::Accepted(Some("em_1".into())));
    assert_eq!(outcome(Via::Webhook, &http(204, Value::Null)), Outcome::Accepted(None));
}

#[test]
fn attempts_run_out_into_a_failure_that_says_why() {
    let p = Policy { max_attempts: 3, base_s: 10, cap_s: 3600 };
    let now = ts("2026-12-01T10:00:00Z");
    let t = || Outcome::Transient { reason: "HTTP 503: busy".into(), retry_after: None };
    assert!(matches!(after_attempt(&p, 1, t(), now, 0), Next::Retry { at, .. } if at.unix() - now.unix() == 5));
    assert!(matches!(after_attempt(&p, 2, t(), now, 0), Next::Retry { .. }));
    match after_attempt(&p, 3, t(), now, 0) {
        Next::Failed { reason } => assert_eq!(reason, "gave up after 3 attempts; last: HTTP 503: busy"),
        other => panic!("{other:?}"),
    }
    let later = Outcome::Transient { reason: "429".into(), retry_after: Some(600) };
    assert!(matches!(after_attempt(&p, 1, later, now, 0), Next::Retry { at, .. } if at.unix() - now.unix() == 600));
    assert_eq!(after_attempt(&p, 1, Outcome::Refused("no".into()), now, 0), Next::Failed { reason: "no".into() });
}

#[test]
fn policy_from_vars() {
    assert_eq!(Policy::from_vars(None, None), Policy::DEFAULT);
    assert_eq!(Policy::from_vars(Some("3"), Some("1")), Policy { max_attempts: 3, base_s: 1, cap_s: 3600 });
    assert_eq!(Policy::from_vars(Some("x"), Some("0")).max_attempts, 6);
    assert_eq!(Policy::from_vars(Some("x"), Some("0")).base_s, 1);
}

proptest! {
    #[test]
    fn backoff_is_between_half_and_all_of_the_capped_exponential(attempt in 1i64..40, jitter: u32, base in 1i64..100) {
        let p = Policy { max_attempts: 6, base_s: base, cap_s: 3600 };
        let exp = (base.saturating_mul(1i64 << (attempt - 1).min(30))).min(3600);
        let w = p.backoff(attempt, jitter);
        prop_assert!(w >= exp / 2 && w <= exp, "{w} outside [{}, {exp}]", exp / 2);
    }

    #[test]
    fn a_signature_verifies_only_its_own_body(body in ".{0,200}", other in ".{0,200}", t in 0i64..4_000_000_000) {
        let h = sign_webhook("whsec_p", t, &body);
        prop_assert_eq!(verify_webhook("whsec_p", &h, &body, t), Ok(()));
        if other != body {
            prop_assert_eq!(verify_webhook("whsec_p", &h, &other, t), Err(BadSignature::Mismatch));
        }
    }
}

#[test]
fn status_report_urls_are_per_message_and_verify_only_their_own() {
    let secret = [7u8; 32];
    let t = report_token(&secret, "msg_1");
    assert_eq!(t.len(), 32);
    assert!(report_token_ok(&secret, "msg_1", &t));
    assert!(!report_token_ok(&secret, "msg_2", &t), "another message's token");
    assert!(!report_token_ok(&[8u8; 32], "msg_1", &t), "another deployment's");
    assert!(!report_token_ok(&secret, "msg_1", &t[..30]));
    assert!(!report_token_ok(&secret, "msg_1", "zz"));
    assert_eq!(
        report_url("https://ob.example/", "msg_1", &t),
        format!("https://ob.example/v1/hooks/huawei-sms/msg_1/{t}")
    );
}

#[test]
fn status_reports() {
    let f = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
    assert_eq!(read_report(&f(&[("smsMsgId", "m"), ("status", "DELIVRD")])).ok(), Some(Report::Delivered));
    assert_eq!(
        read_report(&f(&[("status", "UNDELIV"), ("orgCode", "E200027")])).ok(),
        Some(Report::NotDelivered("Huawei Cloud reported the SMS not delivered: UNDELIV (orgCode E200027)".into()))
    );
    assert_eq!(read_report(&f(&[("smsMsgId", "m")])).map_err(|e| e.code), Err(Code::ValidationFailed));
}
