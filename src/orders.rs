//! Orders placed on a customer's behalf. Yearly/monthly drafts become orders with Huawei's status
//! codes (6 pending payment when auto-pay is off; 3 processing then 5 completed once provisioned; 4
//! cancelled, only from pending payment); pay-per-use drafts provision resources directly. The budget
//! is checked before anything is written: past 100 % is refused, reaching 100 % with auto-freeze on
//! freezes the customer.

use crate::catalog::Catalog;
use crate::customers::Budget;
use crate::decode::Decoder;
use crate::drafts::{Billing, Draft, PeriodType, Spec};
use crate::error::{path, ApiError, Code, OrCode, Path};
use crate::ids::{CustomerId, PartnerId, QuoteId, SessionId, UserId};
use crate::money::Money;
use crate::payloads::HuaweiRequest;
use crate::prerequisites::ReliedOn;
use crate::quotes::{Quote, QuoteCustomer, StoredQuote};
use crate::time::Timestamp;
use serde::Serialize;
use serde_json::Value;

/// Huawei's customer order status (`status` of `GET /v2/orders/customer-orders`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(into = "i64")]
pub enum OrderStatus {
    Processing,
    Cancelled,
    Completed,
    PendingPayment,
}

impl OrderStatus {
    /// Huawei's integer: 3 processing, 4 cancelled, 5 completed, 6 pending payment.
    pub fn code(self) -> i64 {
        match self {
            Self::Processing => 3,
            Self::Cancelled => 4,
            Self::Completed => 5,
            Self::PendingPayment => 6,
        }
    }
    /// From Huawei's integer.
    pub fn from_code(n: i64) -> Option<Self> {
        match n {
            3 => Some(Self::Processing),
            4 => Some(Self::Cancelled),
            5 => Some(Self::Completed),
            6 => Some(Self::PendingPayment),
            _ => None,
        }
    }
}

impl From<OrderStatus> for i64 {
    fn from(s: OrderStatus) -> i64 {
        s.code()
    }
}

/// Huawei service type codes.
pub fn service_type_code(d: &Draft) -> &'static str {
    match d.spec {
        Spec::Ecs(_) => "hws.service.type.ec2",
        Spec::Evs(_) => "hws.service.type.ebs",
        Spec::Eip(_) => "hws.service.type.vpc",
    }
}

/// The customer's project id in `region` (32 hex digits), for the payload's path. The simulation
/// derives it; a real adapter reads it from IAM (`GET /v3/auth/projects` under the customer's token).
pub fn project_id(customer: &CustomerId, region: &str) -> String {
    use sha2::{Digest, Sha256};
    crate::ids::hex(&Sha256::digest(format!("project:{}:{region}", customer.as_str()).as_bytes())[..16])
}

/// The budget after spending `amount`: `currency_mismatch` when the budget is kept in another
/// currency than the amount; `budget_would_be_exceeded` (403) past 100 %; otherwise the new
/// used amount and whether the customer freezes (reaching 100 % with auto-freeze on). No budget: no limit.
pub fn budget_gate(budget: Option<&Budget>, amount: Money) -> Result<Option<(Money, bool)>, ApiError> {
    let Some(b) = budget else { return Ok(None) };
    crate::quotes::same_currency(Some(b), amount.currency)?;
    let impact = crate::quotes::impact(b, amount);
    if impact.blocked {
        return Err(ApiError::with_message(
            Code::BudgetWouldBeExceeded,
            format!(
                "The order ({} minor units) would take the customer to {} % of its budget.",
                amount.minor, impact.usage_after_percent
            ),
        ));
    }
    let freeze = b.auto_freeze && impact.used_after.minor >= b.amount.minor && amount.minor > 0;
    Ok(Some((impact.used_after, freeze)))
}

/// The budget's verdict for an amount upstream already took (an in-doubt order found accepted): no
/// refusal is possible any more, so a budget it passes is used up, frozen when auto-freeze is on.
pub fn accepted_spend(budget: Option<&Budget>, amount: Money) -> Option<(Money, bool)> {
    match budget_gate(budget, amount) {
        Ok(after) => after,
        Err(_) => budget.map(|b| (Money::new(b.used.minor + amount.minor, amount.currency), b.auto_freeze)),
    }
}

/// Huawei `source_type` 2 and how Customer Orders names it: placed by the partner on the
/// customer's behalf (every order this product records).
pub const SOURCE_TYPE_PARTNER: i64 = 2;
pub const SOURCE_PARTNER: &str = "placed by partner";

/// An order (yearly/monthly) as every route answers it: `POST /v1/orders`, pay, cancel,
/// `GET /v1/orders` and the ledger. Huawei's customer order fields plus who placed it, under which
/// session and grants, from which quote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderView {
    pub order_id: String,
    pub customer_id: CustomerId,
    pub partner_id: PartnerId,
    pub service_type_code: String,
    pub region: String,
    /// Always [`SOURCE_TYPE_PARTNER`].
    pub source_type: i64,
    /// Always [`SOURCE_PARTNER`].
    pub source: &'static str,
    pub status: OrderStatus,
    pub amount: Money,
    pub period_type: String,
    pub period_num: i64,
    pub placed_by: UserId,
    pub session_id: SessionId,
    pub relied_on: ReliedOn,
    pub quote_id: Option<String>,
    pub created_at: Timestamp,
    pub payment_time: Option<Timestamp>,
}

/// Customer Orders' filters, as Huawei's order API has them (`GET /v1/orders`, `GET /v1/customer-orders`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderFilter {
    pub customer_id: Option<String>,
    pub status: Option<i64>,
    pub service_type_code: Option<String>,
    pub created_from: Option<String>,
    pub created_to: Option<String>,
    pub order_id: Option<String>,
    pub limit: i64,
}

/// An order as stored: its view, the exact request sent upstream and upstream's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    pub view: OrderView,
    pub request: Value,
    pub upstream: Value,
}

/// Who placed something and under which session and grants.
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    pub partner_id: PartnerId,
    pub placed_by: UserId,
    pub session_id: SessionId,
    pub relied_on: ReliedOn,
    pub quote_id: Option<String>,
}

/// What upstream accepted: the exact request sent, its answer, and whether upstream is still
/// running it (a Huawei job or order the tracker follows; the simulation finishes at once).
#[derive(Debug, Clone, PartialEq)]
pub struct Sent<'a> {
    pub request: Value,
    pub answer: &'a Value,
    pub running: bool,
}

/// The order for a yearly/monthly `draft` that upstream accepted: pending payment without auto-pay;
/// with it, completed, or processing (3) while upstream still provisions.
pub fn new_order(
    draft: &Draft,
    total: Money,
    p: &Provenance,
    order_id: String,
    sent: &Sent<'_>,
    now: Timestamp,
) -> Option<Order> {
    let Billing::YearlyMonthly { period_type, period_num, auto_pay, .. } = draft.billing else { return None };
    let status = match (auto_pay, sent.running) {
        (false, _) => OrderStatus::PendingPayment,
        (true, true) => OrderStatus::Processing,
        (true, false) => OrderStatus::Completed,
    };
    let view = OrderView {
        order_id,
        customer_id: draft.customer_id.clone(),
        partner_id: p.partner_id.clone(),
        service_type_code: service_type_code(draft).to_string(),
        region: draft.region.clone(),
        source_type: SOURCE_TYPE_PARTNER,
        source: SOURCE_PARTNER,
        status,
        amount: total,
        period_type: period_type.as_str().to_string(),
        period_num,
        placed_by: p.placed_by.clone(),
        session_id: p.session_id.clone(),
        relied_on: p.relied_on.clone(),
        quote_id: p.quote_id.clone(),
        created_at: now,
        payment_time: auto_pay.then_some(now),
    };
    Some(Order { view, request: without_password(&sent.request), upstream: sent.answer.clone() })
}

/// A Huawei request as stored: an ECS login password (`server.adminPass`) is never kept.
pub fn without_password(request: &Value) -> Value {
    let mut v = request.clone();
    if let Some(server) = v.pointer_mut("/body/server").and_then(Value::as_object_mut) {
        server.remove("adminPass");
    }
    v
}

/// Whether placing `draft` pays at once (pay-per-use, or yearly/monthly with auto-pay): then upstream
/// provisions right away; otherwise the order waits for payment.
pub fn paid_at_once(draft: &Draft) -> bool {
    match draft.billing {
        Billing::PayPerUse => true,
        Billing::YearlyMonthly { auto_pay, .. } => auto_pay,
    }
}

/// A stored draft read back for what it ordered (paying an order provisions its resources from it).
/// Drafts are stored without the login password (`quotes::without_secrets`), and the password was
/// checked when the order was placed: a password login gets a stand-in that meets the rules, since
/// nothing read from a stored draft depends on it.
pub fn stored_draft(draft: &Value, catalog: &Catalog) -> Result<Draft, ApiError> {
    let mut v = draft.clone();
    if let Some(login) = v.get_mut("ecs").and_then(|e| e.get_mut("login")).and_then(Value::as_object_mut) {
        if !login.contains_key("key_name") && !login.contains_key("password") {
            login.insert("password".into(), Value::from("Paid-Order-7!"));
        }
    }
    crate::drafts::validate(&v, catalog)
}

/// Pays an order pending payment: it completes (the simulation provisions at once), or is
/// processing while upstream still provisions (`running`); else `order_not_pending_payment` (409).
pub fn pay(status: OrderStatus, running: bool) -> Result<OrderStatus, ApiError> {
    match (status, running) {
        (OrderStatus::PendingPayment, false) => Ok(OrderStatus::Completed),
        (OrderStatus::PendingPayment, true) => Ok(OrderStatus::Processing),
        _ => Err(ApiError::new(Code::OrderNotPendingPayment)),
    }
}

/// Whether Huawei's order status (BSS order details) shows the order paid: processing or completed.
pub fn paid_upstream(huawei_status: Option<i64>) -> bool {
    matches!(huawei_status, Some(3) | Some(5))
}

/// Cancels an order pending payment; else `order_not_pending_payment` (409).
pub fn cancel(status: OrderStatus) -> Result<OrderStatus, ApiError> {
    match status {
        OrderStatus::PendingPayment => Ok(OrderStatus::Cancelled),
        _ => Err(ApiError::new(Code::OrderNotPendingPayment)),
    }
}

/// How a resource is billed, as `Resource::billing` and View Resources' `billing` filter name it.
pub const PAY_PER_USE: &str = "pay_per_use";
pub const YEARLY_MONTHLY: &str = "yearly_monthly";
pub const BILLINGS: &[&str] = &[PAY_PER_USE, YEARLY_MONTHLY];

/// A resource provisioned on behalf (Huawei's on-demand and subscription resource lists), as
/// `POST /v1/orders`, pay and View Resources answer it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resource {
    pub resource_id: String,
    pub customer_id: CustomerId,
    pub resource_name: String,
    pub region_code: String,
    pub availability_zone_code: Option<String>,
    pub service_type_code: String,
    pub resource_type_code: String,
    pub resource_spec_code: String,
    /// `pay_per_use` or `yearly_monthly`.
    pub billing: String,
    pub order_id: Option<String>,
    pub effective_time: Timestamp,
    pub expire_time: Option<Timestamp>,
    /// 1 normal (Huawei's on-demand resource status).
    pub status: i64,
    pub placed_by: UserId,
    pub session_id: SessionId,
}

fn ids(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// The resources an accepted `draft` provisions, named by upstream's ids: servers (and their new
/// EIPs are listed with the server), disks, EIPs. Yearly/monthly resources expire after the period.
pub fn resources(
    draft: &Draft,
    answer: &Value,
    p: &Provenance,
    order_id: Option<&str>,
    now: Timestamp,
) -> Vec<Resource> {
    let (billing, expire) = match draft.billing {
        Billing::PayPerUse => (PAY_PER_USE, None),
        Billing::YearlyMonthly { period_type, period_num, .. } => {
            let days = match period_type {
                PeriodType::Month => 30 * period_num,
                PeriodType::Year => 365 * period_num,
            };
            (YEARLY_MONTHLY, Some(now.plus(days * 86_400)))
        }
    };
    let base = |id: String, name: String, rtype: &'static str, spec: String| Resource {
        resource_id: id,
        customer_id: draft.customer_id.clone(),
        resource_name: name,
        region_code: draft.region.clone(),
        availability_zone_code: draft.availability_zone.clone(),
        service_type_code: service_type_code(draft).to_string(),
        resource_type_code: rtype.to_string(),
        resource_spec_code: spec,
        billing: billing.to_string(),
        order_id: order_id.map(str::to_string),
        effective_time: now,
        expire_time: expire,
        status: 1,
        placed_by: p.placed_by.clone(),
        session_id: p.session_id.clone(),
    };
    match &draft.spec {
        Spec::Ecs(e) => ids(answer, "serverIds")
            .into_iter()
            .enumerate()
            .map(|(i, id)| {
                let name = if e.count > 1 { format!("{}-{:04}", e.name, i + 1) } else { e.name.clone() };
                base(id, name, "hws.resource.type.vm", e.flavor.clone())
            })
            .collect(),
        Spec::Evs(v) => ids(answer, "volume_ids")
            .into_iter()
            .enumerate()
            .map(|(i, id)| {
                let name = if v.count > 1 { format!("{}-{:04}", v.name, i + 1) } else { v.name.clone() };
                base(id, name, "hws.resource.type.volume", format!("{}:{}GB", v.disk.disk_type, v.disk.size))
            })
            .collect(),
        Spec::Eip(ip) => {
            let id = answer
                .get("publicip_id")
                .or_else(|| answer.get("publicip").and_then(|x| x.get("id")))
                .and_then(Value::as_str);
            let name = ip.alias.clone().unwrap_or_else(|| "eip".into());
            id.map(|id| vec![base(id.to_string(), name, "hws.resource.type.ip", ip.ip_type.clone())])
                .unwrap_or_default()
        }
    }
}

/// What placing an accepted draft writes: yearly/monthly, an order (completed and provisioned with
/// auto-pay, pending payment without); pay-per-use, the resources alone. `spend` is the amount to count
/// now and whether it freezes the customer (from [`budget_gate`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub order: Option<Order>,
    pub resources: Vec<Resource>,
    pub spend: Option<(Money, bool)>,
}

/// Decides [`Placement`] for `draft` charged `total`, after upstream accepted it (`sent`). `after`
/// is the budget gate's verdict for `total`. While upstream still runs it, nothing is provisioned
/// yet (the tracker records the resources when it finishes). Fails with `internal` when a
/// yearly/monthly answer carries no order id (an upstream fault).
pub fn placement(
    draft: &Draft,
    total: Money,
    after: Option<(Money, bool)>,
    p: &Provenance,
    sent: &Sent<'_>,
    now: Timestamp,
) -> Result<Placement, ApiError> {
    let provisioned = |order_id: Option<&str>| match sent.running {
        true => Vec::new(),
        false => resources(draft, sent.answer, p, order_id, now),
    };
    match draft.billing {
        Billing::PayPerUse => Ok(Placement { order: None, resources: provisioned(None), spend: None }),
        Billing::YearlyMonthly { auto_pay, .. } => {
            let oid = sent
                .answer
                .get("order_id")
                .and_then(Value::as_str)
                .ok_or_else(|| ApiError::with_message(Code::Internal, "Upstream answered without an order id."))?;
            let order = new_order(draft, total, p, oid.to_string(), sent, now).or_code(Code::Internal)?;
            let resources = if auto_pay { provisioned(Some(oid)) } else { Vec::new() };
            let spend = auto_pay.then(|| (total, after.is_some_and(|(_, freeze)| freeze)));
            Ok(Placement { order: Some(order), resources, spend })
        }
    }
}

/// The resources a finished upstream job created: as [`resources`] from the create `answer`, named
/// by the job's `ids` where it gave them (Huawei's job entities are the final word).
pub fn finished_resources(
    draft: &Draft,
    answer: &Value,
    ids: &[String],
    p: &Provenance,
    order_id: Option<&str>,
    now: Timestamp,
) -> Vec<Resource> {
    let mut a = answer.clone();
    let key = match draft.spec {
        Spec::Ecs(_) => "serverIds",
        Spec::Evs(_) => "volume_ids",
        Spec::Eip(_) => "publicip_id",
    };
    match (ids, a.as_object_mut()) {
        ([], _) | (_, None) => {}
        ([one], Some(o)) if key == "publicip_id" => {
            o.insert(key.into(), Value::from(one.as_str()));
        }
        (many, Some(o)) => {
            o.insert(key.into(), Value::from(many.to_vec()));
        }
    }
    resources(draft, &a, p, order_id, now)
}

/// `validation_failed` at `["draft", "customer_id"]` unless the draft orders for the session's customer.
pub fn require_customer(draft: &Draft, customer: &CustomerId) -> Result<(), ApiError> {
    if draft.customer_id == *customer {
        return Ok(());
    }
    let mut d = Decoder::new();
    d.error(path(&["draft", "customer_id"]), Code::InvalidValue, "The session acts for another customer.");
    Err(ApiError::validation(d.into_errors()))
}

/// The body of `POST /v1/orders`: a draft, or a stored quote cited by id (its draft is ordered at
/// its price; a password login sends the password again, as quotes never store it).
#[derive(Debug, Clone, PartialEq)]
pub enum OrderRequest {
    Draft(Value),
    Quoted { quote_id: QuoteId, password: Option<String> },
}

impl OrderRequest {
    /// Reads `{"draft": …}` or `{"quote_id": …, "password"?: …}`; `validation_failed` with every
    /// field error otherwise (`required` at the root when neither or both are sent).
    pub fn decode(body: &Value) -> Result<Self, ApiError> {
        Decoder::run(|d| {
            let mut o = d.object(body, Path::new())?;
            // A malformed `quote_id` is reported where it is, not also as missing.
            let quote_sent = o.get("quote_id").is_some_and(|v| !v.is_null());
            let draft = d.optional(&mut o, "draft").map(|(v, _)| v.clone());
            let quote = d
                .optional(&mut o, "quote_id")
                .and_then(|(v, p)| d.parsed(v, &p, "a quote id (qt_ and 24 hex digits)", QuoteId::parse));
            let password = d.optional(&mut o, "password").and_then(|(v, p)| d.str(v, &p).map(str::to_string));
            let at = o.path().clone();
            d.close(o);
            match (draft, quote) {
                (Some(draft), None) if password.is_none() => Some(OrderRequest::Draft(draft)),
                (Some(_), None) => {
                    d.error(
                        path(&["password"]),
                        Code::NotApplicable,
                        "A password goes with `quote_id`; put it in the draft.",
                    );
                    None
                }
                (None, Some(quote_id)) => Some(OrderRequest::Quoted { quote_id, password }),
                (None, None) if quote_sent => None,
                _ => {
                    d.error(at, Code::Required, "Send either `draft` or `quote_id`.");
                    None
                }
            }
        })
    }
}

/// A draft checked, priced and ready to send: what the order route sends and what the browser
/// module's `prepareOrder` previews.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub draft: Draft,
    pub quote: Quote,
}

impl Prepared {
    /// The exact Huawei Cloud request for the customer's project `project_id`.
    pub fn request(&self, project_id: &str) -> Result<HuaweiRequest<'_>, ApiError> {
        crate::payloads::build(&self.draft, project_id)
    }
}

/// Validate, then price: every field error of the draft (`validation_failed`), a draft for another
/// customer than `customer` (`validation_failed` at `["draft", "customer_id"]`), a budget in another
/// currency (`currency_mismatch`). A cited quote (`locked`, still valid) fixes the total at its price.
pub fn prepare(
    draft: &Value,
    catalog: &Catalog,
    customer: &QuoteCustomer,
    locked: Option<&StoredQuote>,
) -> Result<Prepared, ApiError> {
    let d = crate::drafts::validate(draft, catalog)?;
    require_customer(&d, &customer.id)?;
    let mut quote = crate::quotes::quote(&d, catalog, customer)?;
    if let Some(q) = locked {
        // The quote locked its price for 15 minutes: the order costs what was quoted.
        quote.total = q.total;
    }
    Ok(Prepared { draft: d, quote })
}

/// One pay-per-use enablement in the ledger: the resources one request provisioned.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Enablement {
    pub customer_id: CustomerId,
    pub service_type_code: String,
    pub resource_ids: Vec<String>,
    pub placed_by: UserId,
    pub session_id: SessionId,
}

/// An entry of `GET /v1/ledger`: an order (the [`OrderView`]) or a pay-per-use enablement, with
/// when it happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LedgerEntry {
    Order {
        at: Timestamp,
        #[serde(flatten)]
        order: Box<OrderView>,
    },
    PayPerUse {
        at: Timestamp,
        #[serde(flatten)]
        enablement: Enablement,
    },
}

impl LedgerEntry {
    fn at(&self) -> Timestamp {
        match self {
            LedgerEntry::Order { at, .. } | LedgerEntry::PayPerUse { at, .. } => *at,
        }
    }
}

/// Orders and enablements in one list, newest first, at most `limit`.
pub fn ledger(orders: Vec<OrderView>, enablements: Vec<(Timestamp, Enablement)>, limit: usize) -> Vec<LedgerEntry> {
    let mut entries: Vec<LedgerEntry> = orders
        .into_iter()
        .map(|o| LedgerEntry::Order { at: o.created_at, order: Box::new(o) })
        .chain(enablements.into_iter().map(|(at, enablement)| LedgerEntry::PayPerUse { at, enablement }))
        .collect();
    crate::sorting::sort_by_key(&mut entries, |e| std::cmp::Reverse(e.at()));
    entries.truncate(limit);
    entries
}

#[cfg(test)]
pub(crate) mod tests;
