//! The partner side of BSS international, as data: the partner's customer directory
//! (`POST /v2/partners/sub-customers/query`, paged), their budgets (`…/budget/query`, at most 100
//! ids a call, reseller-mode customers only), setting a budget, freezing and unfreezing. Requests are
//! signed with the partner's own key (no agency). What a listed customer becomes in onbehalf is
//! [`merge`]: Huawei owns the association, the names and contact data, the frozen state and the
//! budget's amount and usage; onbehalf keeps what only it knows (tags, an account manager assigned
//! here, the budget's auto-freeze switch, the reason of a freeze made here).

use crate::customers::{AssociationType, Budget, BudgetType, Customer, CustomerFacts, VerifiedStatus};
use crate::ids::{CustomerId, PartnerId};
use crate::money::{Currency, Money};
use crate::time::Timestamp;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const QUERY_PATH: &str = "/v2/partners/sub-customers/query";
pub const BUDGETS_PATH: &str = "/v2/partners/sub-customers/budget/query";
pub const BUDGET_PATH: &str = "/v2/partners/sub-customers/budget";
pub const BUDGET_RECORDS_PATH: &str = "/v2/partners/sub-customers/budget/records";
pub const FREEZE_PATH: &str = "/v2/partners/sub-customers/freeze";
pub const UNFREEZE_PATH: &str = "/v2/partners/sub-customers/unfreeze";

/// Customers asked for per page (Huawei's largest `limit`), and ids per budget query (its maximum).
pub const PAGE: u64 = 100;

/// The reason a customer frozen in Huawei Cloud (not here) shows.
pub const FROZEN_UPSTREAM: &str = "Frozen in Huawei Cloud.";

/// The body of one page of the directory, from `offset`.
pub fn page_body(offset: u64) -> Value {
    json!({"offset": offset, "limit": PAGE})
}

/// A customer as Huawei lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub id: CustomerId,
    pub account_name: String,
    pub real_name: String,
    pub association_type: AssociationType,
    pub associated_on: Timestamp,
    pub mobile_country_code: String,
    pub mobile: String,
    pub email: String,
    pub account_manager: Option<String>,
    pub verified_status: VerifiedStatus,
    pub customer_type: i64,
    pub level: String,
    pub frozen: bool,
}

/// One page: the customers read, how many entries could not be read (no usable id, account,
/// association), and Huawei's total `count`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub customers: Vec<Listed>,
    pub entries: u64,
    pub unreadable: u64,
    pub count: u64,
}

/// Reads a page (`ListSubCustomersResponse`); `None` when the answer is not one.
pub fn read_page(v: &Value) -> Option<Page> {
    let infos = v.get("customer_infos")?.as_array()?;
    let count = v.get("count").and_then(Value::as_u64).unwrap_or(infos.len() as u64);
    let customers: Vec<Listed> = infos.iter().filter_map(listed).collect();
    let entries = infos.len() as u64;
    Some(Page { unreadable: entries - customers.len() as u64, entries, customers, count })
}

fn listed(v: &Value) -> Option<Listed> {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::trim).unwrap_or("").to_string();
    let id = CustomerId::parse(v.get("customer_id")?.as_str()?)?;
    let account_name = s("account_name");
    if account_name.is_empty() {
        return None;
    }
    let association_type = AssociationType::parse(v.get("association_type")?.as_str()?)?;
    let associated_on = Timestamp::parse(v.get("associated_on")?.as_str()?)?;
    let verified = s("verified_status").parse().ok().and_then(VerifiedStatus::parse).unwrap_or(VerifiedStatus(-1));
    let manager = v
        .get("account_managers")
        .and_then(Value::as_array)
        .and_then(|m| m.first())
        .and_then(|m| m.get("account_name"))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_string);
    Some(Listed {
        id,
        real_name: s("customer"),
        account_name,
        association_type,
        associated_on,
        mobile_country_code: s("country_code"),
        mobile: s("telephone"),
        email: s("email"),
        account_manager: manager,
        verified_status: verified,
        customer_type: v.get("customer_type").and_then(Value::as_i64).filter(|t| (-1..=1).contains(t)).unwrap_or(-1),
        level: s("customer_level"),
        frozen: v.get("is_frozen").and_then(Value::as_i64) == Some(1),
    })
}

/// The body of a budget query for `ids` (at most [`PAGE`]).
pub fn budgets_body(ids: &[&CustomerId]) -> Value {
    json!({"customer_ids": ids.iter().map(|i| i.as_str()).collect::<Vec<_>>()})
}

/// A budget as Huawei lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListedBudget {
    pub budget_type: BudgetType,
    pub amount: Money,
    pub used: Money,
}

/// Whether Huawei keeps a budget for this customer: only for resold (reseller-mode) customers.
pub fn budget_in_huawei(c: &CustomerFacts) -> bool {
    c.association_type == AssociationType::Reseller
}

/// Huawei's budget type: `MONTHLY` or `PACKAGE` (one-time).
pub fn budget_type_of(s: &str) -> Option<BudgetType> {
    match s {
        "MONTHLY" => Some(BudgetType::Monthly),
        "PACKAGE" => Some(BudgetType::OneTime),
        _ => None,
    }
}

/// Our budget type as Huawei names it.
pub fn budget_type_name(t: BudgetType) -> &'static str {
    match t {
        BudgetType::Monthly => "MONTHLY",
        BudgetType::OneTime => "PACKAGE",
    }
}

/// Reads a budget query's answer (`ListSubCustomerBudgetResponse`) by customer id. Budgets in
/// another currency than `currency` are left out (onbehalf counts a budget in one currency).
pub fn read_budgets(v: &Value, currency: Currency) -> BTreeMap<String, ListedBudget> {
    let cur = v.get("currency").and_then(Value::as_str).and_then(Currency::parse);
    let mut out = BTreeMap::new();
    if cur.is_some_and(|c| c != currency) {
        return out;
    }
    for b in v.get("budget_infos").and_then(Value::as_array).into_iter().flatten() {
        let read = || {
            let id = b.get("customer_id")?.as_str()?.to_string();
            let t = budget_type_of(b.get("budget_type").and_then(Value::as_str).unwrap_or("MONTHLY"))?;
            let amount = super::rating::minor(b.get("budget_amount")?)?;
            let used = b.get("used_amount").map_or(Some(0), super::rating::minor)?;
            Some((
                id,
                ListedBudget { budget_type: t, amount: Money::new(amount, currency), used: Money::new(used, currency) },
            ))
        };
        if let Some((id, b)) = read() {
            out.insert(id, b);
        }
    }
    out
}

/// Minor units as Huawei's decimal amount in currency units (`12345` → `123.45`).
pub fn decimal(m: Money) -> Value {
    let s = format!("{}.{:02}", m.minor / 100, m.minor % 100);
    serde_json::from_str(&s).unwrap_or(Value::Null)
}

/// The body that sets a budget (`ModSubCustomerBudgetReq`): `unfreeze` lifts a freeze at once
/// (`cancel_partner_frozen`), auto-freeze is `frozen_operate_type` 1.
pub fn set_budget_body(customer: &CustomerId, b: &Budget, unfreeze: bool) -> Value {
    json!({
        "customer_id": customer.as_str(),
        "budget_amount": decimal(b.amount),
        "budget_type": budget_type_name(b.budget_type),
        "frozen_operate_type": if b.auto_freeze { 1 } else { 0 },
        "cancel_partner_frozen": if unfreeze { "1" } else { "0" },
    })
}

/// The body that freezes or unfreezes `ids` with `reason` (`FreezeSubCustomersReq`,
/// `UnfreezeSubCustomersReq`). Freezing freezes the account (its resources keep running).
pub fn freeze_body(ids: &[&CustomerId], reason: &str, frozen: bool) -> Value {
    let ids: Vec<&str> = ids.iter().map(|i| i.as_str()).collect();
    if frozen {
        json!({"customer_ids": ids, "reason": reason, "freeze_type": "ACCOUNT"})
    } else {
        json!({"customer_ids": ids, "reason": reason})
    }
}

/// The customers Huawei did not freeze or unfreeze, with its error code (`error_details`, each a
/// `CustomerErrorDetail` whose `id` is the customer's).
pub fn refused(v: &Value) -> BTreeMap<String, String> {
    v.get("error_details")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| {
            let id = e.get("id")?.as_str()?.to_string();
            let code = e.get("error_code").and_then(Value::as_str).unwrap_or("").to_string();
            let msg = e.get("error_msg").and_then(Value::as_str).unwrap_or("").to_string();
            Some((id, format!("{code} {msg}").trim().to_string()))
        })
        .collect()
}

/// One change of a customer's budget as Huawei records it (`BudgetRecordInfo`), or as onbehalf
/// audited it in simulated mode.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BudgetRecord {
    pub at: Option<Timestamp>,
    /// `SETTING` (set) or `DELETE` (the association ended).
    pub operation: String,
    #[serde(rename = "type")]
    pub budget_type: Option<BudgetType>,
    pub amount: Option<Money>,
    pub operator: Option<String>,
}

/// The customer's budget as Huawei shows it (`ShowSubCustomerBudgetResponse`); `None` when the
/// answer has no amount or is in another currency.
pub fn read_budget(v: &Value, currency: Currency) -> Option<ListedBudget> {
    let cur = v.get("currency").and_then(Value::as_str).and_then(Currency::parse);
    if cur.is_some_and(|c| c != currency) {
        return None;
    }
    let t = budget_type_of(v.get("budget_type").and_then(Value::as_str).unwrap_or("MONTHLY"))?;
    let amount = super::rating::minor(v.get("budget_amount")?)?;
    let used = v.get("used_amount").map_or(Some(0), super::rating::minor)?;
    Some(ListedBudget { budget_type: t, amount: Money::new(amount, currency), used: Money::new(used, currency) })
}

/// The records of a budget query (`ListSubCustomerBudgetRecordsResponse`), newest first as Huawei
/// gives them; amounts in another currency are left out (the change itself is kept).
pub fn read_budget_records(v: &Value, currency: Currency) -> Vec<BudgetRecord> {
    let same = v.get("currency").and_then(Value::as_str).and_then(Currency::parse).is_none_or(|c| c == currency);
    v.get("record_list")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|r| {
            let s = |k: &str| r.get(k).and_then(Value::as_str).map(str::to_string);
            BudgetRecord {
                at: r.get("operation_time").and_then(Value::as_str).and_then(Timestamp::parse),
                operation: s("operation_type").unwrap_or_default(),
                budget_type: r.get("budget_type").and_then(Value::as_str).and_then(budget_type_of),
                amount: r
                    .get("budget_amount")
                    .filter(|_| same)
                    .and_then(super::rating::minor)
                    .map(|m| Money::new(m, currency)),
                operator: s("operator"),
            }
        })
        .collect()
}

/// A budget change as onbehalf audited it (`customer.budget_set`: its `detail.budget`), as a record.
pub fn audited_record(at: &str, detail: &Value, operator: Option<&str>) -> Option<BudgetRecord> {
    let b = detail.get("budget")?;
    let minor = b.pointer("/amount/minor").and_then(Value::as_i64)?;
    let currency = b.pointer("/amount/currency").and_then(Value::as_str).and_then(Currency::parse)?;
    Some(BudgetRecord {
        at: Timestamp::parse(at),
        operation: "SETTING".into(),
        budget_type: b.get("type").and_then(Value::as_str).and_then(BudgetType::parse),
        amount: Some(Money::new(minor, currency)),
        operator: operator.map(str::to_string),
    })
}

/// What onbehalf alone knows about a customer Huawei lists: an account manager assigned here wins
/// over Huawei's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Local {
    pub manager_set_here: bool,
}

/// What a sync does with one listed customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Added,
    Changed,
    Unchanged,
}

/// The customer as it should be after Huawei's listing, for `partner` (whose distributor, if any, is
/// `distributor`; prices in `currency`), and whether that adds, changes or leaves it.
pub fn merge(
    existing: Option<(&Customer, Local)>,
    listed: &Listed,
    budget: Option<&ListedBudget>,
    partner: &PartnerId,
    distributor: Option<&PartnerId>,
    currency: Currency,
) -> (Customer, Outcome) {
    let mut c = match existing {
        Some((c, _)) => c.clone(),
        None => Customer {
            facts: CustomerFacts {
                id: listed.id.clone(),
                partner_id: partner.clone(),
                partner_distributor_id: distributor.cloned(),
                association_type: listed.association_type,
                frozen: false,
                auto_frozen: false,
                verified_status: listed.verified_status,
                budget: None,
                gone_since: None,
            },
            account_name: String::new(),
            real_name: String::new(),
            mobile_country_code: String::new(),
            mobile: String::new(),
            email: String::new(),
            associated_on: listed.associated_on,
            account_manager: None,
            customer_type: -1,
            level: String::new(),
            frozen_reason: None,
            month_to_date_spend: Money::new(0, currency),
            earliest_expiry: None,
            tags: Vec::new(),
        },
    };
    let f = &mut c.facts;
    f.partner_id = partner.clone();
    f.partner_distributor_id = distributor.cloned();
    f.association_type = listed.association_type;
    f.verified_status = listed.verified_status;
    f.gone_since = None; // listed: served again
    if listed.frozen && !f.frozen {
        f.frozen = true;
        c.frozen_reason = Some(FROZEN_UPSTREAM.to_string());
    } else if !listed.frozen && f.frozen {
        f.frozen = false;
        f.auto_frozen = false;
        c.frozen_reason = None;
    }
    if let Some(b) = budget {
        let auto_freeze = f.budget.as_ref().is_some_and(|old| old.auto_freeze);
        f.budget = Some(Budget { budget_type: b.budget_type, amount: b.amount, used: b.used, auto_freeze });
        // A monthly budget's usage is the month's spend so far.
        if b.budget_type == BudgetType::Monthly {
            c.month_to_date_spend = b.used;
        }
    }
    c.account_name = listed.account_name.clone();
    c.real_name = listed.real_name.clone();
    c.mobile_country_code = listed.mobile_country_code.clone();
    c.mobile = listed.mobile.clone();
    c.email = listed.email.clone();
    c.associated_on = listed.associated_on;
    c.customer_type = listed.customer_type;
    c.level = listed.level.clone();
    if !existing.is_some_and(|(_, l)| l.manager_set_here) && listed.account_manager.is_some() {
        c.account_manager = listed.account_manager.clone();
    }
    let outcome = match existing {
        None => Outcome::Added,
        Some((old, _)) if *old == c => Outcome::Unchanged,
        Some(_) => Outcome::Changed,
    };
    (c, outcome)
}

#[cfg(test)]
mod tests;
