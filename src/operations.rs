//! What a partner does to its customers besides ordering (issue 13, first piece): set a budget,
//! freeze and unfreeze, tag and assign an account manager. The rules, pure: who may (the partner the
//! customer is associated with; admins and operators), what a valid change is, and what follows from it.
//! The worker routes and the Huawei partner APIs (BSS) come on top.

use crate::customers::{Budget, BudgetType, CustomerFacts};
use crate::decode::Decoder;
use crate::error::{path, ApiError, Code, Path};
use crate::ids::CustomerId;
use crate::money::{Currency, Money};
use crate::partners::{Ability, Actor};
use serde_json::{json, Value};

/// Only the partner the customer is associated with operates it (a distributor sees its resellers'
/// customers, but their budgets and freezes are the reseller's), and only an admin or operator.
pub fn may_operate(actor: &Actor, customer: &CustomerFacts) -> Result<(), ApiError> {
    actor.require(Ability::RequestAuthorization)?;
    if customer.partner_id != actor.partner_id {
        return Err(ApiError::with_message(
            Code::CustomerNotAssociated,
            "Only the partner the customer is associated with sets its budget or freezes it.",
        ));
    }
    Ok(())
}

/// `PUT /v1/customers/{id}/budget`: `{type, amount, auto_freeze, below_usage?}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetChange {
    pub budget_type: BudgetType,
    pub amount: Money,
    pub auto_freeze: bool,
    /// Set to true to set an amount below what the customer already used (it is then used up).
    pub below_usage: bool,
}

impl BudgetChange {
    pub fn decode(v: &Value) -> Result<Self, ApiError> {
        Decoder::run(|d| {
            let mut o = d.object(v, Path::new())?;
            let t = d.required(&mut o, "type").and_then(|(v, p)| d.one_of(v, &p, BudgetType::NAMES, BudgetType::parse));
            let amount = d.required(&mut o, "amount").and_then(|(v, p)| Money::decode(d, v, p));
            let auto = d.required(&mut o, "auto_freeze").and_then(|(v, p)| d.bool(v, &p));
            let below = d.optional_or(&mut o, "below_usage", false, |d, v, p| d.bool(v, &p));
            d.close(o);
            Some(BudgetChange { budget_type: t?, amount: amount?, auto_freeze: auto?, below_usage: below? })
        })
    }
}

/// What setting a budget does: the new budget, and whether an automatic freeze lifts (the budget has
/// room again, or auto-freeze is off).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetDecision {
    pub budget: Budget,
    pub unfreeze: bool,
}

/// Decides a budget change for `customer`, in the partner's `currency`. Usage carries over (a new
/// amount does not forgive what was spent); an amount below usage needs `below_usage: true`
/// (`budget_below_usage` says the usage otherwise).
pub fn set_budget(
    customer: &CustomerFacts,
    change: &BudgetChange,
    currency: Currency,
) -> Result<BudgetDecision, ApiError> {
    if change.amount.currency != currency {
        let mut d = Decoder::new();
        d.error(
            path(&["amount", "currency"]),
            Code::CurrencyMismatch,
            format!("Budgets are in {}.", currency.as_str()),
        );
        return Err(ApiError::validation(d.into_errors()));
    }
    let used = customer.budget.as_ref().map_or(Money::new(0, currency), |b| b.used);
    if change.amount.minor < used.minor && !change.below_usage {
        return Err(ApiError::new(Code::BudgetBelowUsage).with_data(json!({"used": used, "amount": change.amount})));
    }
    let budget =
        Budget { budget_type: change.budget_type, amount: change.amount, used, auto_freeze: change.auto_freeze };
    let room = used.minor < change.amount.minor;
    Ok(BudgetDecision { unfreeze: customer.auto_frozen && (room || !change.auto_freeze), budget })
}

/// `POST /v1/customers/freeze` and `/unfreeze`: `{customer_ids: [1..100 distinct], reason}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreezeRequest {
    pub customer_ids: Vec<CustomerId>,
    pub reason: String,
}

impl FreezeRequest {
    pub fn decode(v: &Value) -> Result<Self, ApiError> {
        Decoder::run(|d| {
            let mut o = d.object(v, Path::new())?;
            let ids = d.required(&mut o, "customer_ids").and_then(|(v, p)| {
                let ids =
                    d.array(v, &p, 100, |d, v, p| d.parsed(v, &p, "32 lowercase hex digits", CustomerId::parse))?;
                if ids.is_empty() {
                    d.error(p, Code::OutOfRange, "At least one customer.");
                    return None;
                }
                let mut seen = std::collections::BTreeSet::new();
                if let Some(i) = ids.iter().position(|id| !seen.insert(id.as_str().to_string())) {
                    d.error(crate::decode::index(&p, i), Code::Duplicate, "This customer is listed twice.");
                    return None;
                }
                Some(ids)
            });
            let reason = d.required(&mut o, "reason").and_then(|(v, p)| d.text(v, &p, 4, 200));
            d.close(o);
            Some(FreezeRequest { customer_ids: ids?, reason: reason? })
        })
    }
}

/// What freezing or unfreezing does to one customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FreezeOutcome {
    Changed,
    /// Already in that state: nothing to write (a retry is harmless).
    Unchanged,
}

/// Freezing: a frozen customer stays frozen (no change).
pub fn freeze(customer: &CustomerFacts) -> FreezeOutcome {
    if customer.frozen {
        FreezeOutcome::Unchanged
    } else {
        FreezeOutcome::Changed
    }
}

/// Unfreezing: a customer frozen automatically because its budget ran out stays frozen until the
/// budget has room or auto-freeze is off (`unfreeze_needs_budget`, with the remedy).
pub fn unfreeze(customer: &CustomerFacts) -> Result<FreezeOutcome, ApiError> {
    if !customer.frozen {
        return Ok(FreezeOutcome::Unchanged);
    }
    let exhausted = customer.budget.as_ref().is_some_and(|b| b.auto_freeze && b.used.minor >= b.amount.minor);
    if customer.auto_frozen && exhausted {
        return Err(ApiError::new(Code::UnfreezeNeedsBudget).with_data(json!({
            "customer_id": customer.id,
            "remedy": "Raise the budget above what the customer used, or turn auto-freeze off (PUT /v1/customers/{id}/budget); that lifts the automatic freeze.",
        })));
    }
    Ok(FreezeOutcome::Changed)
}

/// `PUT /v1/customers/{id}/tags` `{add?: [...], remove?: [...]}` and the account manager
/// (`{account_manager: name | null}`): local data, as the two filters read them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagChange {
    pub add: Vec<String>,
    pub remove: Vec<String>,
}

impl TagChange {
    pub fn decode(v: &Value) -> Result<Self, ApiError> {
        Decoder::run(|d| {
            let mut o = d.object(v, Path::new())?;
            let mut list = |d: &mut Decoder, key: &'static str| {
                d.optional_or(&mut o, key, Vec::new(), |d, v, p| d.array(v, &p, 20, |d, v, p| d.text(v, &p, 1, 32)))
            };
            let add = list(d, "add");
            let remove = list(d, "remove");
            d.close(o);
            let (add, remove) = (add?, remove?);
            if add.is_empty() && remove.is_empty() {
                d.error(Path::new(), Code::Required, "Give tags to add or to remove.");
                return None;
            }
            Some(TagChange { add, remove })
        })
    }
}

#[cfg(test)]
mod tests {
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
        assert_eq!(e.details[0].code, Code::CurrencyMismatch);
    }

    #[test]
    fn room_in_the_budget_or_auto_freeze_off_lifts_an_automatic_freeze() {
        let c = customer(10_000, 10_000, true, true);
        let usd_c = usd(0).currency;
        let raise = BudgetChange {
            budget_type: BudgetType::Monthly,
            amount: usd(20_000),
            auto_freeze: true,
            below_usage: false,
        };
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
            BudgetChange::decode(
                &json!({"type": "weekly", "amount": {"minor": -1, "currency": "USD"}, "auto_freeze": 1})
            )
            .unwrap_err()
            .details
            .len()
                >= 3
        );
        assert_eq!(TagChange::decode(&json!({"add": ["vip"]})).unwrap().add, vec!["vip".to_string()]);
        assert!(TagChange::decode(&json!({})).is_err());
        assert!(TagChange::decode(&json!({"add": ["x".repeat(33)]})).is_err());
    }
}
