//! API keys of the partner's users (only their hashes are stored).

use super::partners::{credentialed, CredentialRow, Credentialed};
use super::Db;
use super::{all, first, stmt};
use crate::args;
use crate::error::ApiError;
use crate::ids::ApiKeyId;
use serde::Serialize;
use worker::D1PreparedStatement;

/// The actor behind an unrevoked API key, by the key's hash, with the key's id.
pub async fn actor_by_key_hash(db: &Db, hash: &str) -> Result<Option<Credentialed>, ApiError> {
    let row: Option<CredentialRow> = first(
        db,
        "SELECT u.id AS user_id, u.role, p.id AS partner_id, p.kind, p.distributor_id, k.id AS credential_id, NULL AS expires_at
         FROM api_keys k JOIN partner_users u ON u.id = k.user_id JOIN partners p ON p.id = u.partner_id
         WHERE k.key_hash = ?1 AND k.revoked_at IS NULL",
        args![hash],
    )
    .await?;
    row.map(credentialed).transpose()
}

crate::row! {
    /// An API key's metadata (never the secret or its hash).
    #[derive(Serialize)]
    pub struct KeyRow {
        pub id: String,
        pub user_id: String,
        pub label: String,
        pub created_at: String,
        pub revoked_at: Option<String>,
    }
}

/// The keys of a partner's users.
pub async fn of_partner(db: &Db, partner: &str) -> Result<Vec<KeyRow>, ApiError> {
    all(
        db,
        "SELECT k.id, k.user_id, k.label, k.created_at, k.revoked_at FROM api_keys k JOIN partner_users u ON u.id = k.user_id
         WHERE u.partner_id = ?1 ORDER BY k.created_at DESC, k.id",
        args![partner],
    )
    .await
}

/// A key of a partner's user, by id.
pub async fn by_id(db: &Db, partner: &str, id: &str) -> Result<Option<KeyRow>, ApiError> {
    first(
        db,
        "SELECT k.id, k.user_id, k.label, k.created_at, k.revoked_at FROM api_keys k JOIN partner_users u ON u.id = k.user_id
         WHERE u.partner_id = ?1 AND k.id = ?2",
        args![partner, id],
    )
    .await
}

/// Inserts a key (only its hash).
pub fn insert(
    db: &Db,
    id: &ApiKeyId,
    user: &str,
    hash: &str,
    label: &str,
    at: &str,
) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "INSERT INTO api_keys (id, user_id, key_hash, label, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        args![id.as_str(), user, hash, label, at],
    )
}

/// Revokes a key if not yet revoked.
pub fn revoke(db: &Db, id: &str, at: &str) -> Result<D1PreparedStatement, ApiError> {
    stmt(db, "UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL", args![id, at])
}
