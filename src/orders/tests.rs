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
    assert_eq!(pay(OrderStatus::PendingPayment).ok(), Some(OrderStatus::Completed));
    assert_eq!(cancel(OrderStatus::PendingPayment).ok(), Some(OrderStatus::Cancelled));
    for s in [OrderStatus::Completed, OrderStatus::Cancelled, OrderStatus::Processing] {
        assert_eq!(pay(s).err().map(|e| e.http_status()), Some(409));
        assert_eq!(cancel(s).err().map(|e| e.http_status()), Some(409));
    }
    assert_eq!(serde_json::to_value(OrderStatus::PendingPayment).ok(), Some(serde_json::json!(6)));
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
    let pl = placement(&d, total, Some((usd(1650), true)), &p, Value::Null, &answer(&d), now)
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(pl.order.as_ref().map(|o| o.status), Some(OrderStatus::Completed));
    assert_eq!(
        (pl.resources.len(), pl.spend),
        (1, Some((total, true))),
        "auto-pay provisions and spends; the gate's freeze carries over"
    );

    let d = draft("evs-monthly", monthly(false));
    let pl = placement(&d, total, Some((usd(1650), false)), &p, Value::Null, &answer(&d), now)
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(pl.order.as_ref().map(|o| (o.status, o.payment_time)), Some((OrderStatus::PendingPayment, None)));
    assert!(pl.resources.is_empty() && pl.spend.is_none(), "nothing provisioned or spent before payment");

    let d = draft("evs-pay-per-use", serde_json::json!({"mode": "pay_per_use"}));
    let pl = placement(&d, total, None, &p, Value::Null, &answer(&d), now).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(pl.order.is_none() && pl.spend.is_none());
    assert_eq!(pl.resources.len(), 1);

    let d = draft("evs-monthly", monthly(true));
    assert_eq!(
        placement(&d, total, None, &p, Value::Null, &serde_json::json!({}), now).err().map(|e| e.code),
        Some(Code::Internal),
        "an answer without an order id"
    );
    assert!(require_customer(&d, &d.customer_id).is_ok());
    let other = CustomerId::parse("00000000000000000000000000000001").unwrap_or_else(|| panic!());
    assert_eq!(require_customer(&d, &other).err().map(|e| e.details[0].path.len()), Some(2));
}
