//! A partner's message channels (`message_channels`): configuration in clear, the secret sealed.

use super::Db;
use super::{all, first, stmt};
use crate::args;
use crate::delivery::{ChannelKind, Configured};
use crate::error::ApiError;
use crate::ids::PartnerId;
use serde::Serialize;
use worker::D1PreparedStatement;

/// Sets (or replaces) the partner's channel of `kind`.
#[allow(clippy::too_many_arguments)]
pub fn set(
    db: &Db,
    partner: &PartnerId,
    kind: ChannelKind,
    config: &str,
    secret_sealed: &str,
    hint: &str,
    user: &str,
    at: &str,
) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "INSERT INTO message_channels (partner_id, kind, config, secret_sealed, secret_hint, set_by, set_at, version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1)
         ON CONFLICT (partner_id, kind) DO UPDATE SET config = excluded.config, secret_sealed = excluded.secret_sealed,
           secret_hint = excluded.secret_hint, set_by = excluded.set_by, set_at = excluded.set_at,
           version = message_channels.version + 1",
        args![partner.as_str(), kind.as_str(), config, secret_sealed, hint, user, at],
    )
}

/// Removes the partner's channel of `kind` (changes one row if it was there).
pub fn remove(db: &Db, partner: &PartnerId, kind: ChannelKind) -> Result<D1PreparedStatement, ApiError> {
    stmt(db, "DELETE FROM message_channels WHERE partner_id = ?1 AND kind = ?2", args![partner.as_str(), kind.as_str()])
}

crate::row! {
    /// A channel as shown (no secret).
    #[derive(Serialize)]
    pub struct ChannelRow {
        pub kind: String,
        pub config: String,
        pub secret_hint: String,
        pub version: i64,
        pub set_by: String,
        pub set_at: String,
    }
}

/// The partner's channels, as shown.
pub async fn list(db: &Db, partner: &PartnerId) -> Result<Vec<ChannelRow>, ApiError> {
    all(
        db,
        "SELECT kind, config, secret_hint, version, set_by, set_at FROM message_channels WHERE partner_id = ?1 ORDER BY kind",
        args![partner.as_str()],
    )
    .await
}

crate::row! {
    struct KindRow {
        kind: String,
    }
}

/// The statement reading which channels `partner` has (read with [`read_configured`]).
pub fn kinds_stmt(db: &Db, partner: &PartnerId) -> Result<D1PreparedStatement, ApiError> {
    stmt(db, "SELECT kind FROM message_channels WHERE partner_id = ?1", args![partner.as_str()])
}

/// The same, for the partner of the authorization a consent token opens.
pub fn kinds_of_token_stmt(db: &Db, hash: &str) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "SELECT kind FROM message_channels WHERE partner_id = (SELECT partner_id FROM authorizations WHERE consent_token_hash = ?1)",
        args![hash],
    )
}

/// Reads [`kinds_stmt`] or [`kinds_of_token_stmt`].
pub fn read_configured(r: &super::StatementResult) -> Result<Configured, ApiError> {
    let rows: Vec<KindRow> = super::rows(r, "decode channel kinds")?;
    Ok(Configured::of(rows.iter().filter_map(|k| ChannelKind::parse(&k.kind))))
}

crate::row! {
    /// What delivery needs of a channel: its configuration and sealed secret.
    pub struct SecretRow {
        pub config: String,
        pub secret_sealed: String,
    }
}

/// The partner's channel of `kind`, with its sealed secret.
pub async fn for_delivery(db: &Db, partner: &str, kind: ChannelKind) -> Result<Option<SecretRow>, ApiError> {
    first(
        db,
        "SELECT config, secret_sealed FROM message_channels WHERE partner_id = ?1 AND kind = ?2",
        args![partner, kind.as_str()],
    )
    .await
}
