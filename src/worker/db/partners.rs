//! Partners, partner users and API keys.

use super::{all, first, stmt, stored};
use crate::args;
use crate::error::ApiError;
use crate::grants::ResellerFacts;
use crate::ids::{ApiKeyId, PartnerId, UserId};
use crate::partners::{Actor, PartnerKind, Role};
use serde::{Deserialize, Serialize};
use worker::{D1Database, D1PreparedStatement};

#[derive(Deserialize)]
struct ActorRow {
    user_id: String,
    role: String,
    partner_id: String,
    kind: String,
    distributor_id: Option<String>,
}

/// The statement reading the source user of session `sid` as an actor (for a batch).
pub fn actor_of_session(db: &D1Database, sid: &str) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "SELECT u.id AS user_id, u.role, p.id AS partner_id, p.kind, p.distributor_id
         FROM sessions s JOIN partner_users u ON u.id = s.source_user_id JOIN partners p ON p.id = u.partner_id WHERE s.id = ?1",
        args![sid],
    )
}

/// Reads the row of [`actor_of_session`].
pub fn actor_from_result(r: &worker::D1Result) -> Result<Option<Actor>, ApiError> {
    let rows: Vec<ActorRow> = r.results().map_err(|e| super::fault("decode actor", e))?;
    rows.into_iter().next().map(actor_from).transpose()
}

/// The actor for partner user `id` (a session's source identity), if the user still exists.
pub async fn actor_by_user(db: &D1Database, id: &UserId) -> Result<Option<Actor>, ApiError> {
    let row: Option<ActorRow> = first(
        db,
        "SELECT u.id AS user_id, u.role, p.id AS partner_id, p.kind, p.distributor_id
         FROM partner_users u JOIN partners p ON p.id = u.partner_id WHERE u.id = ?1",
        args![id.as_str()],
    )
    .await?;
    row.map(actor_from).transpose()
}

fn actor_from(r: ActorRow) -> Result<Actor, ApiError> {
    Ok(Actor {
        user_id: stored("user id", UserId::parse(&r.user_id))?,
        partner_id: stored("partner id", PartnerId::parse(&r.partner_id))?,
        partner_kind: stored("partner kind", PartnerKind::parse(&r.kind))?,
        distributor_id: super::opt_partner("distributor id", r.distributor_id.as_deref())?,
        role: stored("role", Role::parse(&r.role))?,
    })
}

#[derive(Deserialize)]
struct CredentialRow {
    #[serde(flatten)]
    actor: ActorRow,
    credential_id: String,
    expires_at: Option<String>,
}

/// An actor with its credential's id and expiry.
pub type Credentialed = (Actor, String, Option<crate::time::Timestamp>);

fn credentialed(r: CredentialRow) -> Result<Credentialed, ApiError> {
    let expires = super::opt_time("credential expires_at", &r.expires_at)?;
    Ok((actor_from(r.actor)?, r.credential_id, expires))
}

/// The actor behind a live portal token, by the token's hash: unexpired, unrevoked, and minted by an
/// API key that is not revoked either.
pub async fn actor_by_portal_token(db: &D1Database, hash: &str, now: &str) -> Result<Option<Credentialed>, ApiError> {
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
pub fn revoke_portal_token(
    db: &D1Database,
    partner: &str,
    id: &str,
    at: &str,
) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "UPDATE portal_tokens SET revoked_at = ?3 WHERE id = ?2 AND partner_id = ?1 AND revoked_at IS NULL",
        args![partner, id, at],
    )
}

/// A portal token's metadata (never its hash).
#[derive(Deserialize, Serialize)]
pub struct PortalTokenRow {
    pub id: String,
    pub user_id: String,
    pub created_by: String,
    pub created_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
}

/// A portal token of `partner`, by id.
pub async fn portal_token(db: &D1Database, partner: &str, id: &str) -> Result<Option<PortalTokenRow>, ApiError> {
    first(db, "SELECT id, user_id, created_by, created_at, expires_at, revoked_at FROM portal_tokens WHERE partner_id = ?1 AND id = ?2", args![partner, id]).await
}

/// Ends the live sessions started with credential `id`, or with a portal token minted by API key
/// `id` (in the batch that revokes the credential).
pub fn end_sessions_of_credential(db: &D1Database, id: &str, at: &str) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "UPDATE sessions SET ended_at = ?2, end_reason = 'credential_revoked'
         WHERE ended_at IS NULL AND (credential_id = ?1 OR credential_id IN (SELECT id FROM portal_tokens WHERE api_key_id = ?1))",
        args![id, at],
    )
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
pub fn insert_portal_token(db: &D1Database, t: &NewPortalToken) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "INSERT INTO portal_tokens (id, token_hash, user_id, partner_id, created_by, api_key_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        args![t.id, t.hash, t.user_id, t.partner_id, t.created_by, t.api_key_id, t.created_at, t.expires_at],
    )
}

/// The origins `partner` allows.
pub async fn origins(db: &D1Database, partner: &str) -> Result<Vec<String>, ApiError> {
    #[derive(Deserialize)]
    struct O {
        origin: String,
    }
    Ok(all::<O>(db, "SELECT origin FROM partner_origins WHERE partner_id = ?1 ORDER BY origin", args![partner])
        .await?
        .into_iter()
        .map(|o| o.origin)
        .collect())
}

/// Whether any partner allows `origin` (for preflights, which carry no credentials).
pub async fn origin_known(db: &D1Database, origin: &str) -> Result<bool, ApiError> {
    #[derive(Deserialize)]
    struct N {
        n: i64,
    }
    Ok(first::<N>(db, "SELECT count(*) AS n FROM partner_origins WHERE origin = ?1", args![origin])
        .await?
        .is_some_and(|r| r.n > 0))
}

/// Statements replacing `partner`'s origins with `list`.
pub fn set_origins(db: &D1Database, partner: &str, list: &[String]) -> Result<Vec<D1PreparedStatement>, ApiError> {
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

/// The actor behind an unrevoked API key, by the key's hash, with the key's id.
pub async fn actor_by_key_hash(db: &D1Database, hash: &str) -> Result<Option<Credentialed>, ApiError> {
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

/// A partner as `GET /v1/me` shows it.
#[derive(Deserialize, Serialize)]
pub struct PartnerRow {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub distributor_id: Option<String>,
}

/// A partner by id.
pub async fn partner(db: &D1Database, id: &str) -> Result<Option<PartnerRow>, ApiError> {
    first(db, "SELECT id, kind, name, distributor_id FROM partners WHERE id = ?1", args![id]).await
}

/// A reseller's facts for a grant decision; `None` if no such partner.
pub async fn reseller_facts(db: &D1Database, id: &PartnerId) -> Result<Option<ResellerFacts>, ApiError> {
    let Some(p) = partner(db, id.as_str()).await? else { return Ok(None) };
    Ok(Some(ResellerFacts {
        id: id.clone(),
        kind: stored("partner kind", PartnerKind::parse(&p.kind))?,
        distributor_id: super::opt_partner("distributor id", p.distributor_id.as_deref())?,
    }))
}

/// The resellers under a distributor.
pub async fn resellers_of(db: &D1Database, distributor: &str) -> Result<Vec<PartnerRow>, ApiError> {
    all(
        db,
        "SELECT id, kind, name, distributor_id FROM partners WHERE distributor_id = ?1 ORDER BY name",
        args![distributor],
    )
    .await
}

/// A partner user as shown by the API.
#[derive(Deserialize, Serialize)]
pub struct UserRow {
    pub id: String,
    pub partner_id: String,
    pub name: String,
    pub email: String,
    pub role: String,
}

/// A user by id.
pub async fn user(db: &D1Database, id: &str) -> Result<Option<UserRow>, ApiError> {
    first(db, "SELECT id, partner_id, name, email, role FROM partner_users WHERE id = ?1", args![id]).await
}

/// An API key's metadata (never the secret or its hash).
#[derive(Deserialize, Serialize)]
pub struct KeyRow {
    pub id: String,
    pub user_id: String,
    pub label: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// The keys of a partner's users.
pub async fn keys_of_partner(db: &D1Database, partner: &str) -> Result<Vec<KeyRow>, ApiError> {
    all(
        db,
        "SELECT k.id, k.user_id, k.label, k.created_at, k.revoked_at FROM api_keys k JOIN partner_users u ON u.id = k.user_id
         WHERE u.partner_id = ?1 ORDER BY k.created_at DESC, k.id",
        args![partner],
    )
    .await
}

/// A key of a partner's user, by id.
pub async fn key_of_partner(db: &D1Database, partner: &str, id: &str) -> Result<Option<KeyRow>, ApiError> {
    first(
        db,
        "SELECT k.id, k.user_id, k.label, k.created_at, k.revoked_at FROM api_keys k JOIN partner_users u ON u.id = k.user_id
         WHERE u.partner_id = ?1 AND k.id = ?2",
        args![partner, id],
    )
    .await
}

/// Inserts a key (only its hash).
pub fn insert_key(
    db: &D1Database,
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
pub fn revoke_key(db: &D1Database, id: &str, at: &str) -> Result<D1PreparedStatement, ApiError> {
    stmt(db, "UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL", args![id, at])
}
