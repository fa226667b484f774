//! Audit events.

use super::{all, stmt, Arg};
use crate::args;
use crate::audit::AuditEvent;
use crate::error::ApiError;
use serde::Deserialize;
use serde_json::{json, Value};
use worker::{D1Database, D1PreparedStatement};

const INSERT: &str = "INSERT INTO audit_events (at, request_id, actor_kind, actor_user_id, partner_id, customer_id, action, target_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

fn event_args(e: &AuditEvent) -> Vec<Arg> {
    args![
        e.at.to_string(),
        e.request_id.as_str(),
        e.actor_kind.as_str(),
        e.actor_user_id.as_ref().map(|u| u.as_str()),
        e.partner_id.as_ref().map(|p| p.as_str()),
        e.customer_id.as_ref().map(|c| c.as_str()),
        e.action.as_str(),
        e.target_id.as_deref(),
        e.detail.to_string(),
    ]
}

/// The statement appending `e`; goes into the same batch as the change it records.
pub fn append(db: &D1Database, e: &AuditEvent) -> Result<D1PreparedStatement, ApiError> {
    stmt(db, INSERT, event_args(e))
}

/// Appends `e` only if the previous statement of the batch changed exactly one row, so a
/// conditional update that lost a race leaves no audit trace either.
pub fn append_if_changed(db: &D1Database, e: &AuditEvent) -> Result<D1PreparedStatement, ApiError> {
    let sql = "INSERT INTO audit_events (at, request_id, actor_kind, actor_user_id, partner_id, customer_id, action, target_id, detail) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 WHERE changes() = 1";
    stmt(db, sql, event_args(e))
}

/// Runs a conditional update (one that matches its row only in the expected state) together with
/// its audit event, atomically: `Err(lost)` when the row had already moved on, and then nothing
/// was written, the event included.
pub async fn change_once(db: &D1Database, update: D1PreparedStatement, e: &AuditEvent, lost: crate::error::Code) -> Result<(), ApiError> {
    let changed = super::batch(db, vec![update, append_if_changed(db, e)?]).await?;
    if changed.first() == Some(&1) {
        Ok(())
    } else {
        Err(ApiError::new(lost))
    }
}

/// A user's reveal requests since `since`: how many, and when the oldest was.
pub async fn recent_reveals(db: &D1Database, user: &crate::ids::UserId, since: crate::time::Timestamp) -> Result<(i64, Option<crate::time::Timestamp>), ApiError> {
    #[derive(Deserialize)]
    struct Recent {
        n: i64,
        oldest: Option<String>,
    }
    let r: Option<Recent> = super::first(
        db,
        "SELECT count(DISTINCT request_id) AS n, min(at) AS oldest FROM audit_events WHERE actor_user_id = ?1 AND action = 'customer.revealed' AND at > ?2",
        args![user.as_str(), since.to_string()],
    )
    .await?;
    Ok(r.map_or((0, None), |r| (r.n, r.oldest.as_deref().and_then(crate::time::Timestamp::parse))))
}

#[derive(Deserialize)]
struct Row {
    seq: i64,
    at: String,
    request_id: String,
    actor_kind: String,
    actor_user_id: Option<String>,
    partner_id: Option<String>,
    customer_id: Option<String>,
    action: String,
    target_id: Option<String>,
    detail: String,
}

/// Events about `partner` (its own actions, and customers' answers to its requests), newest first.
pub async fn list_for_partner(db: &D1Database, partner: &str, customer: Option<&str>, limit: i64) -> Result<Vec<Value>, ApiError> {
    let rows: Vec<Row> = all(
        db,
        "SELECT * FROM audit_events WHERE partner_id = ?1 AND (?2 IS NULL OR customer_id = ?2) ORDER BY seq DESC LIMIT ?3",
        args![partner, customer, limit],
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            json!({
                "seq": r.seq, "at": r.at, "request_id": r.request_id, "actor_kind": r.actor_kind,
                "actor_user_id": r.actor_user_id, "partner_id": r.partner_id, "customer_id": r.customer_id,
                "action": r.action, "target_id": r.target_id,
                "detail": serde_json::from_str::<Value>(&r.detail).unwrap_or(Value::Null),
            })
        })
        .collect())
}
