//! Stored quotes.

use super::{first, stmt};
use crate::args;
use crate::error::ApiError;
use crate::ids::{CustomerId, QuoteId};
use crate::partners::Actor;
use crate::time::Timestamp;
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement};

/// A quote to store.
pub struct NewQuote<'a> {
    pub id: &'a QuoteId,
    pub actor: &'a Actor,
    pub customer: &'a CustomerId,
    pub draft: &'a serde_json::Value,
    pub draft_sha256: &'a str,
    pub quote: &'a crate::quotes::Quote,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// Inserts a quote.
pub fn insert(db: &D1Database, q: &NewQuote<'_>) -> Result<D1PreparedStatement, ApiError> {
    let quote = serde_json::to_string(q.quote).map_err(|e| super::fault("encode quote", e))?;
    stmt(
        db,
        "INSERT INTO quotes (id, partner_id, user_id, customer_id, draft, draft_sha256, quote, total_minor, currency, catalog_version, created_at, expires_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        args![
            q.id.as_str(), q.actor.partner_id.as_str(), q.actor.user_id.as_str(), q.customer.as_str(), q.draft.to_string(), q.draft_sha256,
            quote, q.quote.total.minor, q.quote.currency.as_str(), q.quote.catalog_version.as_str(), q.created_at.to_string(), q.expires_at.to_string(),
        ],
    )
}

/// A stored quote's row.
#[derive(Deserialize)]
pub struct Row {
    pub draft: String,
    pub draft_sha256: String,
    pub quote: String,
    pub created_at: String,
    pub expires_at: String,
}

/// The quote `id` of `partner`, if any.
pub async fn by_id(db: &D1Database, partner: &str, id: &QuoteId) -> Result<Option<Row>, ApiError> {
    first(
        db,
        "SELECT draft, draft_sha256, quote, created_at, expires_at FROM quotes WHERE id = ?1 AND partner_id = ?2",
        args![id.as_str(), partner],
    )
    .await
}
