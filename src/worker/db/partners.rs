//! Partners and their users: the actor behind a credential or a session, partner and user views,
//! a distributor's resellers.

use super::Db;
use super::{all, first, stmt, stored};
use crate::args;
use crate::error::ApiError;
use crate::grants::ResellerFacts;
use crate::ids::{PartnerId, UserId};
use crate::partners::{Actor, PartnerKind, Role};
use serde::Serialize;
use worker::D1PreparedStatement;

crate::row! {
    pub(super) struct ActorRow {
        user_id: String,
        role: String,
        partner_id: String,
        kind: String,
        distributor_id: Option<String>,
    }
}

/// The statement reading the source user of session `sid` as an actor (for a batch).
pub fn actor_of_session(db: &Db, sid: &str) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "SELECT u.id AS user_id, u.role, p.id AS partner_id, p.kind, p.distributor_id
         FROM sessions s JOIN partner_users u ON u.id = s.source_user_id JOIN partners p ON p.id = u.partner_id WHERE s.id = ?1",
        args![sid],
    )
}

/// Reads the row of [`actor_of_session`] (in the session batch).
pub fn read_actor(r: &crate::worker::db::StatementResult) -> Result<Option<Actor>, ApiError> {
    let rows: Vec<ActorRow> = r.results().map_err(|e| super::fault("decode actor", e))?;
    rows.into_iter().next().map(actor).transpose()
}

pub(super) fn actor(r: ActorRow) -> Result<Actor, ApiError> {
    Ok(Actor {
        user_id: stored("user id", UserId::parse(&r.user_id))?,
        partner_id: stored("partner id", PartnerId::parse(&r.partner_id))?,
        partner_kind: stored("partner kind", PartnerKind::parse(&r.kind))?,
        distributor_id: super::opt_partner("distributor id", r.distributor_id.as_deref())?,
        role: stored("role", Role::parse(&r.role))?,
    })
}

pub(super) struct CredentialRow {
    actor: ActorRow,
    credential_id: String,
    expires_at: Option<String>,
}

impl super::FromRow for CredentialRow {
    fn from_row(r: &super::Row) -> Self {
        CredentialRow {
            actor: ActorRow::from_row(r),
            credential_id: r.get("credential_id"),
            expires_at: r.get("expires_at"),
        }
    }
}

/// An actor with its credential's id and expiry.
pub type Credentialed = (Actor, String, Option<crate::time::Timestamp>);

pub(super) fn credentialed(r: CredentialRow) -> Result<Credentialed, ApiError> {
    let expires = super::opt_time("credential expires_at", &r.expires_at)?;
    Ok((actor(r.actor)?, r.credential_id, expires))
}

crate::row! {
    /// A partner as `GET /v1/me` shows it.
    #[derive(Serialize)]
    pub struct PartnerRow {
        pub id: String,
        pub kind: String,
        pub name: String,
        pub distributor_id: Option<String>,
    }
}

/// A partner by id.
pub async fn partner(db: &Db, id: &str) -> Result<Option<PartnerRow>, ApiError> {
    first(db, "SELECT id, kind, name, distributor_id FROM partners WHERE id = ?1", args![id]).await
}

/// The statement reading a partner by id (read with `db::row` as a [`PartnerRow`]).
pub fn partner_stmt(db: &Db, id: &str) -> Result<D1PreparedStatement, ApiError> {
    stmt(db, "SELECT id, kind, name, distributor_id FROM partners WHERE id = ?1", args![id])
}

/// The statement reading the partner chosen by `condition` (SQL over `partners`, with `?1` bound to
/// `arg`), read as [`partner_stmt`]'s.
pub fn partner_stmt_where(db: &Db, condition: &str, arg: &str) -> Result<D1PreparedStatement, ApiError> {
    stmt(db, &format!("SELECT id, kind, name, distributor_id FROM partners WHERE {condition}"), args![arg])
}

/// A reseller's facts for a grant decision; `None` if no such partner.
pub async fn reseller_facts(db: &Db, id: &PartnerId) -> Result<Option<ResellerFacts>, ApiError> {
    let Some(p) = partner(db, id.as_str()).await? else { return Ok(None) };
    facts(id, p).map(Some)
}

/// Reads a reseller's facts from the row of [`partner_stmt`].
pub fn read_reseller_facts(
    id: &PartnerId,
    r: &crate::worker::db::StatementResult,
) -> Result<Option<ResellerFacts>, ApiError> {
    super::row::<PartnerRow>(r, "decode partner")?.map(|p| facts(id, p)).transpose()
}

fn facts(id: &PartnerId, p: PartnerRow) -> Result<ResellerFacts, ApiError> {
    Ok(ResellerFacts {
        id: id.clone(),
        kind: stored("partner kind", PartnerKind::parse(&p.kind))?,
        distributor_id: super::opt_partner("distributor id", p.distributor_id.as_deref())?,
    })
}

/// The resellers under a distributor.
pub async fn resellers_of(db: &Db, distributor: &str) -> Result<Vec<PartnerRow>, ApiError> {
    all(
        db,
        "SELECT id, kind, name, distributor_id FROM partners WHERE distributor_id = ?1 ORDER BY name",
        args![distributor],
    )
    .await
}

crate::row! {
    /// A partner user as shown by the API.
    #[derive(Serialize)]
    pub struct UserRow {
        pub id: String,
        pub partner_id: String,
        pub name: String,
        pub email: String,
        pub role: String,
    }
}

/// A user by id.
pub async fn user(db: &Db, id: &str) -> Result<Option<UserRow>, ApiError> {
    first(db, "SELECT id, partner_id, name, email, role FROM partner_users WHERE id = ?1", args![id]).await
}

struct MeRow {
    user: UserRow,
    p_kind: String,
    p_name: String,
    p_distributor_id: Option<String>,
}

impl super::FromRow for MeRow {
    fn from_row(r: &super::Row) -> Self {
        MeRow {
            user: UserRow::from_row(r),
            p_kind: r.get("p_kind"),
            p_name: r.get("p_name"),
            p_distributor_id: r.get("p_distributor_id"),
        }
    }
}

/// A user and their partner, in one query.
pub async fn user_and_partner(db: &Db, id: &str) -> Result<Option<(UserRow, PartnerRow)>, ApiError> {
    let row: Option<MeRow> = first(
        db,
        "SELECT u.id, u.partner_id, u.name, u.email, u.role, p.kind AS p_kind, p.name AS p_name, p.distributor_id AS p_distributor_id
         FROM partner_users u JOIN partners p ON p.id = u.partner_id WHERE u.id = ?1",
        args![id],
    )
    .await?;
    Ok(row.map(|r| {
        let partner = PartnerRow {
            id: r.user.partner_id.clone(),
            kind: r.p_kind,
            name: r.p_name,
            distributor_id: r.p_distributor_id,
        };
        (r.user, partner)
    }))
}

crate::row! {
    struct NameRow {
        id: String,
        name: String,
    }
}

/// Partner users' names by id.
pub type Names = std::collections::BTreeMap<String, String>;

/// The names of some partner users, by id (unknown ids are left out).
pub async fn user_names(db: &Db, ids: &[&str]) -> Result<Names, ApiError> {
    let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    let rows: Vec<NameRow> =
        all(db, "SELECT id, name FROM partner_users WHERE id IN (SELECT value FROM json_each(?1))", args![list])
            .await?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}

/// Reads `(id, name)` rows of partner users.
pub fn read_names(r: &crate::worker::db::StatementResult) -> Result<Names, ApiError> {
    let rows: Vec<NameRow> = r.results().map_err(|e| super::fault("decode names", e))?;
    Ok(rows.into_iter().map(|r| (r.id, r.name)).collect())
}
