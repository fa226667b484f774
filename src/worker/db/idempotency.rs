//! Idempotency keys of `POST /v1/orders`: claimed before the order is tried, finished with the
//! answer to replay in the order's own batch, released when nothing was written.

use super::{first, stmt};
use crate::args;
use crate::error::ApiError;
use crate::idempotency::Stored;
use crate::ids::{CustomerId, PartnerId};
use crate::time::Timestamp;
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement};

/// Claims `key` for a request: inserts it `in_flight`, or takes over a row past its retention, or an
/// `in_flight` row whose request died (older than `STALE_IN_FLIGHT`, same body). Changes one row when
/// the claim succeeded.
pub fn claim(
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
pub async fn stored(
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
pub fn release(
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
pub fn finish(
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
