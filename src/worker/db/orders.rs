//! Orders and resources placed on behalf, the spend they count, and the ledger's enablements. Rows
//! are read into the core's views ([`OrderView`], [`Resource`], [`Enablement`]).

use super::Db;
use super::{all, opt_time, stmt, stored};
use crate::args;
use crate::error::ApiError;
use crate::ids::{CustomerId, PartnerId, SessionId, UserId};
use crate::money::{Currency, Money};
use crate::orders::{Enablement, Order, OrderStatus, OrderView, Resource, SOURCE_PARTNER, SOURCE_TYPE_PARTNER};
use crate::time::Timestamp;
use serde_json::Value;
use worker::D1PreparedStatement;

/// Counts `amount` into the customer's month-to-date spend and budget, freezing it when asked.
pub fn spend(db: &Db, customer: &CustomerId, amount: i64, freeze: bool) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "UPDATE customers SET mtd_spend_minor = mtd_spend_minor + ?2,
           budget_used_minor = CASE WHEN budget_amount_minor IS NULL THEN budget_used_minor ELSE budget_used_minor + ?2 END,
           frozen = CASE WHEN ?3 THEN 1 ELSE frozen END, auto_frozen = CASE WHEN ?3 THEN 1 ELSE auto_frozen END,
           frozen_reason = CASE WHEN ?3 THEN 'Budget used up (auto-freeze)' ELSE frozen_reason END
         WHERE id = ?1",
        args![customer.as_str(), amount, freeze],
    )
}

/// Inserts an order with the draft it was placed from (without secrets) and its idempotency key.
pub fn insert(db: &Db, o: &Order, key: &str, draft: &Value) -> Result<D1PreparedStatement, ApiError> {
    let v = &o.view;
    stmt(
        db,
        "INSERT INTO orders (order_id, customer_id, partner_id, service_type_code, region, status, amount_minor, currency, period_type, period_num, placed_by, session_id,
           permission_id, authorization_id, quote_id, idempotency_key, created_at, payment_time, request, upstream, draft)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
        args![
            v.order_id.as_str(), v.customer_id.as_str(), v.partner_id.as_str(), v.service_type_code.as_str(), v.region.as_str(), v.status.code(), v.amount.minor,
            v.amount.currency.as_str(), v.period_type.as_str(), v.period_num, v.placed_by.as_str(), v.session_id.as_str(),
            v.relied_on.distributor_permission.as_ref().map(|p| p.as_str()), v.relied_on.authorization.as_ref().map(|a| a.as_str()), v.quote_id.clone(),
            key, v.created_at.to_string(), v.payment_time.map(|t| t.to_string()), o.request.to_string(), o.upstream.to_string(), draft.to_string(),
        ],
    )
}

/// Inserts a provisioned resource.
pub fn insert_resource(db: &Db, r: &Resource, partner: &PartnerId, key: &str) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "INSERT INTO resources (resource_id, customer_id, partner_id, resource_name, region_code, availability_zone_code, service_type_code, resource_type_code,
           resource_spec_code, billing, order_id, effective_time, expire_time, status, placed_by, session_id, idempotency_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        args![
            r.resource_id.as_str(), r.customer_id.as_str(), partner.as_str(), r.resource_name.as_str(), r.region_code.as_str(), r.availability_zone_code.clone(),
            r.service_type_code.as_str(), r.resource_type_code.as_str(), r.resource_spec_code.as_str(), r.billing.as_str(), r.order_id.clone(), r.effective_time.to_string(),
            r.expire_time.map(|t| t.to_string()), r.status, r.placed_by.as_str(), r.session_id.as_str(), key,
        ],
    )
}

crate::row! {
    struct OrderRow {
        order_id: String,
        customer_id: String,
        partner_id: String,
        service_type_code: String,
        region: String,
        status: i64,
        amount_minor: i64,
        currency: String,
        period_type: String,
        period_num: i64,
        placed_by: String,
        session_id: String,
        permission_id: Option<String>,
        authorization_id: Option<String>,
        quote_id: Option<String>,
        created_at: String,
        payment_time: Option<String>,
    }
}

const ORDER_COLS: &str = "order_id, customer_id, partner_id, service_type_code, region, status, amount_minor, currency, period_type, period_num, placed_by, session_id, permission_id, authorization_id, quote_id, created_at, payment_time";

fn order_view(r: OrderRow) -> Result<OrderView, ApiError> {
    Ok(OrderView {
        customer_id: stored("customer id", CustomerId::parse(&r.customer_id))?,
        partner_id: stored("partner id", PartnerId::parse(&r.partner_id))?,
        source_type: SOURCE_TYPE_PARTNER,
        source: SOURCE_PARTNER,
        status: stored("order status", OrderStatus::from_code(r.status))?,
        amount: Money::new(r.amount_minor, stored("currency", Currency::parse(&r.currency))?),
        placed_by: stored("user id", UserId::parse(&r.placed_by))?,
        session_id: stored("session id", SessionId::parse(&r.session_id))?,
        relied_on: super::relied_on(r.permission_id.as_deref(), r.authorization_id.as_deref())?,
        created_at: stored("created_at", Timestamp::parse(&r.created_at))?,
        payment_time: opt_time("payment_time", &r.payment_time)?,
        order_id: r.order_id,
        service_type_code: r.service_type_code,
        region: r.region,
        period_type: r.period_type,
        period_num: r.period_num,
        quote_id: r.quote_id,
    })
}

/// An order with what paying it needs: the draft it was placed from, upstream's answer, its key.
pub struct StoredOrder {
    pub view: OrderView,
    pub draft: Value,
    pub upstream: Value,
    pub idempotency_key: String,
}

struct StoredOrderRow {
    order: OrderRow,
    draft: String,
    upstream: String,
    idempotency_key: String,
}

impl super::FromRow for StoredOrderRow {
    fn from_row(r: &super::Row) -> Self {
        StoredOrderRow {
            order: OrderRow::from_row(r),
            draft: r.get("draft"),
            upstream: r.get("upstream"),
            idempotency_key: r.get("idempotency_key"),
        }
    }
}

/// The statement reading order `id` of `partner` for `customer` (read with [`read_order`]).
pub fn by_id_stmt(
    db: &Db,
    partner: &PartnerId,
    customer: &CustomerId,
    id: &str,
) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        &format!("SELECT {ORDER_COLS}, draft, upstream, idempotency_key FROM orders WHERE order_id = ?1 AND partner_id = ?2 AND customer_id = ?3"),
        args![id, partner.as_str(), customer.as_str()],
    )
}

/// The statement reading order `id` of session `sid`'s partner and customer (read with [`read_order`]).
pub fn of_session(db: &Db, sid: &SessionId, id: &str) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        &format!("SELECT {ORDER_COLS}, draft, upstream, idempotency_key FROM orders WHERE order_id = ?1
           AND partner_id = (SELECT partner_id FROM sessions WHERE id = ?2) AND customer_id = (SELECT customer_id FROM sessions WHERE id = ?2)"),
        args![id, sid.as_str()],
    )
}

/// Reads the row of [`of_session`].
pub fn read_order(r: &crate::worker::db::StatementResult) -> Result<Option<StoredOrder>, ApiError> {
    super::row::<StoredOrderRow>(r, "decode order")?.map(stored_order).transpose()
}

fn stored_order(r: StoredOrderRow) -> Result<StoredOrder, ApiError> {
    let json = |what: &str, text: &str| serde_json::from_str::<Value>(text).map_err(|e| super::fault(what, e));
    Ok(StoredOrder {
        draft: json("stored draft", &r.draft)?,
        upstream: json("stored answer", &r.upstream)?,
        idempotency_key: r.idempotency_key,
        view: order_view(r.order)?,
    })
}

/// Sets an order's status from `from` to `to` (changes no row if it moved on); `paid` sets the payment time.
pub fn set_status(
    db: &Db,
    id: &str,
    from: OrderStatus,
    to: OrderStatus,
    paid: Option<Timestamp>,
) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "UPDATE orders SET status = ?3, payment_time = coalesce(?4, payment_time) WHERE order_id = ?1 AND status = ?2",
        args![id, from.code(), to.code(), paid.map(|t| t.to_string())],
    )
}

pub use crate::orders::OrderFilter;

/// The partner's orders among `ids` (Huawei's order ids), to merge Huawei's list with provenance.
pub async fn views_by_ids(db: &Db, partner: &PartnerId, ids: &[&str]) -> Result<Vec<OrderView>, ApiError> {
    let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    let rows: Vec<OrderRow> = all(
        db,
        &format!(
            "SELECT {ORDER_COLS} FROM orders WHERE partner_id = ?1 AND order_id IN (SELECT value FROM json_each(?2))"
        ),
        args![partner.as_str(), list],
    )
    .await?;
    rows.into_iter().map(order_view).collect()
}

/// Orders placed by `partner`, newest first, with the filters.
pub async fn list(db: &Db, partner: &PartnerId, f: &OrderFilter) -> Result<Vec<OrderView>, ApiError> {
    let r = super::batch_results(db, vec![list_stmt(db, partner, f)?]).await?;
    read_orders(super::only(&r)?)
}

/// The statement of [`list`] (read with [`read_orders`]).
pub fn list_stmt(db: &Db, partner: &PartnerId, f: &OrderFilter) -> Result<D1PreparedStatement, ApiError> {
    stmt(db, &format!("SELECT {ORDER_COLS} {ORDERS_MATCHING}"), order_args(partner, f))
}

/// The orders of [`list`] and the names of the users who placed them, in one round trip.
pub async fn list_with_names(
    db: &Db,
    partner: &PartnerId,
    f: &OrderFilter,
) -> Result<(Vec<OrderView>, super::partners::Names), ApiError> {
    let orders = stmt(db, &format!("SELECT {ORDER_COLS} {ORDERS_MATCHING}"), order_args(partner, f))?;
    let names = stmt(
        db,
        &format!("SELECT id, name FROM partner_users WHERE id IN (SELECT placed_by {ORDERS_MATCHING})"),
        order_args(partner, f),
    )?;
    let r = super::batch_results(db, vec![orders, names]).await?;
    let [orders, names] = r.as_slice() else { return Err(super::fault("orders batch", "wrong number of results")) };
    Ok((read_orders(orders)?, super::partners::read_names(names)?))
}

/// The orders a filter matches, newest first, as many as its limit (one text for the list and the
/// names of their placers, so the two cannot differ).
const ORDERS_MATCHING: &str = "FROM orders WHERE partner_id = ?1 AND (?2 IS NULL OR customer_id = ?2) AND (?3 IS NULL OR status = ?3)
     AND (?4 IS NULL OR service_type_code = ?4) AND (?5 IS NULL OR created_at >= ?5) AND (?6 IS NULL OR created_at <= ?6)
     AND (?7 IS NULL OR order_id = ?7) ORDER BY created_at DESC, order_id DESC LIMIT ?8";

fn order_args(partner: &PartnerId, f: &OrderFilter) -> Vec<super::Arg> {
    args![
        partner.as_str(),
        f.customer_id.clone(),
        f.status,
        f.service_type_code.clone(),
        f.created_from.clone(),
        f.created_to.clone(),
        f.order_id.clone(),
        f.limit
    ]
}

/// Reads the rows of [`list_stmt`].
pub fn read_orders(r: &crate::worker::db::StatementResult) -> Result<Vec<OrderView>, ApiError> {
    r.results::<OrderRow>().map_err(|e| super::fault("decode orders", e))?.into_iter().map(order_view).collect()
}

crate::row! {
    struct ResourceRow {
        resource_id: String,
        customer_id: String,
        resource_name: String,
        region_code: String,
        availability_zone_code: Option<String>,
        service_type_code: String,
        resource_type_code: String,
        resource_spec_code: String,
        billing: String,
        order_id: Option<String>,
        effective_time: String,
        expire_time: Option<String>,
        status: i64,
        placed_by: String,
        session_id: String,
    }
}

fn resource(r: ResourceRow) -> Result<Resource, ApiError> {
    Ok(Resource {
        customer_id: stored("customer id", CustomerId::parse(&r.customer_id))?,
        effective_time: stored("effective_time", Timestamp::parse(&r.effective_time))?,
        expire_time: opt_time("expire_time", &r.expire_time)?,
        placed_by: stored("user id", UserId::parse(&r.placed_by))?,
        session_id: stored("session id", SessionId::parse(&r.session_id))?,
        resource_id: r.resource_id,
        resource_name: r.resource_name,
        region_code: r.region_code,
        availability_zone_code: r.availability_zone_code,
        service_type_code: r.service_type_code,
        resource_type_code: r.resource_type_code,
        resource_spec_code: r.resource_spec_code,
        billing: r.billing,
        order_id: r.order_id,
        status: r.status,
    })
}

/// The statement reading a customer's resources placed by `partner` (optionally of one billing), newest
/// first (read with [`read_resources`]).
pub fn resources_stmt(
    db: &Db,
    partner: &PartnerId,
    customer: &CustomerId,
    billing: Option<&str>,
) -> Result<D1PreparedStatement, ApiError> {
    let sql = format!(
        "SELECT resource_id, customer_id, resource_name, region_code, availability_zone_code, service_type_code, resource_type_code, resource_spec_code, billing,
           order_id, effective_time, expire_time, status, placed_by, session_id
         {RESOURCES_OF} ORDER BY effective_time DESC, resource_id LIMIT 200"
    );
    stmt(db, &sql, args![customer.as_str(), partner.as_str(), billing])
}

/// A customer's resources placed by a partner, optionally of one billing (one text for the list and
/// the names of their placers).
const RESOURCES_OF: &str = "FROM resources WHERE customer_id = ?1 AND partner_id = ?2 AND (?3 IS NULL OR billing = ?3)";

/// The statement reading the names of the users who placed the resources of [`resources_stmt`]
/// (read with `partners::read_names`).
pub fn resource_placers(
    db: &Db,
    partner: &PartnerId,
    customer: &CustomerId,
    billing: Option<&str>,
) -> Result<D1PreparedStatement, ApiError> {
    let sql = format!("SELECT id, name FROM partner_users WHERE id IN (SELECT placed_by {RESOURCES_OF})");
    stmt(db, &sql, args![customer.as_str(), partner.as_str(), billing])
}

/// Reads the rows of [`resources_stmt`].
pub fn read_resources(r: &crate::worker::db::StatementResult) -> Result<Vec<Resource>, ApiError> {
    r.results::<ResourceRow>().map_err(|e| super::fault("decode resources", e))?.into_iter().map(resource).collect()
}

crate::row! {
    struct EnablementRow {
        at: String,
        customer_id: String,
        service_type_code: String,
        resource_ids: String,
        placed_by: String,
        session_id: String,
    }
}

/// `partner`'s pay-per-use enablements (the resources one request provisioned), newest first.
pub fn enablements(
    db: &Db,
    partner: &PartnerId,
    customer: Option<&str>,
    limit: i64,
) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "SELECT min(effective_time) AS at, customer_id, service_type_code, group_concat(resource_id, ',') AS resource_ids, placed_by, session_id
         FROM resources WHERE partner_id = ?1 AND billing = ?4 AND (?2 IS NULL OR customer_id = ?2)
         GROUP BY idempotency_key, customer_id, service_type_code, placed_by, session_id ORDER BY at DESC LIMIT ?3",
        args![partner.as_str(), customer, limit, crate::orders::PAY_PER_USE],
    )
}

/// Reads the rows of [`enablements`].
pub fn read_enablements(r: &crate::worker::db::StatementResult) -> Result<Vec<(Timestamp, Enablement)>, ApiError> {
    super::rows::<EnablementRow>(r, "decode enablements")?
        .into_iter()
        .map(|r| {
            let at = stored("enablement at", Timestamp::parse(&r.at))?;
            Ok((
                at,
                Enablement {
                    customer_id: stored("customer id", CustomerId::parse(&r.customer_id))?,
                    service_type_code: r.service_type_code,
                    resource_ids: r.resource_ids.split(',').map(str::to_string).collect(),
                    placed_by: stored("user id", UserId::parse(&r.placed_by))?,
                    session_id: stored("session id", SessionId::parse(&r.session_id))?,
                },
            ))
        })
        .collect()
}
