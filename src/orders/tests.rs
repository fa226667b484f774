use super::*;
use crate::catalog::catalog;
use crate::customers::BudgetType;
use crate::money::Currency;
use crate::upstream::{ready, Simulated, Upstream};

fn usd(n: i64) -> Money {
    Money::new(n, Currency::USD)
}

#[test]
fn the_budget_refuses_past_100_percent_and_freezes_at_it() {
    let b = Budget { budget_type: BudgetType::Monthly, amount: usd(1000), used: usd(600), auto_freeze: true };
    assert_eq!(budget_gate(Some(&b), usd(401)).err().map(|e| e.code), Some(Code::BudgetWouldBeExceeded));
    assert_eq!(
        budget_gate(Some(&b), usd(400)).ok(),
        Some(Some((usd(1000), true))),
        "exactly 100 % with auto-freeze freezes"
    );
    assert_eq!(budget_gate(Some(&b), usd(399)).ok(), Some(Some((usd(999), false))));
    let manual = Budget { auto_freeze: false, ..b.clone() };
    assert_eq!(budget_gate(Some(&manual), usd(400)).ok(), Some(Some((usd(1000), false))));
    assert_eq!(budget_gate(None, usd(1_000_000)).ok(), Some(None));
}

#[test]
fn only_an_order_pending_payment_is_paid_or_cancelled() {
    assert_eq!(pay(OrderStatus::PendingPayment, false).ok(), Some(OrderStatus::Completed));
    assert_eq!(pay(OrderStatus::PendingPayment, true).ok(), Some(OrderStatus::Processing), "while Huawei provisions");
    assert!(paid_upstream(Some(3)) && paid_upstream(Some(5)) && !paid_upstream(Some(6)) && !paid_upstream(None));
    assert_eq!(cancel(OrderStatus::PendingPayment).ok(), Some(OrderStatus::Cancelled));
    for s in [OrderStatus::Completed, OrderStatus::Cancelled, OrderStatus::Processing] {
        assert_eq!(pay(s, false).err().map(|e| e.http_status()), Some(409));
        assert_eq!(cancel(s).err().map(|e| e.http_status()), Some(409));
    }
    assert_eq!(serde_json::to_value(OrderStatus::PendingPayment).ok(), Some(serde_json::json!(6)));
}

/// The fixture `name` of `tests/fixtures/drafts.json` (`{name, draft, project_id}`).
fn fixture(name: &str) -> Value {
    let all: Value = serde_json::from_str(include_str!("../../tests/fixtures/drafts.json")).unwrap_or_default();
    all["fixtures"].as_array().and_then(|a| a.iter().find(|f| f["name"] == name)).cloned().unwrap_or_default()
}

fn now() -> Timestamp {
    Timestamp::parse("2026-11-26T07:00:00Z").unwrap_or_else(|| panic!())
}

/// A reseller's operator placing through session `ses_0202…`, relying on no grant in particular.
fn provenance() -> Provenance {
    Provenance {
        partner_id: PartnerId::parse("fad2a1bd76f016759f788c1f18995204").unwrap_or_else(|| panic!()),
        placed_by: UserId::from_bytes(&[1; 12]),
        session_id: SessionId::from_bytes(&[2; 12]),
        relied_on: ReliedOn { distributor_permission: None, authorization: None },
        quote_id: None,
    }
}

#[test]
fn the_simulated_upstream_answers_like_huawei_and_resources_follow() {
    let cat = catalog().unwrap_or_else(|e| panic!("{e:?}"));
    let all: Value = serde_json::from_str(include_str!("../../tests/fixtures/drafts.json")).unwrap_or_default();
    let (now, p) = (now(), provenance());
    let mut checked = 0;
    for f in all["fixtures"].as_array().into_iter().flatten() {
        let Ok(d) = crate::drafts::validate(&f["draft"], cat) else { continue };
        let req = crate::payloads::build(&d, f["project_id"].as_str().unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e:?}"));
        let a = ready(Simulated.send(&req, "key-1", now));
        let b = ready(Simulated.send(&req, "key-1", now));
        assert_eq!(a, b, "deterministic per client token");
        let prepaid = matches!(d.billing, Billing::YearlyMonthly { .. });
        let oid = a.body.get("order_id").and_then(Value::as_str);
        assert_eq!(oid.is_some(), prepaid, "{}: an order id exactly for yearly/monthly", f["name"]);
        if let Some(o) = oid {
            assert!(o.starts_with("CS2611260700") && o.len() == 17, "{o}");
        }
        let rs = resources(&d, &a.body, &p, oid, now);
        let want = match &d.spec {
            Spec::Ecs(e) => e.count,
            Spec::Evs(v) => v.count,
            Spec::Eip(_) => 1,
        };
        assert_eq!(rs.len() as i64, want, "{}", f["name"]);
        assert!(rs.iter().all(|r| r.expire_time.is_some() == prepaid));
        if let Some(ip) = a.body.get("publicip") {
            assert!(ip["public_ip_address"].as_str().is_some_and(|s| s.starts_with("203.0.113.")));
        }
        checked += 1;
    }
    assert!(checked >= 11);
}

#[test]
fn placement_decides_order_resources_and_spend() {
    let cat = catalog().unwrap_or_else(|e| panic!("{e:?}"));
    let all: Value = serde_json::from_str(include_str!("../../tests/fixtures/drafts.json")).unwrap_or_default();
    let draft = |name: &str, billing: Value| {
        let f =
            all["fixtures"].as_array().and_then(|a| a.iter().find(|f| f["name"] == name)).cloned().unwrap_or_default();
        let mut v = f["draft"].clone();
        v["billing"] = billing;
        crate::drafts::validate(&v, cat).unwrap_or_else(|e| panic!("{e:?}"))
    };
    let (now, p) = (now(), provenance());
    let total = usd(1650);
    let answer = |d: &Draft| {
        let req = crate::payloads::build(d, "0605767d0d8b4f0a9a5b4c3d2e1f0a9b").unwrap_or_else(|e| panic!("{e:?}"));
        ready(Simulated.send(&req, "k", now)).body
    };
    let monthly = |pay: bool| serde_json::json!({"mode": "yearly_monthly", "period_type": "month", "period_num": 1, "auto_pay": pay});

    let d = draft("evs-monthly", monthly(true));
    let pl =
        placement(&d, total, Some((usd(1650), true)), &p, &done(&answer(&d)), now).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(pl.order.as_ref().map(|o| o.view.status), Some(OrderStatus::Completed));
    assert_eq!(
        (pl.resources.len(), pl.spend),
        (1, Some((total, true))),
        "auto-pay provisions and spends; the gate's freeze carries over"
    );

    let d = draft("evs-monthly", monthly(false));
    let pl =
        placement(&d, total, Some((usd(1650), false)), &p, &done(&answer(&d)), now).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        pl.order.as_ref().map(|o| (o.view.status, o.view.payment_time)),
        Some((OrderStatus::PendingPayment, None))
    );
    assert!(pl.resources.is_empty() && pl.spend.is_none(), "nothing provisioned or spent before payment");

    let d = draft("evs-pay-per-use", serde_json::json!({"mode": "pay_per_use"}));
    let pl = placement(&d, total, None, &p, &done(&answer(&d)), now).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(pl.order.is_none() && pl.spend.is_none());
    assert_eq!(pl.resources.len(), 1);

    let d = draft("evs-monthly", monthly(true));
    assert_eq!(
        placement(&d, total, None, &p, &done(&serde_json::json!({})), now).err().map(|e| e.code),
        Some(Code::Internal),
        "an answer without an order id"
    );
    assert!(require_customer(&d, &d.customer_id).is_ok());
    let other = CustomerId::parse("00000000000000000000000000000001").unwrap_or_else(|| panic!());
    assert_eq!(require_customer(&d, &other).err().map(|e| e.details[0].path.len()), Some(2));
}

#[test]
fn an_order_request_is_a_draft_or_a_cited_quote() {
    let qid = "qt_0707070707070707070707aa";
    let ok = |v: Value| OrderRequest::decode(&v).unwrap_or_else(|e| panic!("{v}: {e:?}"));
    let err = |v: Value| {
        OrderRequest::decode(&v).err().map(|e| (e.code, e.details.iter().map(|d| d.code).collect::<Vec<_>>()))
    };
    assert_eq!(ok(serde_json::json!({"draft": {"x": 1}})), OrderRequest::Draft(serde_json::json!({"x": 1})));
    assert!(matches!(
        ok(serde_json::json!({"quote_id": qid, "password": "pw"})),
        OrderRequest::Quoted { password: Some(_), .. }
    ));
    assert_eq!(err(serde_json::json!({})), Some((Code::ValidationFailed, vec![Code::Required])));
    assert_eq!(
        err(serde_json::json!({"draft": {}, "quote_id": qid})),
        Some((Code::ValidationFailed, vec![Code::Required]))
    );
    assert_eq!(
        err(serde_json::json!({"draft": {}, "password": "pw"})),
        Some((Code::ValidationFailed, vec![Code::NotApplicable]))
    );
    assert_eq!(
        err(serde_json::json!({"quote_id": "qt_x", "extra": 1})).map(|e| e.1.len()),
        Some(2),
        "every error at once"
    );
}

#[test]
fn prepare_validates_checks_the_customer_prices_and_keeps_a_quoted_price() {
    let cat = catalog().unwrap_or_else(|e| panic!("{e:?}"));
    let f = fixture("evs-monthly");
    let id = CustomerId::parse(f["draft"]["customer_id"].as_str().unwrap_or_default()).unwrap_or_else(|| panic!());
    let customer = QuoteCustomer { id: id.clone(), budget: None };
    let p = prepare(&f["draft"], cat, &customer, None).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(p.quote.total, crate::quotes::quote(&p.draft, cat, &customer).map(|q| q.total).unwrap_or(usd(-1)));
    assert!(p.request(f["project_id"].as_str().unwrap_or_default()).is_ok());

    let stored = StoredQuote::new(crate::ids::QuoteId::from_bytes(&[9; 12]), &f["draft"], &p.quote, now());
    let mut stored = stored.unwrap_or_else(|e| panic!("{e:?}"));
    stored.total = usd(1);
    assert_eq!(
        prepare(&f["draft"], cat, &customer, Some(&stored)).map(|p| p.quote.total).ok(),
        Some(usd(1)),
        "the quoted price holds"
    );

    let other = QuoteCustomer {
        id: CustomerId::parse("00000000000000000000000000000001").unwrap_or_else(|| panic!()),
        budget: None,
    };
    let e = prepare(&f["draft"], cat, &other, None).err().unwrap_or_else(|| panic!("another customer's draft"));
    assert_eq!(e.details[0].path, crate::error::path(&["draft", "customer_id"]));
    assert_eq!(
        prepare(&serde_json::json!({}), cat, &customer, None).err().map(|e| e.code),
        Some(Code::ValidationFailed)
    );
}

#[test]
fn the_ledger_is_newest_first_across_orders_and_enablements() {
    let cat = catalog().unwrap_or_else(|e| panic!("{e:?}"));
    let f = fixture("evs-monthly");
    let d = crate::drafts::validate(&f["draft"], cat).unwrap_or_else(|e| panic!("{e:?}"));
    let order_at =
        |t: Timestamp| new_order(&d, usd(5), &provenance(), format!("CS{t}"), &done(&Value::Null), t).map(|o| o.view);
    let (t0, t1, t2) = (now(), now().plus(60), now().plus(120));
    let orders: Vec<OrderView> = [t0, t2].into_iter().filter_map(order_at).collect();
    let p = provenance();
    let e = Enablement {
        customer_id: d.customer_id.clone(),
        service_type_code: "hws.service.type.ebs".into(),
        resource_ids: vec!["v-1".into()],
        placed_by: p.placed_by,
        session_id: p.session_id,
    };
    let entries = ledger(orders, vec![(t1, e)], 2);
    let v = serde_json::to_value(&entries).unwrap_or_default();
    assert_eq!(v.as_array().map(Vec::len), Some(2), "cut at the limit");
    assert_eq!((v[0]["kind"].as_str(), v[1]["kind"].as_str()), (Some("order"), Some("pay_per_use")));
    assert_eq!(v[0]["at"], v[0]["created_at"], "an order happened when it was created");
    assert_eq!(v[0]["amount"], serde_json::json!({"minor": 5, "currency": "USD"}), "the order's one shape");
    assert_eq!(v[0]["source"], SOURCE_PARTNER);
    assert_eq!(v[1]["resource_ids"], serde_json::json!(["v-1"]));
}

/// An order, one of its resources and a pay-per-use enablement, as placement makes them (also used
/// by the OpenAPI shape test).
pub(crate) fn samples() -> (Order, Resource, (Timestamp, Enablement)) {
    let cat = catalog().unwrap_or_else(|e| panic!("{e:?}"));
    let f = fixture("evs-monthly");
    let mut v = f["draft"].clone();
    v["billing"]["auto_pay"] = Value::Bool(true);
    let d = crate::drafts::validate(&v, cat).unwrap_or_else(|e| panic!("{e:?}"));
    let req = crate::payloads::build(&d, "0605767d0d8b4f0a9a5b4c3d2e1f0a9b").unwrap_or_else(|e| panic!("{e:?}"));
    let answer = ready(Simulated.send(&req, "k", now())).body;
    let p = provenance();
    let pl = placement(&d, usd(100), None, &p, &done(&answer), now()).unwrap_or_else(|e| panic!("{e:?}"));
    let order = pl.order.unwrap_or_else(|| panic!("an order"));
    let resource = pl.resources.into_iter().next().unwrap_or_else(|| panic!("a resource"));
    let e = Enablement {
        customer_id: d.customer_id.clone(),
        service_type_code: resource.service_type_code.clone(),
        resource_ids: vec![resource.resource_id.clone()],
        placed_by: p.placed_by,
        session_id: p.session_id,
    };
    (order, resource, (now(), e))
}

#[test]
fn a_stored_draft_without_its_password_still_tells_what_was_ordered() {
    let cat = catalog().unwrap_or_else(|e| panic!("{e:?}"));
    let f = fixture("ecs-pay-per-use-password");
    let placed = crate::drafts::validate(&f["draft"], cat).unwrap_or_else(|e| panic!("{e:?}"));
    let stored = crate::quotes::without_secrets(&f["draft"]);
    assert!(crate::drafts::validate(&stored, cat).is_err(), "the stored draft has no password");
    let read = stored_draft(&stored, cat).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        (&read.region, &read.billing, &read.customer_id),
        (&placed.region, &placed.billing, &placed.customer_id)
    );
    match (&read.spec, &placed.spec) {
        (Spec::Ecs(r), Spec::Ecs(p)) => assert_eq!((&r.flavor, r.count, &r.name), (&p.flavor, p.count, &p.name)),
        _ => panic!("an ECS draft"),
    }
    let answer = serde_json::json!({"order_id": "CS2612010000ABCDE", "serverIds": ["s-1"]});
    let rs = resources(&read, &answer, &provenance(), Some("CS2612010000ABCDE"), now());
    assert_eq!(rs.len(), 1, "paying provisions the server");
}

/// What the simulation sends back: accepted and finished.
fn done(answer: &Value) -> Sent<'_> {
    Sent { request: Value::Null, answer, running: false }
}

#[test]
fn while_upstream_runs_nothing_is_provisioned_until_it_finishes() {
    let cat = catalog().unwrap_or_else(|e| panic!("{e:?}"));
    let f = fixture("ecs-monthly");
    let mut v = f["draft"].clone();
    v["billing"]["auto_pay"] = Value::Bool(true);
    v["ecs"]["count"] = Value::from(2);
    let d = crate::drafts::validate(&v, cat).unwrap_or_else(|e| panic!("{e:?}"));
    let req = crate::payloads::build(&d, "0605767d0d8b4f0a9a5b4c3d2e1f0a9b").unwrap_or_else(|e| panic!("{e:?}"));
    let answer = ready(Simulated.send(&req, "k", now())).body;
    let p = provenance();
    let running = Sent { request: Value::Null, answer: &answer, running: true };
    let pl = placement(&d, usd(100), None, &p, &running, now()).unwrap_or_else(|e| panic!("{e:?}"));
    let order = pl.order.unwrap_or_else(|| panic!("an order"));
    assert_eq!(order.view.status, OrderStatus::Processing);
    assert_eq!(order.view.payment_time, Some(now()), "auto-paid when placed");
    assert!(pl.resources.is_empty(), "provisioned only when the job finishes");
    assert_eq!(pl.spend.map(|(m, _)| m), Some(usd(100)), "the payment counts at once");
    // The job's ids name the servers.
    let ids = vec!["job-s1".to_string(), "job-s2".to_string()];
    let rs = finished_resources(&d, &answer, &ids, &p, Some(&order.view.order_id), now());
    let got: Vec<&str> = rs.iter().map(|r| r.resource_id.as_str()).collect();
    assert_eq!(got, ["job-s1", "job-s2"]);
    assert!(rs.iter().all(|r| r.order_id.as_deref() == Some(order.view.order_id.as_str())));
    // Without ids from the job, the create answer's stand.
    assert_eq!(finished_resources(&d, &answer, &[], &p, None, now()).len(), 2);
}

#[test]
fn a_stored_request_never_keeps_the_login_password() {
    let r = serde_json::json!({"method": "POST", "path": "/v1.1/p/cloudservers", "body": {"server": {"name": "web", "adminPass": "Secret-123!"}}});
    let kept = without_password(&r);
    assert_eq!(kept["body"]["server"], serde_json::json!({"name": "web"}));
    assert_eq!(
        without_password(&serde_json::json!({"body": {"volume": {}}})),
        serde_json::json!({"body": {"volume": {}}})
    );
}

#[test]
fn money_upstream_already_took_is_counted_and_freezes_only_with_auto_freeze() {
    let budget =
        |auto| Budget { budget_type: BudgetType::Monthly, amount: usd(1_000), used: usd(900), auto_freeze: auto };
    assert_eq!(accepted_spend(Some(&budget(true)), usd(50)), budget_gate(Some(&budget(true)), usd(50)).ok().flatten());
    assert_eq!(accepted_spend(Some(&budget(true)), usd(500)), Some((usd(1_400), true)), "past 100 %: frozen");
    assert_eq!(accepted_spend(Some(&budget(false)), usd(500)), Some((usd(1_400), false)), "no auto-freeze: not frozen");
    assert_eq!(accepted_spend(None, usd(500)), None);
}
