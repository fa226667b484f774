//! Switch-role sessions: start, the one-round-trip read of a session request, end (Switch Role,
//! or with the credential that started it).

use super::Db;
use super::{first, stmt, stored};
use crate::args;
use crate::error::ApiError;
use crate::ids::{CustomerId, PartnerId, SessionId, UserId};
use crate::partners::Role;
use crate::portal::{Credential, CredentialRef};
use crate::sessions::{EndReason, Session, SCOPES};
use crate::time::Timestamp;
use worker::D1PreparedStatement;

/// Inserts a session.
pub fn insert(db: &Db, s: &Session) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "INSERT INTO sessions (id, customer_id, partner_id, source_user_id, source_role, permission_id, authorization_id, started_at, expires_at,
           credential_kind, credential_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        args![
            s.id.as_str(), s.customer_id.as_str(), s.partner_id.as_str(), s.source_user_id.as_str(), s.source_role.as_str(),
            s.relied_on.distributor_permission.as_ref().map(|p| p.as_str()), s.relied_on.authorization.as_ref().map(|a| a.as_str()),
            s.started_at.to_string(), s.expires_at.to_string(),
            s.started_with.as_ref().map(|c| c.kind.as_str()), s.started_with.as_ref().map(|c| c.id.as_str()),
        ],
    )
}

crate::row! {
    struct SessionRow {
        id: String,
        customer_id: String,
        partner_id: String,
        source_user_id: String,
        source_role: String,
        permission_id: Option<String>,
        authorization_id: Option<String>,
        started_at: String,
        expires_at: String,
        ended_at: Option<String>,
        end_reason: Option<String>,
        credential_kind: Option<String>,
        credential_id: Option<String>,
    }
}

/// The session `id`.
pub async fn by_id(db: &Db, id: &SessionId) -> Result<Option<Session>, ApiError> {
    let row: Option<SessionRow> = first(db, "SELECT * FROM sessions WHERE id = ?1", args![id.as_str()]).await?;
    row.map(from_row).transpose()
}

/// The statement of [`by_id`] (read with [`read_session`]).
pub fn by_id_stmt(db: &Db, id: &SessionId) -> Result<D1PreparedStatement, ApiError> {
    stmt(db, "SELECT * FROM sessions WHERE id = ?1", args![id.as_str()])
}

/// Reads the row of [`by_id_stmt`].
pub fn read_session(r: &crate::worker::db::StatementResult) -> Result<Option<Session>, ApiError> {
    super::row::<SessionRow>(r, "decode session")?.map(from_row).transpose()
}

/// Everything a session request reads, in one D1 round trip: the session, its source user, its
/// customer, and the grants the check reads (`None` when the session does not exist).
pub struct ActingRows {
    pub session: Session,
    pub actor: Option<crate::partners::Actor>,
    pub customer: Option<crate::customers::Customer>,
    pub permissions: Vec<crate::grants::DistributorPermission>,
    pub authorizations: Vec<crate::grants::CustomerAuthorization>,
    /// What acting in the customer's Huawei account needs (read when asked: Huawei upstream).
    pub agency: Option<super::huawei::AgencyRow>,
}

/// Loads [`ActingRows`] for session `id` with one batch of reads, after `first` (statements of the
/// same request about the session, a write among them: their results come back too).
pub async fn acting(
    db: &Db,
    id: &SessionId,
    first: Vec<D1PreparedStatement>,
    agency: bool,
) -> Result<(Option<ActingRows>, Vec<crate::worker::db::StatementResult>), ApiError> {
    let sid = id.as_str();
    let n = first.len();
    let mut stmts = first;
    stmts.extend([
        stmt(db, "SELECT * FROM sessions WHERE id = ?1", args![sid])?,
        super::partners::actor_of_session(db, sid)?,
        super::customers::of_session(db, sid)?,
        super::grants::permissions_of_session(db, sid)?,
        super::grants::authorizations_of_session(db, sid)?,
    ]);
    if agency {
        stmts.push(super::huawei::agency_of_session(db, id)?);
    }
    let mut first = super::batch_results(db, stmts).await?;
    if first.len() < n {
        return Err(super::fault("session batch", "missing result"));
    }
    let rs = first.split_off(n);
    let get = |i: usize| rs.get(i).ok_or_else(|| super::fault("session batch", "missing result"));
    let sessions: Vec<SessionRow> = get(0)?.results().map_err(|e| super::fault("decode session", e))?;
    let Some(row) = sessions.into_iter().next() else { return Ok((None, first)) };
    let rows = ActingRows {
        session: from_row(row)?,
        actor: super::partners::read_actor(get(1)?)?,
        customer: super::customers::read_customer(get(2)?)?,
        permissions: super::grants::read_permissions(get(3)?)?,
        authorizations: super::grants::read_authorizations(get(4)?)?,
        agency: if agency { Some(super::huawei::read_agency(get(5)?)?) } else { None },
    };
    Ok((Some(rows), first))
}

fn from_row(r: SessionRow) -> Result<Session, ApiError> {
    let t = |what: &str, s: &str| stored(what, Timestamp::parse(s));
    let ended_at = super::opt_time("session ended_at", &r.ended_at)?;
    Ok(Session {
        id: stored("session id", SessionId::parse(&r.id))?,
        customer_id: stored("customer id", CustomerId::parse(&r.customer_id))?,
        partner_id: stored("partner id", PartnerId::parse(&r.partner_id))?,
        source_user_id: stored("user id", UserId::parse(&r.source_user_id))?,
        source_role: stored("role", Role::parse(&r.source_role))?,
        scopes: SCOPES.to_vec(),
        relied_on: super::relied_on(r.permission_id.as_deref(), r.authorization_id.as_deref())?,
        started_at: t("session started_at", &r.started_at)?,
        expires_at: t("session expires_at", &r.expires_at)?,
        end_reason: ended_at
            .map(|_| r.end_reason.as_deref().and_then(EndReason::parse).unwrap_or(EndReason::SwitchRole)),
        ended_at,
        started_with: match (r.credential_kind.as_deref(), r.credential_id) {
            (Some("api_key"), Some(id)) => Some(CredentialRef { kind: Credential::ApiKey, id }),
            (Some("portal_token"), Some(id)) => Some(CredentialRef { kind: Credential::PortalToken, id }),
            _ => None,
        },
    })
}

/// Ends a live session (Switch Role); changes no row if it had already ended.
pub fn end(db: &Db, id: &SessionId, at: Timestamp) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "UPDATE sessions SET ended_at = ?2, end_reason = 'switch_role' WHERE id = ?1 AND ended_at IS NULL",
        args![id.as_str(), at.to_string()],
    )
}

/// Ends the live sessions started with credential `id`, or with a portal token minted by API key
/// `id` (in the batch that revokes the credential).
pub fn end_of_credential(db: &Db, id: &str, at: &str) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "UPDATE sessions SET ended_at = ?2, end_reason = 'credential_revoked'
         WHERE ended_at IS NULL AND (credential_id = ?1 OR credential_id IN (SELECT id FROM portal_tokens WHERE api_key_id = ?1))",
        args![id, at],
    )
}

/// Revokes a credential (`revoke`, a conditional update on an API key or a portal token) with its
/// audit event, and ends the sessions it started, in one batch: the number of sessions ended, or
/// `already` when the credential had been revoked before (and then nothing was written).
pub async fn revoke_credential(
    db: &Db,
    id: &str,
    revoke: D1PreparedStatement,
    event: &crate::audit::AuditEvent,
    at: Timestamp,
    already: crate::error::Code,
) -> Result<usize, ApiError> {
    let changed = super::batch(
        db,
        vec![revoke, super::audit::append_if_changed(db, event)?, end_of_credential(db, id, &at.to_string())?],
    )
    .await?;
    if changed.first() != Some(&1) {
        return Err(ApiError::new(already));
    }
    Ok(changed.get(2).copied().unwrap_or(0))
}
