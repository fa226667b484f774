//! Idempotency keys of `POST /v1/orders`: claimed before the order is tried, finished with the
//! answer to replay in the order's own batch, released when nothing was written.

use super::stmt;
use super::Db;
use crate::args;
use crate::error::ApiError;
use crate::idempotency::Stored;
use crate::ids::{CustomerId, PartnerId, SessionId};
use crate::time::Timestamp;
use worker::D1PreparedStatement;

/// Claims `key` for a request by session `sid` (its partner and customer; nothing when there is no
/// such session), in the session's own batch (`sessions::acting`): inserts it `in_flight`, or takes
/// over a row past its retention, or an `in_flight` row whose request died (older than
/// `STALE_IN_FLIGHT`, same body). Changes one row when the claim succeeded ([`claimed`]).
pub fn claim_for_session(
    db: &Db,
    sid: &SessionId,
    key: &str,
    fingerprint: &str,
    now: Timestamp,
) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "INSERT INTO idempotency_keys (partner_id, customer_id, key, fingerprint, state, created_at, expires_at)
         SELECT partner_id, customer_id, ?2, ?3, 'in_flight', ?4, ?5 FROM sessions WHERE id = ?1
         ON CONFLICT (partner_id, customer_id, key) DO UPDATE SET fingerprint = excluded.fingerprint, state = 'in_flight', status = NULL, body = NULL,
           created_at = excluded.created_at, expires_at = excluded.expires_at
         WHERE idempotency_keys.expires_at <= excluded.created_at
            OR (idempotency_keys.state = 'in_flight' AND idempotency_keys.fingerprint = excluded.fingerprint AND idempotency_keys.created_at <= ?6)",
        args![sid.as_str(), key, fingerprint, now.to_string(), now.plus(crate::idempotency::RETENTION).to_string(),
            now.plus(-crate::idempotency::STALE_IN_FLIGHT).to_string()],
    )
}

/// The statement reading what is stored under `key` for session `sid`'s partner and customer (after
/// [`claim_for_session`] in the same batch; read with [`read_stored`]).
pub fn stored_for_session(db: &Db, sid: &SessionId, key: &str) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "SELECT fingerprint, state, status, body FROM idempotency_keys
         WHERE partner_id = (SELECT partner_id FROM sessions WHERE id = ?1) AND customer_id = (SELECT customer_id FROM sessions WHERE id = ?1) AND key = ?2",
        args![sid.as_str(), key],
    )
}

/// Whether the claim statement of a batch took the key.
pub fn claimed(r: &crate::worker::db::StatementResult) -> bool {
    r.changes() == 1
}

/// Reads the row of [`stored_for_session`].
pub fn read_stored(r: &crate::worker::db::StatementResult) -> Result<Option<Stored>, ApiError> {
    Ok(super::row::<KeyRow>(r, "decode idempotency key")?.map(stored_of))
}

fn stored_of(r: KeyRow) -> Stored {
    match (r.state.as_str(), r.status, r.body) {
        ("done", Some(status), Some(body)) => Stored::Done { fingerprint: r.fingerprint, status: status as u16, body },
        _ => Stored::InFlight { fingerprint: r.fingerprint },
    }
}

crate::row! {
    struct KeyRow {
        fingerprint: String,
        state: String,
        status: Option<i64>,
        body: Option<String>,
    }
}

/// Forgets an in-flight key whose request failed before writing anything, so it can be retried.
pub fn release(
    db: &Db,
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

/// [`release`] for session `sid`'s partner and customer.
pub fn release_for_session(db: &Db, sid: &SessionId, key: &str) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "DELETE FROM idempotency_keys WHERE partner_id = (SELECT partner_id FROM sessions WHERE id = ?1)
           AND customer_id = (SELECT customer_id FROM sessions WHERE id = ?1) AND key = ?2 AND state = 'in_flight'",
        args![sid.as_str(), key],
    )
}

/// Marks the key done with the answer to replay (in the batch that writes the order).
pub fn finish(
    db: &Db,
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
