//! What is kept only for a while, and the statements that forget it (run by the Cron Trigger a
//! bounded chunk at a time, so a sweep is one small write whatever the backlog).
//!
//! `Idempotency-Key` rows: an order's stored answer is replayed for `idempotency::RETENTION` (24 h);
//! past that, a request with the same key is a new request (the claim takes the row over), so the
//! row is dead weight: 2.5 KB per order, the largest per-order cost in the database (docs/scale.md).

use super::{SqlValue, Statement};
use crate::time::Timestamp;

/// At most this many rows are deleted by one sweep statement.
pub const SWEEP_CHUNK: i64 = 500;

/// Deletes up to `limit` `Idempotency-Key` rows whose retention ended at or before `now` (a key
/// still in flight after 24 h belongs to a request that died).
pub fn purge_idempotency_keys(now: Timestamp, limit: i64) -> Statement {
    Statement {
        sql: "DELETE FROM idempotency_keys WHERE (partner_id, customer_id, key) IN
                (SELECT partner_id, customer_id, key FROM idempotency_keys WHERE expires_at <= ?1 ORDER BY expires_at LIMIT ?2)"
            .to_string(),
        params: vec![SqlValue::Text(now.to_string()), SqlValue::Int(limit)],
    }
}

#[cfg(test)]
mod tests;
