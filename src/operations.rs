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

impl BudgetDecision {
    /// Whether the local write may set an amount below the usage it finds: when asked
    /// (`below_usage`), or when Huawei already took the value (it is the partner's truth; usage that
    /// grew here meanwhile does not undo it).
    pub fn allows_below_usage(change: &BudgetChange, applied_upstream: bool) -> bool {
        change.below_usage || applied_upstream
    }
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
        return Err(ApiError::with_message(Code::CurrencyMismatch, format!("Budgets are in {}.", currency.as_str()))
            .with_data(json!({"path": ["amount", "currency"], "currency": currency.as_str()})));
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

/// `PUT /v1/customers/{id}/account-manager`: `{account_manager: "name" | null}` (null unassigns).
/// An assignment made here is kept over the manager Huawei's directory lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagerChange {
    pub account_manager: Option<String>,
}

impl ManagerChange {
    pub fn decode(v: &Value) -> Result<Self, ApiError> {
        Decoder::run(|d| {
            let given = v.get("account_manager").is_some();
            let mut o = d.object(v, Path::new())?;
            let name = d.optional(&mut o, "account_manager").map(|(v, p)| d.text(v, &p, 1, 64));
            d.close(o);
            if !given {
                d.error(path(&["account_manager"]), Code::Required, "`account_manager` is required (null unassigns).");
                return None;
            }
            let account_manager = match name {
                Some(read) => Some(read?),
                None => None,
            };
            Some(ManagerChange { account_manager })
        })
    }
}

#[cfg(test)]
mod tests;
