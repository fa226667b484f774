//! The outbox of messages to customers, and their delivery state.

use super::Db;
use super::{all, stmt};
use crate::args;
use crate::delivery::{Next, Status, Via};
use crate::error::ApiError;
use crate::ids::{AuthorizationId, CustomerId, MessageId, PartnerId};
use crate::outbox::Message;
use crate::time::Timestamp;
use serde::Serialize;
use worker::D1PreparedStatement;

/// Whether a message is recorded unconditionally or only with the change it tells of.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum When {
    Always,
    /// Only if the previous statement of the batch changed exactly one row (the message belongs to a
    /// conditional change that may lose a race).
    IfChanged,
}

/// A message to record, with what it is about and what carries it.
pub struct Record<'a> {
    pub id: &'a MessageId,
    pub at: Timestamp,
    pub partner: &'a PartnerId,
    pub customer: &'a CustomerId,
    pub authorization: &'a AuthorizationId,
    pub message: &'a Message,
    pub via: Via,
    /// The whole message sealed (every route but the dev outbox).
    pub sealed: Option<&'a str>,
    pub request_id: &'a str,
}

/// Records a message (in the batch of the change it tells of): held in the dev outbox with its body
/// in clear, or queued for its first attempt now with its body redacted and its content sealed.
pub fn insert(db: &Db, r: &Record<'_>, when: When) -> Result<D1PreparedStatement, ApiError> {
    let condition = if when == When::IfChanged { " WHERE changes() = 1" } else { "" };
    let held = r.via == Via::DevOutbox;
    let (status, body, due) = if held {
        (Status::Held, r.message.body.clone(), None)
    } else {
        (Status::Queued, r.message.redacted_body(), Some(r.at.to_string()))
    };
    let sql = format!(
        "INSERT INTO outbox (id, created_at, customer_id, channel, recipient, subject, body, request_id,
           partner_id, authorization_id, via, status, next_attempt_at, sealed)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14{condition}"
    );
    stmt(
        db,
        &sql,
        args![
            r.id.as_str(),
            r.at.to_string(),
            r.customer.as_str(),
            r.message.channel.as_str(),
            r.message.recipient.as_str(),
            r.message.subject.as_str(),
            body,
            r.request_id,
            r.partner.as_str(),
            r.authorization.as_str(),
            r.via.as_str(),
            status.as_str(),
            due,
            r.sealed.map(str::to_string)
        ],
    )
}

crate::row! {
    /// A recorded message (dev outbox).
    #[derive(Serialize)]
    pub struct Row {
        pub id: String,
        pub created_at: String,
        pub customer_id: Option<String>,
        pub channel: String,
        pub recipient: String,
        pub subject: String,
        pub body: String,
        pub request_id: String,
        pub via: String,
        pub status: String,
    }
}

/// Recent messages, newest first, optionally for one customer.
pub async fn recent(db: &Db, customer: Option<&str>, limit: i64) -> Result<Vec<Row>, ApiError> {
    all(
        db,
        "SELECT id, created_at, customer_id, channel, recipient, subject, body, request_id, via, status FROM outbox
         WHERE (?1 IS NULL OR customer_id = ?1) ORDER BY created_at DESC, rowid DESC LIMIT ?2",
        args![customer, limit],
    )
    .await
}

/// Claims message `id` for an attempt at `now` if it is due (queued, or sending with its lease run
/// out): one more attempt, leased until `lease_until`. Two claims at once: one changes the row.
pub fn claim(db: &Db, id: &str, now: Timestamp, lease_until: Timestamp) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = ?3
         WHERE id = ?1 AND status IN ('queued', 'sending') AND next_attempt_at <= ?2",
        args![id, now.to_string(), lease_until.to_string()],
    )
}

crate::row! {
    /// What an attempt needs of a message.
    pub struct Claimed {
        pub id: String,
        pub created_at: String,
        pub customer_id: Option<String>,
        pub partner_id: Option<String>,
        pub authorization_id: Option<String>,
        pub channel: String,
        pub recipient: String,
        pub via: String,
        pub attempts: i64,
        pub sealed: Option<String>,
        pub status: String,
        pub next_attempt_at: Option<String>,
    }
}

/// The statement reading a claimed message (after [`claim`], in its batch).
pub fn claimed_stmt(db: &Db, id: &str) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "SELECT id, created_at, customer_id, partner_id, authorization_id, channel, recipient, via, attempts, sealed,
           status, next_attempt_at FROM outbox WHERE id = ?1",
        args![id],
    )
}

/// Records how attempt `attempt` ended, if the message is still that attempt's (a later claim after
/// its lease ran out owns it then). Final states forget the sealed content.
pub fn record(db: &Db, id: &str, attempt: i64, next: &Next, now: Timestamp) -> Result<D1PreparedStatement, ApiError> {
    let at = now.to_string();
    let (status, due, error, provider, sent_at) = match next {
        Next::Sent { provider_id } => (Status::Sent, None, None, provider_id.clone(), Some(at)),
        Next::Retry { at: when, reason } => (Status::Queued, Some(when.to_string()), Some(reason.clone()), None, None),
        Next::Failed { reason } => (Status::Failed, None, Some(reason.clone()), None, None),
    };
    let keep_sealed = matches!(next, Next::Retry { .. });
    stmt(
        db,
        "UPDATE outbox SET status = CASE WHEN ?3 = 'sent' AND delivered_at IS NOT NULL THEN 'delivered' ELSE ?3 END,
           next_attempt_at = ?4, last_error = coalesce(?5, last_error),
           provider_id = coalesce(?6, provider_id), sent_at = coalesce(?7, sent_at),
           sealed = CASE WHEN ?8 = 1 THEN sealed END
         WHERE id = ?1 AND attempts = ?2 AND status = 'sending'",
        args![id, attempt, status.as_str(), due, error, provider, sent_at, keep_sealed],
    )
}

/// Records a Huawei Cloud SMS status report on message `id`: delivered (or, while its attempt has not
/// recorded the send yet, marked so that it will be), or not delivered (failed, with Huawei's words).
/// Only an SMS that was sent or is being sent changes.
pub fn reported(
    db: &Db,
    id: &str,
    report: &crate::delivery::Report,
    now: Timestamp,
) -> Result<D1PreparedStatement, ApiError> {
    use crate::delivery::Report;
    let (delivered, error) = match report {
        Report::Delivered => (true, None),
        Report::NotDelivered(why) => (false, Some(why.clone())),
    };
    stmt(
        db,
        "UPDATE outbox SET
           delivered_at = CASE WHEN ?2 = 1 THEN coalesce(delivered_at, ?3) ELSE delivered_at END,
           status = CASE WHEN status = 'sent' THEN (CASE WHEN ?2 = 1 THEN 'delivered' ELSE 'failed' END) ELSE status END,
           last_error = coalesce(?4, last_error)
         WHERE id = ?1 AND via = 'huawei_sms' AND status IN ('sending', 'sent', 'delivered')",
        args![id, delivered, now.to_string(), error],
    )
}

crate::row! {
    struct Due {
        id: String,
    }
}

/// Messages due for an attempt at `now` (the Cron Trigger's sweep: a lost queue message, a worker
/// that died mid-send), oldest first.
pub async fn due(db: &Db, now: Timestamp, limit: i64) -> Result<Vec<String>, ApiError> {
    let rows: Vec<Due> = all(
        db,
        "SELECT id FROM outbox WHERE status IN ('queued', 'sending') AND next_attempt_at <= ?1
         ORDER BY next_attempt_at LIMIT ?2",
        args![now.to_string(), limit],
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

crate::row! {
    /// A message as the partner sees it on its authorization request (never its content).
    #[derive(Serialize)]
    pub struct StatusRow {
        pub id: String,
        pub channel: String,
        pub via: String,
        pub status: String,
        pub attempts: i64,
        pub last_error: Option<String>,
        pub provider_id: Option<String>,
        pub created_at: String,
        pub sent_at: Option<String>,
        pub delivered_at: Option<String>,
        pub next_attempt_at: Option<String>,
    }
}

/// The statement reading the messages of authorization `id`, oldest first.
pub fn of_authorization_stmt(db: &Db, id: &AuthorizationId) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "SELECT id, channel, via, status, attempts, last_error, provider_id, created_at, sent_at, delivered_at,
           next_attempt_at FROM outbox WHERE authorization_id = ?1 ORDER BY created_at, rowid",
        args![id.as_str()],
    )
}

/// Reads [`of_authorization_stmt`].
pub fn read_statuses(r: &super::StatementResult) -> Result<Vec<StatusRow>, ApiError> {
    super::rows(r, "decode messages")
}
