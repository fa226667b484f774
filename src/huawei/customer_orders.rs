//! Customer Orders and View Resources as Huawei lists them for the partner (BSS international, the
//! partner's own key): `GET /v2/orders/customer-orders` and
//! `POST /v2/partners/sub-customers/on-demand-resources/query`, merged with what onbehalf placed. An
//! order (or resource) placed on behalf through onbehalf and the same one in Huawei are one line:
//! Huawei's state, onbehalf's provenance (who, which session, which grants); one onbehalf does not
//! know is `placed elsewhere`.

use crate::error::{ApiError, Code};
use crate::ids::CustomerId;
use crate::money::{Currency, Money};
use crate::orders::{OrderFilter, OrderStatus, OrderView, Resource};
use crate::time::Timestamp;
use serde_json::{json, Value};

pub const ORDERS_PATH: &str = "/v2/orders/customer-orders";
pub const RESOURCES_PATH: &str = "/v2/partners/sub-customers/on-demand-resources/query";
pub const CANCEL_PATH: &str = "/v2/orders/customer-orders/cancel";

/// Where a line comes from.
pub const ORIGIN_ONBEHALF: &str = "onbehalf";
pub const ORIGIN_ELSEWHERE: &str = "placed elsewhere";

/// What cancelling `order_id` from Customer Orders does: `Some((from, to))` when onbehalf placed it
/// (`here`: its status; only an order pending payment), `None` when only the upstream knows it (Huawei
/// decides). With the simulation as upstream (`upstream_lists_others` false) an order onbehalf did not
/// place does not exist.
pub fn cancellation(
    here: Option<OrderStatus>,
    upstream_lists_others: bool,
) -> Result<Option<(OrderStatus, OrderStatus)>, ApiError> {
    match here {
        Some(from) => Ok(Some((from, crate::orders::cancel(from)?))),
        None if upstream_lists_others => Ok(None),
        None => Err(ApiError::with_message(Code::NotFound, "No such order of this customer.")),
    }
}

/// The query of one page of `GET /v2/orders/customer-orders` from `offset`.
pub fn orders_query(f: &OrderFilter, offset: u64) -> Vec<(&'static str, String)> {
    let mut q = vec![("offset", offset.to_string()), ("limit", f.limit.to_string())];
    let mut opt = |k: &'static str, v: &Option<String>| {
        if let Some(v) = v {
            q.push((k, v.clone()));
        }
    };
    opt("customer_id", &f.customer_id);
    opt("service_type_code", &f.service_type_code);
    opt("create_time_begin", &f.created_from);
    opt("create_time_end", &f.created_to);
    opt("order_id", &f.order_id);
    if let Some(s) = f.status {
        q.push(("status", s.to_string()));
    }
    q
}

/// An order as Huawei lists it (`CustomerOrderV2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedOrder {
    pub order_id: String,
    pub customer_id: String,
    pub service_type_code: String,
    pub status: i64,
    pub source_type: Option<i64>,
    /// After discounts, in `currency` (None when Huawei gave another currency or none).
    pub amount: Option<Money>,
    pub created_at: Option<Timestamp>,
    pub payment_time: Option<Timestamp>,
}

/// Reads a page of orders and Huawei's total; `None` if the answer is not one.
pub fn read_orders(v: &Value, currency: Currency) -> Option<(Vec<ListedOrder>, u64)> {
    let infos = v.get("order_infos")?.as_array()?;
    let total = v.get("total_count").and_then(Value::as_u64).unwrap_or(infos.len() as u64);
    let s = |o: &Value, k: &str| o.get(k).and_then(Value::as_str).map(str::to_string);
    let t = |o: &Value, k: &str| o.get(k).and_then(Value::as_str).and_then(Timestamp::parse);
    let orders = infos
        .iter()
        .filter_map(|o| {
            let same = s(o, "currency").and_then(|c| Currency::parse(&c)).is_none_or(|c| c == currency);
            let amount = o
                .get("amount_after_discount")
                .filter(|_| same)
                .and_then(super::rating::minor)
                .map(|m| Money::new(m, currency));
            Some(ListedOrder {
                order_id: s(o, "order_id")?,
                customer_id: s(o, "customer_id").unwrap_or_default(),
                service_type_code: s(o, "service_type_code").unwrap_or_default(),
                status: o.get("status").and_then(Value::as_i64).unwrap_or(0),
                source_type: o.get("source_type").and_then(Value::as_i64),
                amount,
                created_at: t(o, "create_time"),
                payment_time: t(o, "payment_time"),
            })
        })
        .collect();
    Some((orders, total))
}

/// One line of Customer Orders: Huawei's state, with onbehalf's provenance when it placed the order.
pub fn order_line(o: &ListedOrder, here: Option<&OrderView>) -> Value {
    let placed = here.map(|v| {
        json!({
            "placed_by": v.placed_by, "session_id": v.session_id, "relied_on": v.relied_on, "quote_id": v.quote_id,
            "region": v.region, "period_type": v.period_type, "period_num": v.period_num, "status_here": v.status,
        })
    });
    json!({
        "order_id": o.order_id,
        "customer_id": o.customer_id,
        "service_type_code": o.service_type_code,
        "status": o.status,
        "source_type": o.source_type,
        "amount": o.amount.or(here.map(|v| v.amount)),
        "created_at": o.created_at,
        "payment_time": o.payment_time,
        "origin": if here.is_some() { ORIGIN_ONBEHALF } else { ORIGIN_ELSEWHERE },
        "placed": placed,
    })
}

/// A line of an order onbehalf placed, in simulated mode (the simulation is the upstream).
pub fn local_line(v: &OrderView) -> Value {
    let listed = ListedOrder {
        order_id: v.order_id.clone(),
        customer_id: v.customer_id.as_str().to_string(),
        service_type_code: v.service_type_code.clone(),
        status: v.status.code(),
        source_type: Some(v.source_type),
        amount: Some(v.amount),
        created_at: Some(v.created_at),
        payment_time: v.payment_time,
    };
    order_line(&listed, Some(v))
}

/// The cursor of the page after `offset` + `got` of `total` (an opaque text: `o<offset>`).
pub fn next_cursor(offset: u64, got: usize, total: u64) -> Option<String> {
    let next = offset + got as u64;
    (got > 0 && next < total).then(|| format!("o{next}"))
}

/// Reads a cursor of [`next_cursor`] (`o` and 1 to 15 digits); `None` if it is not one.
pub fn offset_of(cursor: &str) -> Option<u64> {
    let digits = cursor.strip_prefix('o')?;
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The body of one page of a customer's pay-per-use resources.
pub fn resources_body(customer: &CustomerId, offset: u64, limit: u64) -> Value {
    json!({"customer_id": customer.as_str(), "offset": offset, "limit": limit})
}

/// Reads a page of `CustomerOnDemandResource`s (as JSON objects) and the total.
pub fn read_resources(v: &Value) -> Option<(Vec<Value>, u64)> {
    let list = v.get("resources")?.as_array()?.clone();
    let total = v.get("total_count").and_then(Value::as_u64).unwrap_or(list.len() as u64);
    Some((list, total))
}

/// One line of View Resources: Huawei's resource, with onbehalf's provenance when it placed it.
pub fn resource_line(r: &Value, here: Option<&Resource>) -> Value {
    let s = |k: &str| r.get(k).cloned().unwrap_or(Value::Null);
    json!({
        "resource_id": s("resource_id"),
        "resource_name": s("resource_name"),
        "customer_id": s("customer_id"),
        "region_code": s("region_code"),
        "availability_zone_code": s("availability_zone_code"),
        "service_type_code": s("service_type_code"),
        "resource_type_code": s("resource_type_code"),
        "resource_spec_code": s("resource_spec_code"),
        "effective_time": s("effective_time"),
        "expire_time": s("expire_time"),
        "status": s("status"),
        "origin": if here.is_some() { ORIGIN_ONBEHALF } else { ORIGIN_ELSEWHERE },
        "placed": here.map(|x| json!({"placed_by": x.placed_by, "session_id": x.session_id, "order_id": x.order_id})),
    })
}

#[cfg(test)]
mod tests;
