//! The partner's Huawei key, the customer's Huawei account and agency, the sessions' temporary
//! credentials, and the requests the tracker follows.

use super::Db;
use super::{first, stmt};
use crate::args;
use crate::error::ApiError;
use crate::ids::{CustomerId, PartnerId, SessionId};
use crate::tracking::{TrackState, UpstreamCall};
use worker::D1PreparedStatement;

/// Sets (or rotates) the partner's key: `version` counts up from 1.
pub fn set_key(
    db: &Db,
    partner: &PartnerId,
    key: &crate::huawei::settings::KeyInput,
    secret_sealed: &str,
    user: &str,
    at: &str,
) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "INSERT INTO partner_huawei_keys (partner_id, access_key_id, secret_sealed, account_name, set_by, set_at, version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1)
         ON CONFLICT (partner_id) DO UPDATE SET access_key_id = excluded.access_key_id, secret_sealed = excluded.secret_sealed,
           account_name = coalesce(excluded.account_name, partner_huawei_keys.account_name),
           set_by = excluded.set_by, set_at = excluded.set_at, version = partner_huawei_keys.version + 1",
        args![partner.as_str(), key.access_key_id.as_str(), secret_sealed, key.account_name.clone(), user, at],
    )
}

crate::row! {
    /// The partner's key as shown (the sealed secret is read only to sign, by [`agency`]).
    pub struct KeyRow {
        pub access_key_id: String,
        pub account_name: Option<String>,
        pub set_by: String,
        pub set_at: String,
        pub version: i64,
    }
}

pub async fn key(db: &Db, partner: &PartnerId) -> Result<Option<KeyRow>, ApiError> {
    first(
        db,
        "SELECT access_key_id, account_name, set_by, set_at, version FROM partner_huawei_keys WHERE partner_id = ?1",
        args![partner.as_str()],
    )
    .await
}

/// Records the customer's Huawei account name and agency name with an approval in the same batch,
/// only if that approval took effect (`a` approved at `at`).
pub fn set_account_if_approved(
    db: &Db,
    a: &crate::grants::CustomerAuthorization,
    domain_name: &str,
    agency_name: &str,
    at: crate::time::Timestamp,
) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "UPDATE customers SET huawei_domain_name = ?2, huawei_agency_name = ?3 WHERE id = ?1
           AND EXISTS (SELECT 1 FROM authorizations WHERE id = ?4 AND status = 'approved' AND decided_at = ?5)",
        args![a.customer_id.as_str(), domain_name, agency_name, a.id.as_str(), at.to_string()],
    )
}

/// Records the customer's Huawei account name and agency name.
pub fn set_account(
    db: &Db,
    customer: &CustomerId,
    domain_name: &str,
    agency_name: &str,
) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "UPDATE customers SET huawei_domain_name = ?2, huawei_agency_name = ?3 WHERE id = ?1",
        args![customer.as_str(), domain_name, agency_name],
    )
}

/// The statement reading a customer's Huawei account and agency names (read with [`read_account`]).
pub fn account_stmt(db: &Db, customer: &CustomerId) -> Result<D1PreparedStatement, ApiError> {
    stmt(db, "SELECT huawei_domain_name, huawei_agency_name FROM customers WHERE id = ?1", args![customer.as_str()])
}

/// Reads the row of [`account_stmt`]: the account (domain) name and the agency name.
pub fn read_account(r: &crate::worker::db::StatementResult) -> Result<(Option<String>, Option<String>), ApiError> {
    crate::row! {
        struct Row {
            huawei_domain_name: Option<String>,
            huawei_agency_name: Option<String>,
        }
    }
    let row: Option<Row> = super::row(r, "decode account")?;
    Ok(row.map_or((None, None), |r| (r.huawei_domain_name, r.huawei_agency_name)))
}

/// The partner's key id and sealed secret, to sign its own calls.
pub async fn sealed_key(db: &Db, partner: &PartnerId) -> Result<Option<(String, String)>, ApiError> {
    crate::row! {
        struct Row {
            access_key_id: String,
            secret_sealed: String,
        }
    }
    let r: Option<Row> = first(
        db,
        "SELECT access_key_id, secret_sealed FROM partner_huawei_keys WHERE partner_id = ?1",
        args![partner.as_str()],
    )
    .await?;
    Ok(r.map(|r| (r.access_key_id, r.secret_sealed)))
}

crate::row! {
    /// Everything needed to act in the customer's Huawei account, in one round trip: the partner's key,
    /// the customer's account and agency, and the session's cached temporary credential.
    #[derive(Default)]
    pub struct AgencyRow {
        pub access_key_id: Option<String>,
        pub secret_sealed: Option<String>,
        pub domain_name: Option<String>,
        pub agency_name: Option<String>,
        pub sealed: Option<String>,
        pub expires_at: Option<String>,
        pub projects: Option<String>,
    }
}

pub async fn agency(
    db: &Db,
    partner: &PartnerId,
    customer: &CustomerId,
    session: &SessionId,
) -> Result<AgencyRow, ApiError> {
    let row = first(
        db,
        "SELECT k.access_key_id, k.secret_sealed, c.huawei_domain_name AS domain_name, c.huawei_agency_name AS agency_name,
           s.sealed, s.expires_at, s.projects
         FROM customers c
         LEFT JOIN partner_huawei_keys k ON k.partner_id = ?1
         LEFT JOIN session_credentials s ON s.session_id = ?3
         WHERE c.id = ?2",
        args![partner.as_str(), customer.as_str(), session.as_str()],
    )
    .await?;
    Ok(row.unwrap_or_default())
}

/// The statement of [`agency`] for session `sid` (its partner and customer), to read with the
/// session's own batch (`sessions::acting`); read with [`read_agency`].
pub fn agency_of_session(db: &Db, sid: &SessionId) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "SELECT k.access_key_id, k.secret_sealed, c.huawei_domain_name AS domain_name, c.huawei_agency_name AS agency_name,
           s.sealed, s.expires_at, s.projects
         FROM customers c
         LEFT JOIN partner_huawei_keys k ON k.partner_id = (SELECT partner_id FROM sessions WHERE id = ?1)
         LEFT JOIN session_credentials s ON s.session_id = ?1
         WHERE c.id = (SELECT customer_id FROM sessions WHERE id = ?1)",
        args![sid.as_str()],
    )
}

/// Reads the row of [`agency_of_session`] (all absent when there is none).
pub fn read_agency(r: &crate::worker::db::StatementResult) -> Result<AgencyRow, ApiError> {
    Ok(super::row::<AgencyRow>(r, "decode agency")?.unwrap_or_default())
}

/// Caches a session's temporary credential and the projects found with it.
pub fn cache_credential(
    db: &Db,
    session: &SessionId,
    sealed: &str,
    expires_at: &str,
    projects: &str,
) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "INSERT INTO session_credentials (session_id, sealed, expires_at, projects) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (session_id) DO UPDATE SET sealed = excluded.sealed, expires_at = excluded.expires_at, projects = excluded.projects",
        args![session.as_str(), sealed, expires_at, projects],
    )
}

crate::row! {
    /// A followed request as stored.
    #[derive(Clone)]
    pub struct TrackingRow {
        pub id: String,
        pub partner_id: String,
        pub customer_id: String,
        pub session_id: String,
        pub placed_by: String,
        pub permission_id: Option<String>,
        pub authorization_id: Option<String>,
        pub quote_id: Option<String>,
        pub idempotency_key: String,
        pub region: String,
        pub project_id: String,
        pub path: String,
        pub paid: i64,
        pub amount_minor: i64,
        pub currency: String,
        pub state: String,
        pub watch: Option<String>,
        pub order_id: Option<String>,
        pub draft: String,
        pub request_sealed: String,
        pub answer: Option<String>,
        pub error_code: Option<String>,
        pub reason: Option<String>,
        pub checks: i64,
        pub next_check_at: String,
        pub created_at: String,
        pub updated_at: String,
        pub calls: String,
    }
}

impl TrackingRow {
    pub fn state(&self) -> TrackState {
        TrackState::parse(&self.state).unwrap_or(TrackState::Failed)
    }

    pub fn calls(&self) -> Vec<UpstreamCall> {
        serde_json::from_str(&self.calls).unwrap_or_default()
    }

    /// As the API shows it (`Placement` in openapi.json): the sealed request and the draft stay inside.
    pub fn view(&self) -> serde_json::Value {
        serde_json::json!({
            "id": self.id, "state": self.state, "customer_id": self.customer_id, "order_id": self.order_id,
            "region": self.region, "watch": self.watch.as_deref().and_then(|w| serde_json::from_str::<serde_json::Value>(w).ok()),
            "error_code": self.error_code, "reason": self.reason, "checks": self.checks, "next_check_at": self.next_check_at,
            "created_at": self.created_at, "updated_at": self.updated_at, "calls": self.calls(),
        })
    }
}

pub fn insert_tracking(db: &Db, t: &TrackingRow) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "INSERT INTO upstream_tracking (id, partner_id, customer_id, session_id, placed_by, permission_id, authorization_id, quote_id,
           idempotency_key, region, project_id, path, paid, amount_minor, currency, state, watch, order_id, draft, request_sealed, answer,
           error_code, reason, checks, next_check_at, created_at, updated_at, calls)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28)",
        args![
            t.id.as_str(), t.partner_id.as_str(), t.customer_id.as_str(), t.session_id.as_str(), t.placed_by.as_str(),
            t.permission_id.clone(), t.authorization_id.clone(), t.quote_id.clone(), t.idempotency_key.as_str(), t.region.as_str(),
            t.project_id.as_str(), t.path.as_str(), t.paid, t.amount_minor, t.currency.as_str(), t.state.as_str(), t.watch.clone(),
            t.order_id.clone(), t.draft.as_str(), t.request_sealed.as_str(), t.answer.clone(), t.error_code.clone(), t.reason.clone(),
            t.checks, t.next_check_at.as_str(), t.created_at.as_str(), t.updated_at.as_str(), t.calls.as_str(),
        ],
    )
}

/// Moves a followed request on, only if no one else did since it was read (the same state and
/// number of checks): otherwise the statement fails the batch (guard `tracking_moved`).
pub fn guard_unmoved(db: &Db, t: &TrackingRow) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "INSERT INTO guards (code, ok) VALUES ('tracking_moved',
           coalesce((SELECT state = ?2 AND checks = ?3 FROM upstream_tracking WHERE id = ?1), 0))",
        args![t.id.as_str(), t.state.as_str(), t.checks],
    )
}

/// Writes the followed request's new state (after [`guard_unmoved`] in the same batch).
pub fn update_tracking(db: &Db, t: &TrackingRow) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "UPDATE upstream_tracking SET state = ?2, watch = ?3, order_id = ?4, answer = ?5, error_code = ?6, reason = ?7, checks = ?8,
           next_check_at = ?9, updated_at = ?10, calls = ?11 WHERE id = ?1",
        args![
            t.id.as_str(), t.state.as_str(), t.watch.clone(), t.order_id.clone(), t.answer.clone(), t.error_code.clone(),
            t.reason.clone(), t.checks, t.next_check_at.as_str(), t.updated_at.as_str(), t.calls.as_str(),
        ],
    )
}

pub async fn tracking(db: &Db, id: &str) -> Result<Option<TrackingRow>, ApiError> {
    first(db, "SELECT * FROM upstream_tracking WHERE id = ?1", args![id]).await
}

/// Open requests due for a look at `now` (the Cron Trigger's sweep: a lost queue message, a restart).
pub async fn due(db: &Db, now: &str, limit: i64) -> Result<Vec<String>, ApiError> {
    crate::row! {
        struct Id {
            id: String,
        }
    }
    let rows: Vec<Id> = super::all(
        db,
        "SELECT id FROM upstream_tracking WHERE state IN ('in_doubt', 'running') AND next_check_at <= ?1 ORDER BY next_check_at LIMIT ?2",
        args![now, limit],
    )
    .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}
