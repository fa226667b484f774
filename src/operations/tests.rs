use super::*;
use crate::customers::{AssociationType, VerifiedStatus};
use crate::ids::{PartnerId, UserId};
use crate::partners::{PartnerKind, Role};

fn usd(minor: i64) -> Money {
    Money::new(minor, Currency::parse("USD").unwrap())
}

fn customer(used: i64, amount: i64, frozen: bool, auto: bool) -> CustomerFacts {
    CustomerFacts {
        id: CustomerId::from_bytes(&[1; 16]),
        partner_id: PartnerId::from_bytes(&[2; 16]),
        partner_distributor_id: Some(PartnerId::from_bytes(&[3; 16])),
        association_type: AssociationType::Reseller,
        frozen,
        auto_frozen: auto,
        verified_status: VerifiedStatus::VERIFIED,
        budget: Some(Budget {
            budget_type: BudgetType::Monthly,
            amount: usd(amount),
            used: usd(used),
            auto_freeze: true,
        }),
        gone_since: None,
    }
}

fn actor(partner: [u8; 16], role: Role) -> Actor {
    Actor {
        user_id: UserId::from_bytes(&[9; 12]),
        partner_id: PartnerId::from_bytes(&partner),
        partner_kind: PartnerKind::Reseller,
        distributor_id: None,
        role,
    }
}

#[test]
fn only_the_associated_partners_admins_and_operators_operate() {
    let c = customer(0, 100, false, false);
    assert!(may_operate(&actor([2; 16], Role::Operator), &c).is_ok());
    assert_eq!(may_operate(&actor([2; 16], Role::Viewer), &c).unwrap_err().code, Code::ForbiddenRole);
    assert_eq!(may_operate(&actor([3; 16], Role::Admin), &c).unwrap_err().code, Code::CustomerNotAssociated);
}

#[test]
fn a_budget_below_usage_needs_confirmation_and_usage_carries_over() {
    let c = customer(5_000, 10_000, false, false);
    let change = |amount, below| BudgetChange {
        budget_type: BudgetType::OneTime,
        amount: usd(amount),
        auto_freeze: true,
        below_usage: below,
    };
    let usd_c = usd(0).currency;
    let e = set_budget(&c, &change(4_000, false), usd_c).unwrap_err();
    assert_eq!(e.code, Code::BudgetBelowUsage);
    assert_eq!(e.data.unwrap()["used"]["minor"], 5_000);
    let d = set_budget(&c, &change(4_000, true), usd_c).unwrap();
    assert_eq!((d.budget.used, d.budget.amount, d.unfreeze), (usd(5_000), usd(4_000), false));
    let eur = Money::new(20_000, Currency::parse("EUR").unwrap());
    let e = set_budget(&c, &BudgetChange { amount: eur, ..change(0, false) }, usd_c).unwrap_err();
    assert_eq!((e.code, e.http_status()), (Code::CurrencyMismatch, 422));
    assert_eq!(e.data.unwrap()["currency"], "USD");
}

#[test]
fn a_value_huawei_took_is_written_even_below_usage() {
    let ask = |below| BudgetChange {
        budget_type: BudgetType::Monthly,
        amount: usd(1),
        auto_freeze: false,
        below_usage: below,
    };
    assert!(!BudgetDecision::allows_below_usage(&ask(false), false));
    assert!(BudgetDecision::allows_below_usage(&ask(true), false));
    assert!(BudgetDecision::allows_below_usage(&ask(false), true));
}

#[test]
fn room_in_the_budget_or_auto_freeze_off_lifts_an_automatic_freeze() {
    let c = customer(10_000, 10_000, true, true);
    let usd_c = usd(0).currency;
    let raise =
        BudgetChange { budget_type: BudgetType::Monthly, amount: usd(20_000), auto_freeze: true, below_usage: false };
    assert!(set_budget(&c, &raise, usd_c).unwrap().unfreeze);
    let off = BudgetChange { amount: usd(10_000), auto_freeze: false, ..raise.clone() };
    assert!(set_budget(&c, &off, usd_c).unwrap().unfreeze);
    let same = BudgetChange { amount: usd(10_000), ..raise.clone() };
    assert!(!set_budget(&c, &same, usd_c).unwrap().unfreeze, "still used up");
    // A manual freeze is the partner's decision: a budget change does not lift it.
    assert!(!set_budget(&customer(0, 100, true, false), &raise, usd_c).unwrap().unfreeze);
}

#[test]
fn unfreezing_an_exhausted_automatic_freeze_says_what_to_do() {
    let e = unfreeze(&customer(10_000, 10_000, true, true)).unwrap_err();
    assert_eq!(e.code, Code::UnfreezeNeedsBudget);
    assert!(e.data.unwrap()["remedy"].as_str().unwrap().contains("auto-freeze off"));
    assert_eq!(unfreeze(&customer(0, 100, true, false)), Ok(FreezeOutcome::Changed));
    assert_eq!(unfreeze(&customer(0, 100, false, false)), Ok(FreezeOutcome::Unchanged));
    assert_eq!(freeze(&customer(0, 100, true, false)), FreezeOutcome::Unchanged);
    assert_eq!(freeze(&customer(0, 100, false, false)), FreezeOutcome::Changed);
}

#[test]
fn requests_are_checked_field_by_field() {
    let id = "0123456789abcdef0123456789abcdef";
    let ok = FreezeRequest::decode(&json!({"customer_ids": [id], "reason": "overdue invoices"})).unwrap();
    assert_eq!(ok.customer_ids.len(), 1);
    let e = FreezeRequest::decode(&json!({"customer_ids": [id, id], "reason": "no"})).unwrap_err();
    assert_eq!(e.details.len(), 2, "{:?}", e.details);
    assert!(FreezeRequest::decode(&json!({"customer_ids": [], "reason": "overdue"})).is_err());
    let b = BudgetChange::decode(
        &json!({"type": "monthly", "amount": {"minor": 100, "currency": "USD"}, "auto_freeze": true}),
    )
    .unwrap();
    assert!(!b.below_usage);
    assert!(
        BudgetChange::decode(&json!({"type": "weekly", "amount": {"minor": -1, "currency": "USD"}, "auto_freeze": 1}))
            .unwrap_err()
            .details
            .len()
            >= 3
    );
    assert_eq!(TagChange::decode(&json!({"add": ["vip"]})).unwrap().add, vec!["vip".to_string()]);
    assert!(TagChange::decode(&json!({})).is_err());
    assert!(TagChange::decode(&json!({"add": ["x".repeat(33)]})).is_err());
}

#[test]
fn an_account_manager_is_named_or_unassigned_explicitly() {
    let ok = ManagerChange::decode(&serde_json::json!({"account_manager": "  Li Na "})).unwrap();
    assert_eq!(ok.account_manager.as_deref(), Some("Li Na"));
    assert_eq!(ManagerChange::decode(&serde_json::json!({"account_manager": null})).unwrap().account_manager, None);
    let e = ManagerChange::decode(&serde_json::json!({})).unwrap_err();
    assert_eq!(e.details[0].path, path(&["account_manager"]));
    let e = ManagerChange::decode(&serde_json::json!({"account_manager": ""})).unwrap_err();
    assert_eq!(e.code, Code::ValidationFailed);
    assert!(ManagerChange::decode(&serde_json::json!({"account_manager": "x", "extra": 1})).is_err());
}
