//! Reading permission requests (the statements are `crate::sql::permission_requests`).

use super::Db;
use super::{all, from_sql, opt_time, stored};
use crate::error::ApiError;
use crate::grants::requests::{PermissionRequest, RequestStatus};
use crate::grants::Capabilities;
use crate::ids::{CustomerId, PartnerId, PermissionId, PermissionRequestId, UserId};
use crate::sql::permission_requests as sql;
use crate::time::Timestamp;

crate::row! {
    struct Row {
        id: String,
        reseller_id: String,
        distributor_id: String,
        customer_id: Option<String>,
        capabilities: String,
        note: Option<String>,
        requested_by: String,
        requested_at: String,
        status: String,
        decided_at: Option<String>,
        decided_by: Option<String>,
        reason: Option<String>,
        permission_id: Option<String>,
    }
}

fn request(r: Row) -> Result<PermissionRequest, ApiError> {
    Ok(PermissionRequest {
        id: stored("request id", PermissionRequestId::parse(&r.id))?,
        reseller_id: stored("reseller id", PartnerId::parse(&r.reseller_id))?,
        distributor_id: stored("distributor id", PartnerId::parse(&r.distributor_id))?,
        customer_id: r.customer_id.as_deref().map(|c| stored("customer id", CustomerId::parse(c))).transpose()?,
        capabilities: stored("capabilities", Capabilities::from_csv(&r.capabilities))?,
        note: r.note,
        requested_by: stored("user id", UserId::parse(&r.requested_by))?,
        requested_at: stored("requested_at", Timestamp::parse(&r.requested_at))?,
        status: stored("status", RequestStatus::parse(&r.status))?,
        decided_at: opt_time("decided_at", &r.decided_at)?,
        decided_by: r.decided_by.as_deref().map(|u| stored("user id", UserId::parse(u))).transpose()?,
        reason: r.reason,
        permission_id: r
            .permission_id
            .as_deref()
            .map(|p| stored("permission id", PermissionId::parse(p)))
            .transpose()?,
    })
}

async fn run(db: &Db, s: crate::sql::Statement) -> Result<Vec<PermissionRequest>, ApiError> {
    all::<Row>(db, &s.sql, from_sql(&s.params)).await?.into_iter().map(request).collect()
}

/// The requests of one side (see [`sql::list`]).
pub async fn list(
    db: &Db,
    side: sql::Side,
    partner: &PartnerId,
    status: Option<RequestStatus>,
    limit: i64,
) -> Result<Vec<PermissionRequest>, ApiError> {
    run(db, sql::list(side, partner.as_str(), status, limit)).await
}

/// One request.
pub async fn by_id(db: &Db, id: &PermissionRequestId) -> Result<Option<PermissionRequest>, ApiError> {
    Ok(run(db, sql::by_id(id)).await?.into_iter().next())
}

/// The statement of [`by_id`] (read with [`read_one`]).
pub fn by_id_stmt(db: &Db, id: &PermissionRequestId) -> Result<worker::D1PreparedStatement, ApiError> {
    super::prepared(db, &sql::by_id(id))
}

/// Reads the row of [`by_id_stmt`].
pub fn read_one(r: &crate::worker::db::StatementResult) -> Result<Option<PermissionRequest>, ApiError> {
    super::row::<Row>(r, "decode permission request")?.map(request).transpose()
}
