use super::*;
use crate::catalog::catalog;
use crate::customers::BudgetType;
use crate::drafts::validate;
use proptest::prelude::*;
use serde_json::json;

fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::USD)
}

fn budget(amount: i64, used: i64) -> Budget {
    Budget { budget_type: BudgetType::Monthly, amount: usd(amount), used: usd(used), auto_freeze: true }
}

#[test]
fn budget_levels_and_the_block_past_100_percent() {
    let cases = [
        (0, 74, None, false),
        (0, 75, Some(75), false),
        (0, 90, Some(90), false),
        (50, 50, Some(100), false),
        (50, 51, Some(100), true),
        (10, 0, None, false),
    ];
    for (used, order, level, blocked) in cases {
        let i = impact(&budget(100, used), usd(order));
        assert_eq!((i.level, i.blocked), (level, blocked), "used {used} + order {order} of 100");
        assert_eq!(i.remaining.minor, 100 - used);
    }
    let zero = impact(&budget(0, 0), usd(1));
    assert!(zero.blocked && zero.level == Some(100));
}

fn draft(billing: serde_json::Value) -> crate::drafts::Draft {
    let v = json!({
        "customer_id": "a81f333323fe427a903411ff3ce792d1", "region": "ap-southeast-3", "availability_zone": "ap-southeast-3a",
        "service": "evs", "billing": billing, "evs": {"name": "d", "type": "SAS", "size": 100, "count": 2},
    });
    validate(&v, catalog().unwrap_or_else(|e| panic!("{e:?}"))).unwrap_or_else(|e| panic!("{e:?}"))
}

fn customer(b: Option<Budget>) -> QuoteCustomer {
    QuoteCustomer {
        id: crate::ids::CustomerId::parse("a81f333323fe427a903411ff3ce792d1").unwrap_or_else(|| panic!()),
        budget: b,
    }
}

#[test]
fn a_year_is_billed_as_the_catalogs_yearly_months() {
    let cat = catalog().unwrap_or_else(|e| panic!("{e:?}"));
    let month =
        quote(&draft(json!({"mode": "yearly_monthly", "period_type": "month", "period_num": 1})), cat, &customer(None))
            .unwrap_or_else(|e| panic!("{e:?}"));
    let year =
        quote(&draft(json!({"mode": "yearly_monthly", "period_type": "year", "period_num": 1})), cat, &customer(None))
            .unwrap_or_else(|e| panic!("{e:?}"));
    // SAS in Singapore: 0.079 USD x 0.96 per GB-month = 75840 (x 10^-4 cents), 200 GB; rounded once per line.
    assert_eq!(month.total.minor, round(75840 * 200));
    assert_eq!(year.total.minor, round(75840 * 200 * cat.yearly_billed_months as i128));
    assert_eq!((month.total.minor, year.total.minor), (1517, 15168));
    assert!(month.budget.is_none() && month.hourly.is_none());
}

#[test]
fn refuses_a_budget_in_another_currency_and_another_customer() {
    let cat = catalog().unwrap_or_else(|e| panic!("{e:?}"));
    let mut b = budget(100, 0);
    b.amount.currency = Currency::parse("EUR").unwrap_or(Currency::USD);
    b.used.currency = b.amount.currency;
    let d = draft(json!({"mode": "pay_per_use"}));
    assert_eq!(quote(&d, cat, &customer(Some(b))).err().map(|e| e.code), Some(Code::CurrencyMismatch));
    let other = QuoteCustomer {
        id: crate::ids::CustomerId::parse("00000000000000000000000000000001").unwrap_or_else(|| panic!()),
        budget: None,
    };
    assert_eq!(quote(&d, cat, &other).err().map(|e| e.code), Some(Code::ValidationFailed));
}

proptest! {
    /// The total is the sum of the lines; a pay-per-use month is the hourly rate times the hours,
    /// up to half a minor unit of rounding per line.
    #[test]
    fn totals_add_up(size in 10i64..32768, count in 1i64..100, region in 0usize..3, ppu in any::<bool>()) {
        let cat = catalog().unwrap_or_else(|e| panic!("{e:?}"));
        let r = &cat.regions[region];
        let billing = if ppu { json!({"mode": "pay_per_use"}) } else { json!({"mode": "yearly_monthly", "period_type": "month", "period_num": 3}) };
        let v = json!({
            "customer_id": "a81f333323fe427a903411ff3ce792d1", "region": r.id, "availability_zone": r.zones[0],
            "service": "evs", "billing": billing, "evs": {"name": "d", "type": "SSD", "size": size, "count": count},
        });
        let d = validate(&v, cat).unwrap_or_else(|e| panic!("{e:?}"));
        let q = quote(&d, cat, &customer(Some(budget(1_000_000, 0)))).unwrap_or_else(|e| panic!("{e:?}"));
        prop_assert_eq!(q.total.minor, q.lines.iter().map(|l| l.amount.minor).sum::<i64>());
        if let Some(h) = &q.hourly {
            let exact = h.minor_e4 as i128 * cat.hours_per_month as i128;
            let diff = (q.total.minor as i128 * 10_000 - exact).abs();
            prop_assert!(diff <= 5_000 * q.lines.len() as i128);
            prop_assert_eq!(q.estimated_month, Some(q.total));
        }
        let b = q.budget.as_ref().map(|b| b.used_after.minor);
        prop_assert_eq!(b, Some(q.total.minor));
    }
}

#[test]
fn a_stored_quote_holds_its_price_for_15_minutes_and_never_keeps_the_password() {
    let cat = catalog().unwrap_or_else(|e| panic!("{e:?}"));
    let raw = json!({
        "customer_id": "a81f333323fe427a903411ff3ce792d1", "region": "ap-southeast-3", "availability_zone": "ap-southeast-3a",
        "service": "evs", "billing": {"mode": "pay_per_use"}, "evs": {"name": "d", "type": "SAS", "size": 100, "count": 2},
        "ecs": {"login": {"password": "S3cret!pass"}},
    });
    let q = quote(&draft(json!({"mode": "pay_per_use"})), cat, &customer(None)).unwrap_or_else(|e| panic!("{e:?}"));
    let now = Timestamp::parse("2026-12-01T00:00:00Z").unwrap_or_else(|| panic!());
    let id = QuoteId::from_bytes(&[7; 12]);
    let s = StoredQuote::new(id, &raw, &q, now).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(s.total, q.total);
    assert!(s.draft["ecs"]["login"].get("password").is_none(), "the password is not stored");
    assert_eq!(s.draft_sha256, draft_sha256(&raw), "the hash is of the draft as received");
    let again = s.draft_to_order(Some("N3w!pass".into()), now.plus(QUOTE_TTL - 1)).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(again["ecs"]["login"]["password"], "N3w!pass", "the password sent with the order goes back in");
    assert_eq!(s.draft_to_order(None, now.plus(QUOTE_TTL)).err().map(|e| e.code), Some(Code::QuoteExpired));
    assert_eq!(
        (s.view(now)["valid"].clone(), s.view(now.plus(QUOTE_TTL))["valid"].clone()),
        (json!(true), json!(false))
    );
}

#[test]
fn one_currency_rule_for_prices_and_orders() {
    let mut eur = budget(100, 0);
    eur.amount.currency = Currency::parse("EUR").unwrap_or(Currency::USD);
    assert_eq!(same_currency(Some(&eur), Currency::USD).err().map(|e| e.code), Some(Code::CurrencyMismatch));
    assert!(same_currency(Some(&eur), eur.amount.currency).is_ok());
    assert!(same_currency(None, Currency::USD).is_ok(), "no budget, no rule");
    assert_eq!(
        crate::orders::budget_gate(Some(&eur), usd(1)).err().map(|e| e.code),
        Some(Code::CurrencyMismatch),
        "paying an order in USD against a EUR budget is refused, not counted"
    );
}
