//! Audit events.

use super::Db;
use super::{all, stmt, Arg};
use crate::args;
use crate::audit::{AuditEvent, ChainReport, Link, GENESIS};
use crate::error::ApiError;
use serde_json::{json, Value};
use worker::D1PreparedStatement;

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
pub fn append(db: &Db, e: &AuditEvent) -> Result<D1PreparedStatement, ApiError> {
    stmt(db, INSERT, event_args(e))
}

/// Appends `e` only if the previous statement of the batch changed exactly one row, so a
/// conditional update that lost a race leaves no audit trace either.
pub fn append_if_changed(db: &Db, e: &AuditEvent) -> Result<D1PreparedStatement, ApiError> {
    let sql = "INSERT INTO audit_events (at, request_id, actor_kind, actor_user_id, partner_id, customer_id, action, target_id, detail) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 WHERE changes() = 1";
    stmt(db, sql, event_args(e))
}

/// Runs a conditional update (one that matches its row only in the expected state) together with
/// its audit event, atomically, then `reads` in the same batch (they see the change): their results,
/// or `Err(lost)` when the row had already moved on, and then nothing was written, the event included.
pub async fn change_once_then(
    db: &Db,
    update: D1PreparedStatement,
    e: &AuditEvent,
    lost: crate::error::Code,
    reads: Vec<D1PreparedStatement>,
) -> Result<Vec<crate::worker::db::StatementResult>, ApiError> {
    let (changed, results) = super::write_then_read(db, vec![update, append_if_changed(db, e)?], reads).await?;
    if changed.first() == Some(&1) {
        Ok(results)
    } else {
        Err(ApiError::new(lost))
    }
}

/// A user's reveals since `since`: how many requests, and when the oldest was.
pub async fn recent_reveals(
    db: &Db,
    user: &crate::ids::UserId,
    since: crate::time::Timestamp,
) -> Result<(i64, Option<crate::time::Timestamp>), ApiError> {
    crate::row! {
        struct Recent {
            n: i64,
            oldest: Option<String>,
        }
    }
    let r: Option<Recent> = super::first(
        db,
        "SELECT count(DISTINCT request_id) AS n, min(at) AS oldest FROM audit_events WHERE actor_user_id = ?1 AND action = 'customer.revealed' AND at > ?2",
        args![user.as_str(), since.to_string()],
    )
    .await?;
    Ok(r.map_or((0, None), |r| (r.n, r.oldest.as_deref().and_then(crate::time::Timestamp::parse))))
}

crate::row! {
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
        hash: Option<String>,
    }
}

/// Seals the unsealed events (in `seq` order, up to 500) into the hash chain. Idempotent: two
/// requests sealing at once compute the same hashes, and only unsealed rows are updated.
pub async fn seal_pending(db: &Db) -> Result<(), ApiError> {
    crate::row! {
        struct Head {
            seq: i64,
            hash: String,
        }
    }
    // One round trip for both reads: the chain's head and the unsealed events after it.
    let rs = super::batch_results(
        db,
        vec![
            stmt(db, "SELECT seq, hash FROM audit_events WHERE hash IS NOT NULL ORDER BY seq DESC LIMIT 1", Vec::new())?,
            stmt(db, "SELECT * FROM audit_events WHERE hash IS NULL AND seq > coalesce((SELECT max(seq) FROM audit_events WHERE hash IS NOT NULL), 0) ORDER BY seq LIMIT 500", Vec::new())?,
        ],
    )
    .await?;
    let get = |i: usize| rs.get(i).ok_or_else(|| super::fault("seal reads", "missing result"));
    let head: Option<Head> = get(0)?.results::<Head>().map_err(|e| super::fault("decode head", e))?.into_iter().next();
    let pending: Vec<Link> = get(1)?.results().map_err(|e| super::fault("decode events", e))?;
    if pending.is_empty() {
        return Ok(());
    }
    if pending.first().map(|l| l.seq) <= head.as_ref().map(|h| h.seq) {
        return Ok(());
    }
    let prev = head.map_or_else(|| GENESIS.to_string(), |h| h.hash);
    let stmts = crate::audit::seal(&pending, &prev)
        .into_iter()
        .map(|(seq, p, h)| {
            stmt(
                db,
                "UPDATE audit_events SET prev_hash = ?2, hash = ?3 WHERE seq = ?1 AND hash IS NULL",
                args![seq, p, h],
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    super::batch(db, stmts).await.map(|_| ())
}

/// Recomputes the whole chain, in pages, and reports the first broken link.
pub async fn verify(db: &Db) -> Result<ChainReport, ApiError> {
    let mut prev = GENESIS.to_string();
    let (mut checked, mut unsealed, mut after) = (0, 0, 0i64);
    loop {
        let page: Vec<Link> =
            all(db, "SELECT * FROM audit_events WHERE seq > ?1 ORDER BY seq LIMIT 2000", args![after]).await?;
        let Some(last) = page.last().map(|l| l.seq) else { break };
        let r = crate::audit::verify_chain(&page, &prev);
        checked += r.checked;
        unsealed += r.unsealed;
        if !r.ok || r.unsealed > 0 {
            // Unsealed events end the sealed part; anything sealed after them is a break.
            let rest: i64 = if r.ok {
                super::first::<Count>(
                    db,
                    "SELECT count(*) AS n FROM audit_events WHERE seq > ?1 AND hash IS NOT NULL",
                    args![last],
                )
                .await?
                .map_or(0, |c| c.n)
            } else {
                0
            };
            let broken = r.first_broken_seq.or((rest > 0).then_some(last + 1));
            return Ok(ChainReport {
                ok: broken.is_none(),
                checked,
                unsealed,
                first_broken_seq: broken,
                head_hash: r.head_hash,
            });
        }
        prev = r.head_hash;
        after = last;
    }
    Ok(ChainReport { ok: true, checked, unsealed, first_broken_seq: None, head_hash: prev })
}

crate::row! {
    struct Count {
        n: i64,
    }
}

/// The statement reading the events about the customer a consent token (by hash) belongs to,
/// newest first (read with [`read_events`]).
pub fn of_consent_customer(db: &Db, token_hash: &str, limit: i64) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "SELECT * FROM audit_events WHERE customer_id = (SELECT customer_id FROM authorizations WHERE consent_token_hash = ?1)
         ORDER BY seq DESC LIMIT ?2",
        args![token_hash, limit],
    )
}

/// Reads events as the API shows them.
pub fn read_events(r: &crate::worker::db::StatementResult) -> Result<Vec<Value>, ApiError> {
    Ok(super::rows::<Row>(r, "decode events")?.into_iter().map(view).collect())
}

/// The statement reading the `action` events about `customer`, newest first.
pub fn of_customer_action(db: &Db, customer: &str, action: &str, limit: i64) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "SELECT * FROM audit_events WHERE customer_id = ?1 AND action = ?2 ORDER BY seq DESC LIMIT ?3",
        args![customer, action, limit],
    )
}

/// Reads the rows of [`of_customer_action`]: `(at, detail, actor user)`.
pub fn read_customer_action(
    r: &crate::worker::db::StatementResult,
) -> Result<Vec<(String, Value, Option<String>)>, ApiError> {
    let rows: Vec<Row> = r.results().map_err(|e| super::fault("decode events", e))?;
    Ok(rows
        .into_iter()
        .map(|r| (r.at, serde_json::from_str(&r.detail).unwrap_or(Value::Null), r.actor_user_id))
        .collect())
}

/// Events about `partner` (its own actions, and customers' answers to its requests), newest first.
pub async fn list_for_partner(
    db: &Db,
    partner: &str,
    customer: Option<&str>,
    limit: i64,
) -> Result<Vec<Value>, ApiError> {
    let rows: Vec<Row> = all(
        db,
        "SELECT * FROM audit_events WHERE partner_id = ?1 AND (?2 IS NULL OR customer_id = ?2) ORDER BY seq DESC LIMIT ?3",
        args![partner, customer, limit],
    )
    .await?;
    Ok(rows.into_iter().map(view).collect())
}

fn view(r: Row) -> Value {
    json!({
        "seq": r.seq, "at": r.at, "request_id": r.request_id, "actor_kind": r.actor_kind,
        "actor_user_id": r.actor_user_id, "partner_id": r.partner_id, "customer_id": r.customer_id,
        "action": r.action, "target_id": r.target_id,
        "detail": serde_json::from_str::<Value>(&r.detail).unwrap_or(Value::Null),
        "hash": r.hash,
    })
}

impl super::FromRow for Link {
    fn from_row(r: &super::Row) -> Self {
        Link {
            seq: r.get("seq"),
            at: r.get("at"),
            request_id: r.get("request_id"),
            actor_kind: r.get("actor_kind"),
            actor_user_id: r.get("actor_user_id"),
            partner_id: r.get("partner_id"),
            customer_id: r.get("customer_id"),
            action: r.get("action"),
            target_id: r.get("target_id"),
            detail: r.get("detail"),
            prev_hash: r.get("prev_hash"),
            hash: r.get("hash"),
        }
    }
}
