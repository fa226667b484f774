//! Sessions, idempotency keys, orders and resources.

use super::{all, first, stmt, stored};
use crate::args;
use crate::error::ApiError;
use crate::idempotency::Stored;
use crate::ids::{AuthorizationId, CustomerId, PartnerId, PermissionId, SessionId, UserId};
use crate::orders::{Order, Resource};
use crate::partners::Role;
use crate::portal::{Credential, CredentialRef};
use crate::prerequisites::ReliedOn;
use crate::sessions::{EndReason, Session, SCOPES};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use worker::{D1Database, D1PreparedStatement};

/// Inserts a session.
pub fn insert_session(db: &D1Database, s: &Session) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "INSERT INTO sessions (id, customer_id, partner_id, source_user_id, source_role, permission_id, authorization_id, started_at, expires_at,
           credential_kind, credential_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        args![
            s.id.as_str(), s.customer_id.as_str(), s.partner_id.as_str(), s.source_user_id.as_str(), s.source_role.as_str(),
            s.relied_on.distributor_permission.as_ref().map(|p| p.as_str()), s.relied_on.authorization.as_ref().map(|a| a.as_str()),
            s.started_at.to_string(), s.expires_at.to_string(),
            s.started_with.as_ref().map(|c| c.kind.as_str()), s.started_with.as_ref().map(|c| c.id.as_str()),
        ],
    )
}

#[derive(Deserialize)]
struct SessionRow {
    id: String,
    customer_id: String,
    partner_id: String,
    source_user_id: String,
    source_role: String,
    permission_id: Option<String>,
    authorization_id: Option<String>,
    started_at: String,
    expires_at: String,
    ended_at: Option<String>,
    end_reason: Option<String>,
    credential_kind: Option<String>,
    credential_id: Option<String>,
}

/// The session `id`.
pub async fn session(db: &D1Database, id: &SessionId) -> Result<Option<Session>, ApiError> {
    let row: Option<SessionRow> = first(db, "SELECT * FROM sessions WHERE id = ?1", args![id.as_str()]).await?;
    row.map(session_from_row).transpose()
}

/// Everything a session request reads, in one D1 round trip: the session, its source user, its
/// customer, and the grants the check reads (`None` when the session does not exist).
pub struct ActingRows {
    pub session: Session,
    pub actor: Option<crate::partners::Actor>,
    pub customer: Option<crate::customers::Customer>,
    pub permissions: Vec<crate::grants::DistributorPermission>,
    pub authorizations: Vec<crate::grants::CustomerAuthorization>,
}

/// Loads [`ActingRows`] for session `id` with one batch of reads.
pub async fn acting(db: &D1Database, id: &SessionId) -> Result<Option<ActingRows>, ApiError> {
    let sid = id.as_str();
    let stmts = vec![
        stmt(db, "SELECT * FROM sessions WHERE id = ?1", args![sid])?,
        super::partners::actor_of_session(db, sid)?,
        super::customers::customer_of_session(db, sid)?,
        super::grants::permissions_of_session(db, sid)?,
        super::grants::authorizations_of_session(db, sid)?,
    ];
    let rs = db.batch(stmts).await.map_err(|e| super::fault("session batch", e))?;
    let get = |i: usize| rs.get(i).ok_or_else(|| super::fault("session batch", "missing result"));
    let sessions: Vec<SessionRow> = get(0)?.results().map_err(|e| super::fault("decode session", e))?;
    let Some(row) = sessions.into_iter().next() else { return Ok(None) };
    Ok(Some(ActingRows {
        session: session_from_row(row)?,
        actor: super::partners::actor_from_result(get(1)?)?,
        customer: super::customers::customer_from(get(2)?)?,
        permissions: super::grants::permissions_from(get(3)?)?,
        authorizations: super::grants::authorizations_from(get(4)?)?,
    }))
}

fn session_from_row(r: SessionRow) -> Result<Session, ApiError> {
    let t = |what: &str, s: &str| stored(what, Timestamp::parse(s));
    let ended_at = super::opt_time("session ended_at", &r.ended_at)?;
    Ok(Session {
        id: stored("session id", SessionId::parse(&r.id))?,
        customer_id: stored("customer id", CustomerId::parse(&r.customer_id))?,
        partner_id: stored("partner id", PartnerId::parse(&r.partner_id))?,
        source_user_id: stored("user id", UserId::parse(&r.source_user_id))?,
        source_role: stored("role", Role::parse(&r.source_role))?,
        scopes: SCOPES.to_vec(),
        relied_on: ReliedOn {
            distributor_permission: r
                .permission_id
                .as_deref()
                .map(|p| stored("permission id", PermissionId::parse(p)))
                .transpose()?,
            authorization: r
                .authorization_id
                .as_deref()
                .map(|a| stored("authorization id", AuthorizationId::parse(a)))
                .transpose()?,
        },
        started_at: t("session started_at", &r.started_at)?,
        expires_at: t("session expires_at", &r.expires_at)?,
        end_reason: ended_at
            .map(|_| r.end_reason.as_deref().and_then(EndReason::parse).unwrap_or(EndReason::SwitchRole)),
        ended_at,
        started_with: match (r.credential_kind.as_deref(), r.credential_id) {
            (Some("api_key"), Some(id)) => Some(CredentialRef { kind: Credential::ApiKey, id }),
            (Some("portal_token"), Some(id)) => Some(CredentialRef { kind: Credential::PortalToken, id }),
            _ => None,
        },
    })
}

/// Ends a live session (Switch Role); changes no row if it had already ended.
pub fn end_session(db: &D1Database, id: &SessionId, at: Timestamp) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "UPDATE sessions SET ended_at = ?2, end_reason = 'switch_role' WHERE id = ?1 AND ended_at IS NULL",
        args![id.as_str(), at.to_string()],
    )
}

/// Claims `key` for a request: inserts it `in_flight`, or takes over a row past its retention, or an
/// `in_flight` row whose request died (older than `STALE_IN_FLIGHT`, same body). Changes one row when
/// the claim succeeded.
pub fn claim_key(
    db: &D1Database,
    partner: &PartnerId,
    customer: &CustomerId,
    key: &str,
    fingerprint: &str,
    now: Timestamp,
) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "INSERT INTO idempotency_keys (partner_id, customer_id, key, fingerprint, state, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, 'in_flight', ?5, ?6)
         ON CONFLICT (partner_id, customer_id, key) DO UPDATE SET fingerprint = excluded.fingerprint, state = 'in_flight', status = NULL, body = NULL,
           created_at = excluded.created_at, expires_at = excluded.expires_at
         WHERE idempotency_keys.expires_at <= excluded.created_at
            OR (idempotency_keys.state = 'in_flight' AND idempotency_keys.fingerprint = excluded.fingerprint AND idempotency_keys.created_at <= ?7)",
        args![partner.as_str(), customer.as_str(), key, fingerprint, now.to_string(), now.plus(crate::idempotency::RETENTION).to_string(),
            now.plus(-crate::idempotency::STALE_IN_FLIGHT).to_string()],
    )
}

#[derive(Deserialize)]
struct KeyRow {
    fingerprint: String,
    state: String,
    status: Option<i64>,
    body: Option<String>,
}

/// What is stored under `key`.
pub async fn stored_key(
    db: &D1Database,
    partner: &PartnerId,
    customer: &CustomerId,
    key: &str,
) -> Result<Option<Stored>, ApiError> {
    let row: Option<KeyRow> = first(db, "SELECT fingerprint, state, status, body FROM idempotency_keys WHERE partner_id = ?1 AND customer_id = ?2 AND key = ?3", args![partner.as_str(), customer.as_str(), key]).await?;
    Ok(row.map(|r| match (r.state.as_str(), r.status, r.body) {
        ("done", Some(status), Some(body)) => Stored::Done { fingerprint: r.fingerprint, status: status as u16, body },
        _ => Stored::InFlight { fingerprint: r.fingerprint },
    }))
}

/// Forgets an in-flight key whose request failed before writing anything, so it can be retried.
pub fn release_key(
    db: &D1Database,
    partner: &PartnerId,
    customer: &CustomerId,
    key: &str,
) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "DELETE FROM idempotency_keys WHERE partner_id = ?1 AND customer_id = ?2 AND key = ?3 AND state = 'in_flight'",
        args![partner.as_str(), customer.as_str(), key],
    )
}

/// Marks the key done with the answer to replay (in the batch that writes the order).
pub fn finish_key(
    db: &D1Database,
    partner: &PartnerId,
    customer: &CustomerId,
    key: &str,
    status: u16,
    body: &str,
) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "UPDATE idempotency_keys SET state = 'done', status = ?4, body = ?5 WHERE partner_id = ?1 AND customer_id = ?2 AND key = ?3",
        args![partner.as_str(), customer.as_str(), key, status as i64, body],
    )
}

/// Counts `amount` into the customer's month-to-date spend and budget, freezing it when asked.
pub fn spend(
    db: &D1Database,
    customer: &CustomerId,
    amount: i64,
    freeze: bool,
) -> Result<D1PreparedStatement, ApiError> {
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

/// Inserts an order.
pub fn insert_order(
    db: &D1Database,
    o: &Order,
    key: &str,
    draft: &serde_json::Value,
) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "INSERT INTO orders (order_id, customer_id, partner_id, service_type_code, region, status, amount_minor, currency, period_type, period_num, placed_by, session_id,
           permission_id, authorization_id, quote_id, idempotency_key, created_at, payment_time, request, upstream, draft)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)",
        args![
            o.order_id.as_str(), o.customer_id.as_str(), o.partner_id.as_str(), o.service_type_code, o.region.as_str(), o.status.code(), o.amount.minor,
            o.amount.currency.as_str(), o.period_type, o.period_num, o.placed_by.as_str(), o.session_id.as_str(),
            o.relied_on.distributor_permission.as_ref().map(|p| p.as_str()), o.relied_on.authorization.as_ref().map(|a| a.as_str()), o.quote_id.clone(),
            key, o.created_at.to_string(), o.payment_time.map(|t| t.to_string()), o.request.to_string(), o.upstream.to_string(), draft.to_string(),
        ],
    )
}

/// Inserts a provisioned resource.
pub fn insert_resource(
    db: &D1Database,
    r: &Resource,
    partner: &PartnerId,
    key: &str,
) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "INSERT INTO resources (resource_id, customer_id, partner_id, resource_name, region_code, availability_zone_code, service_type_code, resource_type_code,
           resource_spec_code, billing, order_id, effective_time, expire_time, status, placed_by, session_id, idempotency_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        args![
            r.resource_id.as_str(), r.customer_id.as_str(), partner.as_str(), r.resource_name.as_str(), r.region_code.as_str(), r.availability_zone_code.clone(),
            r.service_type_code, r.resource_type_code, r.resource_spec_code.as_str(), r.billing, r.order_id.clone(), r.effective_time.to_string(),
            r.expire_time.map(|t| t.to_string()), r.status, r.placed_by.as_str(), r.session_id.as_str(), key,
        ],
    )
}

/// An order as listed (Huawei's customer order fields plus provenance).
#[derive(Deserialize, Serialize)]
pub struct OrderRow {
    pub order_id: String,
    pub customer_id: String,
    pub partner_id: String,
    pub service_type_code: String,
    pub region: String,
    pub status: i64,
    pub amount_minor: i64,
    pub currency: String,
    pub period_type: String,
    pub period_num: i64,
    pub placed_by: String,
    pub session_id: String,
    pub permission_id: Option<String>,
    pub authorization_id: Option<String>,
    pub quote_id: Option<String>,
    pub created_at: String,
    pub payment_time: Option<String>,
}

const ORDER_COLS: &str = "order_id, customer_id, partner_id, service_type_code, region, status, amount_minor, currency, period_type, period_num, placed_by, session_id, permission_id, authorization_id, quote_id, created_at, payment_time";

/// The order `id` of `partner`, with its stored draft, request, answer and idempotency key.
pub async fn order(db: &D1Database, partner: &PartnerId, id: &str) -> Result<Option<FullOrderRow>, ApiError> {
    first(
        db,
        &format!(
            "SELECT {ORDER_COLS}, draft, upstream, idempotency_key FROM orders WHERE order_id = ?1 AND partner_id = ?2"
        ),
        args![id, partner.as_str()],
    )
    .await
}

/// An order with what paying it needs.
#[derive(Deserialize)]
pub struct FullOrderRow {
    #[serde(flatten)]
    pub order: OrderRow,
    pub draft: String,
    pub upstream: String,
    pub idempotency_key: String,
}

/// Sets an order's status from `from` to `to` (changes no row if it moved on); `paid` sets the payment time.
pub fn set_status(
    db: &D1Database,
    id: &str,
    from: i64,
    to: i64,
    paid: Option<Timestamp>,
) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "UPDATE orders SET status = ?3, payment_time = coalesce(?4, payment_time) WHERE order_id = ?1 AND status = ?2",
        args![id, from, to, paid.map(|t| t.to_string())],
    )
}

/// Filters of `GET /v1/orders`.
#[derive(Default)]
pub struct OrderFilter {
    pub customer_id: Option<String>,
    pub status: Option<i64>,
    pub service_type_code: Option<String>,
    pub created_from: Option<String>,
    pub created_to: Option<String>,
    pub order_id: Option<String>,
    pub limit: i64,
}

/// Orders placed by `partner`, newest first, with the filters.
pub async fn list_orders(db: &D1Database, partner: &PartnerId, f: &OrderFilter) -> Result<Vec<OrderRow>, ApiError> {
    all(
        db,
        &format!(
            "SELECT {ORDER_COLS} FROM orders WHERE partner_id = ?1 AND (?2 IS NULL OR customer_id = ?2) AND (?3 IS NULL OR status = ?3)
             AND (?4 IS NULL OR service_type_code = ?4) AND (?5 IS NULL OR created_at >= ?5) AND (?6 IS NULL OR created_at <= ?6)
             AND (?7 IS NULL OR order_id = ?7) ORDER BY created_at DESC, order_id DESC LIMIT ?8"
        ),
        args![partner.as_str(), f.customer_id.clone(), f.status, f.service_type_code.clone(), f.created_from.clone(), f.created_to.clone(), f.order_id.clone(), f.limit],
    )
    .await
}

/// A resource as listed.
#[derive(Deserialize, Serialize)]
pub struct ResourceRow {
    pub resource_id: String,
    pub customer_id: String,
    pub resource_name: String,
    pub region_code: String,
    pub availability_zone_code: Option<String>,
    pub service_type_code: String,
    pub resource_type_code: String,
    pub resource_spec_code: String,
    pub billing: String,
    pub order_id: Option<String>,
    pub effective_time: String,
    pub expire_time: Option<String>,
    pub status: i64,
    pub placed_by: String,
    pub session_id: String,
}

/// Resources provisioned on behalf of `customer` by `partner`, newest first.
pub async fn list_resources(
    db: &D1Database,
    partner: &PartnerId,
    customer: &CustomerId,
    billing: Option<&str>,
) -> Result<Vec<ResourceRow>, ApiError> {
    all(
        db,
        "SELECT resource_id, customer_id, resource_name, region_code, availability_zone_code, service_type_code, resource_type_code, resource_spec_code, billing,
           order_id, effective_time, expire_time, status, placed_by, session_id
         FROM resources WHERE customer_id = ?1 AND partner_id = ?2 AND (?3 IS NULL OR billing = ?3) ORDER BY effective_time DESC, resource_id LIMIT 200",
        args![customer.as_str(), partner.as_str(), billing],
    )
    .await
}

/// One pay-per-use enablement (the resources one request provisioned).
#[derive(Deserialize, Serialize)]
pub struct Enablement {
    pub at: String,
    pub customer_id: String,
    pub service_type_code: String,
    pub resource_ids: String,
    pub placed_by: String,
    pub session_id: String,
}

/// `partner`'s pay-per-use enablements, newest first.
pub async fn enablements(
    db: &D1Database,
    partner: &PartnerId,
    customer: Option<&str>,
    limit: i64,
) -> Result<Vec<Enablement>, ApiError> {
    all(
        db,
        "SELECT min(effective_time) AS at, customer_id, service_type_code, group_concat(resource_id, ',') AS resource_ids, placed_by, session_id
         FROM resources WHERE partner_id = ?1 AND billing = 'pay_per_use' AND (?2 IS NULL OR customer_id = ?2)
         GROUP BY idempotency_key, customer_id, service_type_code, placed_by, session_id ORDER BY at DESC LIMIT ?3",
        args![partner.as_str(), customer, limit],
    )
    .await
}
