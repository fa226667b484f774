use super::*;
use serde_json::json;

fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::USD)
}

fn partner() -> PartnerId {
    PartnerId::parse(&"e".repeat(32)).unwrap()
}

fn entry(id: &str, frozen: i64) -> Value {
    json!({
        "customer": "Zhang Wei", "account_name": "zw-cloud", "customer_id": id,
        "associated_on": "2025-03-04T05:06:07Z", "association_type": "3", "telephone": "138****0000",
        "verified_status": "2", "country_code": "0086", "customer_type": 1, "is_frozen": frozen,
        "account_managers": [{"account_name": "Li Na"}], "customer_level": "V2", "email": "z***@example.com"
    })
}

#[test]
fn a_page_reads_every_usable_entry_and_counts_the_rest() {
    let a = "a".repeat(32);
    let page = json!({"count": 250, "customer_infos": [
        entry(&a, 0),
        entry("not-an-id", 0),
        {"customer_id": "b".repeat(32), "account_name": "x", "association_type": "2", "associated_on": "2025-03-04T05:06:07Z"},
    ]});
    let p = read_page(&page).unwrap();
    assert_eq!((p.entries, p.unreadable, p.count, p.customers.len()), (3, 2, 250, 1));
    let c = &p.customers[0];
    assert_eq!(c.id.as_str(), a);
    assert_eq!((c.real_name.as_str(), c.mobile.as_str(), c.level.as_str()), ("Zhang Wei", "138****0000", "V2"));
    assert_eq!(c.account_manager.as_deref(), Some("Li Na"));
    assert_eq!(
        (c.association_type, c.verified_status, c.customer_type, c.frozen),
        (AssociationType::Reseller, VerifiedStatus(2), 1, false)
    );
    assert!(read_page(&json!({"error_code": "CBC.0150"})).is_none());
}

#[test]
fn budgets_read_in_minor_units_and_another_currency_is_left_out() {
    let a = "a".repeat(32);
    let v = json!({"currency": "USD", "measure_id": 1, "budget_infos": [
        {"customer_id": a, "budget_amount": 1200.5, "used_amount": 99.994, "budget_type": "PACKAGE"},
        {"customer_id": "b".repeat(32), "budget_amount": "oops"},
    ]});
    let b = read_budgets(&v, Currency::USD);
    assert_eq!(b.len(), 1);
    assert_eq!(b[&a], ListedBudget { budget_type: BudgetType::OneTime, amount: usd(120_050), used: usd(9_999) });
    let eur = Currency::parse("EUR").unwrap();
    assert!(read_budgets(&v, eur).is_empty());
}

#[test]
fn the_budget_body_is_in_currency_units_with_huaweis_names() {
    let id = CustomerId::parse(&"a".repeat(32)).unwrap();
    let b = Budget { budget_type: BudgetType::OneTime, amount: usd(120_005), used: usd(0), auto_freeze: true };
    let body = set_budget_body(&id, &b, true);
    assert_eq!(body["budget_amount"].to_string(), "1200.05");
    assert_eq!((body["budget_type"].as_str(), body["frozen_operate_type"].as_i64()), (Some("PACKAGE"), Some(1)));
    assert_eq!(body["cancel_partner_frozen"], "1");
    assert_eq!(decimal(usd(7)).to_string(), "0.07");
    let f = freeze_body(&[&id], "overdue", true);
    assert_eq!(f["freeze_type"], "ACCOUNT");
    assert!(freeze_body(&[&id], "paid", false).get("freeze_type").is_none());
    let r = refused(
        &json!({"error_details": [{"id": id.as_str(), "error_code": "CBC.99003651", "error_msg": "not yours"}]}),
    );
    assert_eq!(r[id.as_str()], "CBC.99003651 not yours");
}

#[test]
fn only_resold_customers_have_a_budget_in_huawei() {
    let p = read_page(&json!({"count": 1, "customer_infos": [entry(&"a".repeat(32), 0)]})).unwrap();
    let (mut c, _) = merge(None, &p.customers[0], None, &partner(), None, Currency::USD);
    assert!(budget_in_huawei(&c.facts));
    c.facts.association_type = AssociationType::Referral;
    assert!(!budget_in_huawei(&c.facts));
}

#[test]
fn merging_adds_then_leaves_an_unchanged_listing_alone() {
    let p = read_page(&json!({"count": 1, "customer_infos": [entry(&"a".repeat(32), 0)]})).unwrap();
    let l = &p.customers[0];
    let b = ListedBudget { budget_type: BudgetType::Monthly, amount: usd(50_000), used: usd(1_234) };
    let (c, o) = merge(None, l, Some(&b), &partner(), None, Currency::USD);
    assert_eq!(o, Outcome::Added);
    assert_eq!(c.month_to_date_spend, usd(1_234), "a monthly budget's usage is the month's spend");
    assert_eq!(c.facts.budget.as_ref().map(|b| b.auto_freeze), Some(false));
    let (again, o) = merge(Some((&c, Local::default())), l, Some(&b), &partner(), None, Currency::USD);
    assert_eq!((o, &again), (Outcome::Unchanged, &c));
}

#[test]
fn merging_keeps_what_only_onbehalf_knows() {
    let p = read_page(&json!({"count": 1, "customer_infos": [entry(&"a".repeat(32), 1)]})).unwrap();
    let l = &p.customers[0];
    let (mut c, _) = merge(None, l, None, &partner(), None, Currency::USD);
    assert_eq!((c.facts.frozen, c.frozen_reason.as_deref()), (true, Some(FROZEN_UPSTREAM)));
    c.tags = vec!["vip".into()];
    c.account_manager = Some("Chen Jie".into());
    c.frozen_reason = Some("Overdue invoice".into());
    c.facts.budget =
        Some(Budget { budget_type: BudgetType::Monthly, amount: usd(10), used: usd(0), auto_freeze: true });
    let b = ListedBudget { budget_type: BudgetType::Monthly, amount: usd(20_000), used: usd(5) };
    let here = Local { manager_set_here: true };
    let (m, o) = merge(Some((&c, here)), l, Some(&b), &partner(), None, Currency::USD);
    assert_eq!(o, Outcome::Changed);
    assert_eq!(m.tags, vec!["vip".to_string()]);
    assert_eq!(m.account_manager.as_deref(), Some("Chen Jie"), "assigned here: kept");
    assert_eq!(m.frozen_reason.as_deref(), Some("Overdue invoice"), "frozen here: the reason stays");
    assert_eq!(m.facts.budget.as_ref().map(|b| (b.amount, b.auto_freeze)), Some((usd(20_000), true)));
    let (m2, _) = merge(Some((&c, Local::default())), l, Some(&b), &partner(), None, Currency::USD);
    assert_eq!(m2.account_manager.as_deref(), Some("Li Na"), "not assigned here: Huawei's");
    // Unfrozen in Huawei: unfrozen here, automatic freeze included.
    let thawed = read_page(&json!({"count": 1, "customer_infos": [entry(&"a".repeat(32), 0)]})).unwrap();
    c.facts.auto_frozen = true;
    let (t, _) = merge(Some((&c, here)), &thawed.customers[0], None, &partner(), None, Currency::USD);
    assert_eq!((t.facts.frozen, t.facts.auto_frozen, t.frozen_reason), (false, false, None));
}

#[test]
fn a_budget_and_its_records_read_in_minor_units() {
    let b = read_budget(
        &json!({"budget_amount": 500, "used_amount": 12.5, "currency": "USD", "budget_type": "PACKAGE"}),
        Currency::USD,
    );
    assert_eq!(b, Some(ListedBudget { budget_type: BudgetType::OneTime, amount: usd(50_000), used: usd(1_250) }));
    assert_eq!(read_budget(&json!({"budget_amount": 500, "currency": "EUR"}), Currency::USD), None);
    let r = read_budget_records(
        &json!({"currency": "USD", "total_count": 2, "record_list": [
            {"budget_amount": 1200.5, "operation_type": "SETTING", "operation_time": "2026-11-30T10:00:00Z", "operator": "ops", "budget_type": "MONTHLY"},
            {"operation_type": "DELETE", "operation_time": "2026-11-29T10:00:00Z", "operator": "system"},
        ]}),
        Currency::USD,
    );
    assert_eq!(r.len(), 2);
    assert_eq!((r[0].amount, r[0].budget_type), (Some(usd(120_050)), Some(BudgetType::Monthly)));
    assert_eq!((r[1].operation.as_str(), r[1].amount), ("DELETE", None));
}

#[test]
fn an_audited_budget_change_reads_as_a_record() {
    let d = json!({"budget": {"type": "one_time", "amount": {"minor": 900, "currency": "USD"}, "used": {"minor": 0, "currency": "USD"}, "auto_freeze": false}});
    let r = audited_record("2026-12-01T08:00:00Z", &d, Some("usr_1")).unwrap();
    assert_eq!((r.amount, r.budget_type, r.operation.as_str()), (Some(usd(900)), Some(BudgetType::OneTime), "SETTING"));
    assert!(audited_record("2026-12-01T08:00:00Z", &json!({}), None).is_none());
}
