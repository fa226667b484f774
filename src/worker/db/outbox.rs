//! The outbox of messages to customers.

use super::Db;
use super::{all, stmt};
use crate::args;
use crate::error::ApiError;
use crate::ids::{CustomerId, MessageId};
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

/// Records a message (in the batch of the change it tells of).
pub fn insert(
    db: &Db,
    id: &MessageId,
    at: Timestamp,
    customer: &CustomerId,
    m: &Message,
    request_id: &str,
    when: When,
) -> Result<D1PreparedStatement, ApiError> {
    let condition = if when == When::IfChanged { " WHERE changes() = 1" } else { "" };
    record(db, id, at, customer, m, request_id, condition)
}

/// The one INSERT of a message, with an optional condition on the batch's previous statement.
fn record(
    db: &Db,
    id: &MessageId,
    at: Timestamp,
    customer: &CustomerId,
    m: &Message,
    request_id: &str,
    condition: &str,
) -> Result<D1PreparedStatement, ApiError> {
    let sql = format!(
        "INSERT INTO outbox (id, created_at, customer_id, channel, recipient, subject, body, request_id) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8{condition}"
    );
    stmt(
        db,
        &sql,
        args![
            id.as_str(),
            at.to_string(),
            customer.as_str(),
            m.channel.as_str(),
            m.recipient.as_str(),
            m.subject.as_str(),
            m.body.as_str(),
            request_id
        ],
    )
}

crate::row! {
    /// A recorded message.
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
    }
}

/// Recent messages, newest first, optionally for one customer.
pub async fn recent(db: &Db, customer: Option<&str>, limit: i64) -> Result<Vec<Row>, ApiError> {
    all(
        db,
        "SELECT * FROM outbox WHERE (?1 IS NULL OR customer_id = ?1) ORDER BY created_at DESC, rowid DESC LIMIT ?2",
        args![customer, limit],
    )
    .await
}
