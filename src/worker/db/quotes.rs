//! Stored quotes, read back as the core's [`StoredQuote`].

use super::Db;
use super::{first, stmt, stored};
use crate::args;
use crate::error::ApiError;
use crate::ids::{CustomerId, QuoteId};
use crate::money::{Currency, Money};
use crate::partners::Actor;
use crate::quotes::StoredQuote;
use crate::time::Timestamp;
use serde_json::Value;
use worker::D1PreparedStatement;

/// Inserts a quote made by `actor` from catalog `catalog_version`.
pub fn insert(db: &Db, q: &StoredQuote, actor: &Actor, catalog_version: &str) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "INSERT INTO quotes (id, partner_id, user_id, customer_id, draft, draft_sha256, quote, total_minor, currency, catalog_version, created_at, expires_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        args![
            q.id.as_str(), actor.partner_id.as_str(), actor.user_id.as_str(), q.customer_id.as_str(), q.draft.to_string(), q.draft_sha256.as_str(),
            q.quote.to_string(), q.total.minor, q.total.currency.as_str(), catalog_version, q.created_at.to_string(), q.expires_at.to_string(),
        ],
    )
}

crate::row! {
    struct Row {
        id: String,
        customer_id: String,
        draft: String,
        draft_sha256: String,
        quote: String,
        total_minor: i64,
        currency: String,
        created_at: String,
        expires_at: String,
    }
}

/// The quote `id` of `partner`, if any.
pub async fn by_id(db: &Db, partner: &str, id: &QuoteId) -> Result<Option<StoredQuote>, ApiError> {
    let row: Option<Row> = first(
        db,
        "SELECT id, customer_id, draft, draft_sha256, quote, total_minor, currency, created_at, expires_at FROM quotes WHERE id = ?1 AND partner_id = ?2",
        args![id.as_str(), partner],
    )
    .await?;
    row.map(quote).transpose()
}

/// The statement reading a quote of session `sid`'s partner (read with [`read_quote`]).
pub fn of_session_partner(
    db: &Db,
    sid: &crate::ids::SessionId,
    id: &QuoteId,
) -> Result<worker::D1PreparedStatement, ApiError> {
    super::stmt(
        db,
        "SELECT id, customer_id, draft, draft_sha256, quote, total_minor, currency, created_at, expires_at FROM quotes
         WHERE id = ?1 AND partner_id = (SELECT partner_id FROM sessions WHERE id = ?2)",
        args![id.as_str(), sid.as_str()],
    )
}

/// Reads the row of [`of_session_partner`].
pub fn read_quote(r: &crate::worker::db::StatementResult) -> Result<Option<StoredQuote>, ApiError> {
    super::row::<Row>(r, "decode quote")?.map(quote).transpose()
}

fn quote(r: Row) -> Result<StoredQuote, ApiError> {
    let json = |what: &str, text: &str| serde_json::from_str::<Value>(text).map_err(|e| super::fault(what, e));
    Ok(StoredQuote {
        id: stored("quote id", QuoteId::parse(&r.id))?,
        customer_id: stored("customer id", CustomerId::parse(&r.customer_id))?,
        draft: json("stored draft", &r.draft)?,
        draft_sha256: r.draft_sha256,
        quote: json("stored quote", &r.quote)?,
        total: Money::new(r.total_minor, stored("currency", Currency::parse(&r.currency))?),
        created_at: stored("quote created_at", Timestamp::parse(&r.created_at))?,
        expires_at: stored("quote expires_at", Timestamp::parse(&r.expires_at))?,
    })
}
