//! Embedding: portal tokens (only their hashes are stored) and the partner's allowed browser origins.

use super::partners::{credentialed, CredentialRow, Credentialed};
use super::Db;
use super::{all, first, stmt};
use crate::args;
use crate::error::ApiError;
use serde::Serialize;
use worker::D1PreparedStatement;

/// The actor behind a live portal token, by the token's hash: unexpired, unrevoked, and minted by an
/// API key that is not revoked either.
pub async fn actor_by_token_hash(db: &Db, hash: &str, now: &str) -> Result<Option<Credentialed>, ApiError> {
    let row: Option<CredentialRow> = first(
        db,
        "SELECT u.id AS user_id, u.role, p.id AS partner_id, p.kind, p.distributor_id, t.id AS credential_id, t.expires_at
         FROM portal_tokens t JOIN partner_users u ON u.id = t.user_id JOIN partners p ON p.id = u.partner_id
         WHERE t.token_hash = ?1 AND t.expires_at > ?2 AND t.revoked_at IS NULL
           AND (t.api_key_id IS NULL OR EXISTS (SELECT 1 FROM api_keys k WHERE k.id = t.api_key_id AND k.revoked_at IS NULL))",
        args![hash, now],
    )
    .await?;
    row.map(credentialed).transpose()
}

/// Revokes a portal token of `partner` (changes no row if unknown or already revoked).
pub fn revoke_token(db: &Db, partner: &str, id: &str, at: &str) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "UPDATE portal_tokens SET revoked_at = ?3 WHERE id = ?2 AND partner_id = ?1 AND revoked_at IS NULL",
        args![partner, id, at],
    )
}

crate::row! {
    /// A portal token's metadata (never its hash).
    #[derive(Serialize)]
    pub struct PortalTokenRow {
        pub id: String,
        pub user_id: String,
        pub created_by: String,
        pub created_at: String,
        pub expires_at: String,
        pub revoked_at: Option<String>,
    }
}

/// A portal token of `partner`, by id.
pub async fn token(db: &Db, partner: &str, id: &str) -> Result<Option<PortalTokenRow>, ApiError> {
    first(db, "SELECT id, user_id, created_by, created_at, expires_at, revoked_at FROM portal_tokens WHERE partner_id = ?1 AND id = ?2", args![partner, id]).await
}

/// A portal token to insert (only its hash is stored).
pub struct NewPortalToken<'a> {
    pub id: &'a str,
    pub hash: &'a str,
    pub user_id: &'a str,
    pub partner_id: &'a str,
    pub created_by: &'a str,
    /// The API key that minted it: revoking the key stops the token.
    pub api_key_id: &'a str,
    pub created_at: &'a str,
    pub expires_at: &'a str,
}

/// Inserts a portal token.
pub fn insert_token(db: &Db, t: &NewPortalToken) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "INSERT INTO portal_tokens (id, token_hash, user_id, partner_id, created_by, api_key_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        args![t.id, t.hash, t.user_id, t.partner_id, t.created_by, t.api_key_id, t.created_at, t.expires_at],
    )
}

/// The origins `partner` allows.
pub async fn origins(db: &Db, partner: &str) -> Result<Vec<String>, ApiError> {
    crate::row! {
        struct O {
            origin: String,
        }
    }
    Ok(all::<O>(db, "SELECT origin FROM partner_origins WHERE partner_id = ?1 ORDER BY origin", args![partner])
        .await?
        .into_iter()
        .map(|o| o.origin)
        .collect())
}

/// Whether any partner allows `origin` (for preflights, which carry no credentials).
pub async fn origin_known(db: &Db, origin: &str) -> Result<bool, ApiError> {
    crate::row! {
        struct N {
            n: i64,
        }
    }
    Ok(first::<N>(db, "SELECT count(*) AS n FROM partner_origins WHERE origin = ?1", args![origin])
        .await?
        .is_some_and(|r| r.n > 0))
}

/// Statements replacing `partner`'s origins with `list`.
pub fn set_origins(db: &Db, partner: &str, list: &[String]) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let mut v = vec![stmt(db, "DELETE FROM partner_origins WHERE partner_id = ?1", args![partner])?];
    for o in list {
        v.push(stmt(
            db,
            "INSERT INTO partner_origins (partner_id, origin) VALUES (?1, ?2)",
            args![partner, o.as_str()],
        )?);
    }
    Ok(v)
}
