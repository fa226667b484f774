//! Distributor permissions and customer authorizations.

use super::Db;
use super::{all, first, opt_time, stmt, stored};
use crate::args;
use crate::consent::CodeState;
use crate::error::ApiError;
use crate::grants::{AuthStatus, Capabilities, CustomerAuthorization, DistributorPermission};
use crate::ids::{AuthorizationId, CustomerId, PartnerId, PermissionId, UserId};
use crate::time::Timestamp;
use worker::D1PreparedStatement;

fn opt_user(s: &Option<String>) -> Result<Option<UserId>, ApiError> {
    s.as_deref().map(|u| stored("user id", UserId::parse(u))).transpose()
}

// ------------------------------------------------------------------------------------------------
// Distributor permissions
// ------------------------------------------------------------------------------------------------

crate::row! {
    struct PermRow {
        id: String,
        distributor_id: String,
        reseller_id: String,
        customer_id: Option<String>,
        capabilities: String,
        granted_by: Option<String>,
        granted_at: String,
        valid_until: Option<String>,
        revoked_at: Option<String>,
        revoke_reason: Option<String>,
    }
}

fn perm(r: PermRow) -> Result<DistributorPermission, ApiError> {
    Ok(DistributorPermission {
        id: stored("permission id", PermissionId::parse(&r.id))?,
        distributor_id: stored("distributor id", PartnerId::parse(&r.distributor_id))?,
        reseller_id: stored("reseller id", PartnerId::parse(&r.reseller_id))?,
        customer_id: r.customer_id.as_deref().map(|c| stored("customer id", CustomerId::parse(c))).transpose()?,
        capabilities: stored("capabilities", Capabilities::from_csv(&r.capabilities))?,
        granted_by: opt_user(&r.granted_by)?,
        granted_at: stored("granted_at", Timestamp::parse(&r.granted_at))?,
        valid_until: opt_time("valid_until", &r.valid_until)?,
        revoked_at: opt_time("revoked_at", &r.revoked_at)?,
        revoke_reason: r.revoke_reason,
    })
}

use crate::sql::PERMISSION_COLUMNS as PERM_COLS;

/// The statement reading every permission (any state) that could concern `reseller` acting for
/// `customer` the permissions `reseller` may rely on for `customer` (read with [`read_permissions`]).
pub fn permissions_for(db: &Db, reseller: &PartnerId, customer: &CustomerId) -> Result<D1PreparedStatement, ApiError> {
    let sql = format!("SELECT {PERM_COLS} FROM distributor_permissions WHERE reseller_id = ?1 AND (customer_id IS NULL OR customer_id = ?2) ORDER BY granted_at, id");
    stmt(db, &sql, args![reseller.as_str(), customer.as_str()])
}

/// The statement reading the permissions session `sid` may rely on (its partner as reseller, its customer).
pub fn permissions_of_session(db: &Db, sid: &str) -> Result<D1PreparedStatement, ApiError> {
    let sql = format!("SELECT {PERM_COLS} FROM distributor_permissions WHERE reseller_id = (SELECT partner_id FROM sessions WHERE id = ?1)
        AND (customer_id IS NULL OR customer_id = (SELECT customer_id FROM sessions WHERE id = ?1)) ORDER BY granted_at, id");
    stmt(db, &sql, args![sid])
}

/// The statement reading the authorizations of session `sid`'s customer to its partner.
pub fn authorizations_of_session(db: &Db, sid: &str) -> Result<D1PreparedStatement, ApiError> {
    let sql = format!(
        "SELECT {AUTH_COLS} FROM authorizations WHERE customer_id = (SELECT customer_id FROM sessions WHERE id = ?1)
        AND partner_id = (SELECT partner_id FROM sessions WHERE id = ?1) ORDER BY requested_at DESC, id LIMIT 200"
    );
    stmt(db, &sql, args![sid])
}

/// The permissions `reseller` holds for all of its customers (no customer named): with those a page
/// row carries ([`crate::sql::customers::Compiled::page_sql`]), what a page's prerequisites rely on.
pub fn general_permissions(db: &Db, reseller: &PartnerId) -> Result<D1PreparedStatement, ApiError> {
    let sql = format!(
        "SELECT {PERM_COLS} FROM distributor_permissions WHERE reseller_id = ?1 AND customer_id IS NULL ORDER BY granted_at, id"
    );
    stmt(db, &sql, args![reseller.as_str()])
}

/// Reads the permissions in a page row's `permissions` field (rows in [`PERM_COLS`] order).
pub fn permissions_in_row(rows: &serde_json::Value) -> Result<Vec<DistributorPermission>, ApiError> {
    let names: Vec<&str> = PERM_COLS.split(", ").collect();
    super::rows_from_value::<PermRow>(rows, &names)
        .map_err(|e| super::fault("decode permissions", e))?
        .into_iter()
        .map(perm)
        .collect()
}

/// Reads the rows of [`general_permissions`], [`permissions_for`] or [`permissions_of_session`].
pub fn read_permissions(r: &crate::worker::db::StatementResult) -> Result<Vec<DistributorPermission>, ApiError> {
    r.results::<PermRow>().map_err(|e| super::fault("decode permissions", e))?.into_iter().map(perm).collect()
}

/// Permissions granted by a distributor or received by a reseller (`partner`), optionally only for one reseller.
pub async fn permissions_of(
    db: &Db,
    partner: &PartnerId,
    reseller: Option<&PartnerId>,
) -> Result<Vec<DistributorPermission>, ApiError> {
    let sql = format!(
        "SELECT {PERM_COLS} FROM distributor_permissions WHERE (distributor_id = ?1 OR reseller_id = ?1) AND (?2 IS NULL OR reseller_id = ?2)
         ORDER BY granted_at DESC, id LIMIT 500"
    );
    all::<PermRow>(db, &sql, args![partner.as_str(), reseller.map(|r| r.as_str())])
        .await?
        .into_iter()
        .map(perm)
        .collect()
}

/// One permission by id.
pub async fn permission(db: &Db, id: &PermissionId) -> Result<Option<DistributorPermission>, ApiError> {
    let r = super::batch_results(db, vec![permission_stmt(db, id)?]).await?;
    read_permissions(super::only(&r)?).map(|v| v.into_iter().next())
}

/// The statement of [`permission`] (read with [`read_permissions`]).
pub fn permission_stmt(db: &Db, id: &PermissionId) -> Result<D1PreparedStatement, ApiError> {
    stmt(db, &format!("SELECT {PERM_COLS} FROM distributor_permissions WHERE id = ?1"), args![id.as_str()])
}

/// Inserts a new permission.
pub fn insert_permission(db: &Db, p: &DistributorPermission) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "INSERT INTO distributor_permissions (id, distributor_id, reseller_id, customer_id, capabilities, granted_by, granted_at, valid_until) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        args![
            p.id.as_str(), p.distributor_id.as_str(), p.reseller_id.as_str(), p.customer_id.as_ref().map(|c| c.as_str()),
            p.capabilities.to_csv(), p.granted_by.as_ref().map(|u| u.as_str()), p.granted_at.to_string(), p.valid_until.map(|t| t.to_string()),
        ],
    )
}

/// Revokes a permission unless already revoked.
pub fn revoke_permission(
    db: &Db,
    id: &PermissionId,
    by: &UserId,
    at: Timestamp,
    reason: Option<&str>,
) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "UPDATE distributor_permissions SET revoked_at = ?2, revoked_by = ?3, revoke_reason = ?4 WHERE id = ?1 AND revoked_at IS NULL",
        args![id.as_str(), at.to_string(), by.as_str(), reason],
    )
}

// ------------------------------------------------------------------------------------------------
// Customer authorizations
// ------------------------------------------------------------------------------------------------

crate::row! {
    pub(super) struct AuthRow {
        id: String,
        partner_id: String,
        customer_id: String,
        capabilities: String,
        requested_by: Option<String>,
        requested_at: String,
        valid_days: i64,
        status: String,
        decided_at: Option<String>,
        expires_at: Option<String>,
        revoked_at: Option<String>,
        reason: Option<String>,
        code_hash: String,
        code_expires_at: String,
        code_attempts: i64,
        codes_sent: i64,
        guesses: i64,
    }
}

pub(super) fn auth(r: AuthRow) -> Result<(CustomerAuthorization, CodeState), ApiError> {
    let a = CustomerAuthorization {
        id: stored("authorization id", AuthorizationId::parse(&r.id))?,
        partner_id: stored("partner id", PartnerId::parse(&r.partner_id))?,
        customer_id: stored("customer id", CustomerId::parse(&r.customer_id))?,
        capabilities: stored("capabilities", Capabilities::from_csv(&r.capabilities))?,
        requested_by: opt_user(&r.requested_by)?,
        requested_at: stored("requested_at", Timestamp::parse(&r.requested_at))?,
        valid_days: r.valid_days,
        status: stored("status", AuthStatus::parse(&r.status))?,
        decided_at: opt_time("decided_at", &r.decided_at)?,
        expires_at: opt_time("expires_at", &r.expires_at)?,
        revoked_at: opt_time("revoked_at", &r.revoked_at)?,
        reason: r.reason,
    };
    let code = CodeState {
        hash: r.code_hash,
        expires_at: stored("code_expires_at", Timestamp::parse(&r.code_expires_at))?,
        attempts: r.code_attempts,
        codes_sent: r.codes_sent,
        guesses: r.guesses,
    };
    Ok((a, code))
}

pub(super) use crate::sql::AUTHORIZATION_COLUMNS as AUTH_COLS;

/// Authorizations of `customer`, optionally only those given to `partner`, newest first.
pub async fn authorizations_for(
    db: &Db,
    customer: &CustomerId,
    partner: Option<&PartnerId>,
) -> Result<Vec<CustomerAuthorization>, ApiError> {
    let r = super::batch_results(db, vec![authorizations_for_stmt(db, customer, partner)?]).await?;
    read_authorizations(super::only(&r)?)
}

/// The statement of [`authorizations_for`] (for a batch; read with [`read_authorizations`]).
pub fn authorizations_for_stmt(
    db: &Db,
    customer: &CustomerId,
    partner: Option<&PartnerId>,
) -> Result<D1PreparedStatement, ApiError> {
    let sql = format!("SELECT {AUTH_COLS} FROM authorizations WHERE customer_id = ?1 AND (?2 IS NULL OR partner_id = ?2) ORDER BY requested_at DESC, id LIMIT 200");
    stmt(db, &sql, args![customer.as_str(), partner.map(|p| p.as_str())])
}

/// Reads the authorizations in a page row's `authorizations` field (rows in [`AUTH_COLS`] order).
pub fn authorizations_in_row(rows: &serde_json::Value) -> Result<Vec<CustomerAuthorization>, ApiError> {
    let names: Vec<&str> = AUTH_COLS.split(", ").collect();
    super::rows_from_value::<AuthRow>(rows, &names)
        .map_err(|e| super::fault("decode authorizations", e))?
        .into_iter()
        .map(|r| auth(r).map(|(a, _)| a))
        .collect()
}

/// Reads the rows of [`authorizations_for_stmt`] or [`authorizations_of_session`].
pub fn read_authorizations(r: &crate::worker::db::StatementResult) -> Result<Vec<CustomerAuthorization>, ApiError> {
    r.results::<AuthRow>()
        .map_err(|e| super::fault("decode authorizations", e))?
        .into_iter()
        .map(|r| auth(r).map(|(a, _)| a))
        .collect()
}

/// One authorization by id.
pub async fn authorization(db: &Db, id: &AuthorizationId) -> Result<Option<CustomerAuthorization>, ApiError> {
    let sql = format!("SELECT {AUTH_COLS} FROM authorizations WHERE id = ?1");
    Ok(first::<AuthRow>(db, &sql, args![id.as_str()]).await?.map(auth).transpose()?.map(|(a, _)| a))
}

/// Inserts a pending request with its consent token and code hashes.
pub fn insert_authorization(
    db: &Db,
    a: &CustomerAuthorization,
    token_hash: &str,
    code: &CodeState,
) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "INSERT INTO authorizations (id, partner_id, customer_id, capabilities, requested_by, requested_at, valid_days, status, consent_token_hash, code_hash, code_expires_at, code_attempts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8, ?9, ?10, 0)",
        args![
            a.id.as_str(), a.partner_id.as_str(), a.customer_id.as_str(), a.capabilities.to_csv(), a.requested_by.as_ref().map(|u| u.as_str()),
            a.requested_at.to_string(), a.valid_days, token_hash, code.hash.as_str(), code.expires_at.to_string(),
        ],
    )
}

/// Moves a pending authorization to `status` (withdrawn, rejected) with an optional reason.
pub fn close_pending(
    db: &Db,
    id: &AuthorizationId,
    status: AuthStatus,
    at: Timestamp,
    reason: Option<&str>,
) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "UPDATE authorizations SET status = ?2, decided_at = ?3, reason = ?4 WHERE id = ?1 AND status = 'pending'",
        args![id.as_str(), status.as_str(), at.to_string(), reason],
    )
}

/// Revokes an approved authorization.
pub fn revoke(db: &Db, id: &AuthorizationId, at: Timestamp, reason: &str) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "UPDATE authorizations SET status = 'revoked', revoked_at = ?2, reason = ?3 WHERE id = ?1 AND status = 'approved'",
        args![id.as_str(), at.to_string(), reason],
    )
}
