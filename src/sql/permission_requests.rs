//! The writes of permission requests, each holding its own precondition: an insert only if no request
//! for the same reseller and customer (or "all") is open; a close only if still open; a grant answers
//! the open requests it covers (same rule as `grants::requests::covers`, as SQL) in the grant's batch.

use super::{SqlValue, Statement};
use crate::grants::requests::{PermissionRequest, RequestStatus};
use crate::grants::DistributorPermission;
use crate::ids::{PermissionRequestId, UserId};
use crate::time::Timestamp;

fn text(s: impl Into<String>) -> SqlValue {
    SqlValue::Text(s.into())
}

fn opt(s: Option<&str>) -> SqlValue {
    s.map_or(SqlValue::Null, text)
}

/// The columns [`list`] and the readers select, in the order of `PermissionRequest`'s fields.
pub const COLUMNS: &str = "id, reseller_id, distributor_id, customer_id, capabilities, note, requested_by, requested_at, status, decided_at, decided_by, reason, permission_id";

/// Stores `r` unless a request of the same reseller for the same customer (or for all customers) is
/// open: then no row changes.
pub fn insert(r: &PermissionRequest) -> Statement {
    Statement {
        sql: "INSERT INTO permission_requests (id, reseller_id, distributor_id, customer_id, capabilities, note, requested_by, requested_at, status)
              SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open'
              WHERE NOT EXISTS (SELECT 1 FROM permission_requests WHERE reseller_id = ?2 AND status = 'open'
                                AND COALESCE(customer_id, '*') = COALESCE(?4, '*'))"
            .into(),
        params: vec![
            text(r.id.as_str()),
            text(r.reseller_id.as_str()),
            text(r.distributor_id.as_str()),
            opt(r.customer_id.as_ref().map(|c| c.as_str())),
            text(r.capabilities.to_csv()),
            opt(r.note.as_deref()),
            text(r.requested_by.as_str()),
            text(r.requested_at.to_string()),
        ],
    }
}

/// Closes an open request as `status` (declined, withdrawn); no row changes if it is no longer open.
pub fn close(
    id: &PermissionRequestId,
    status: RequestStatus,
    by: &UserId,
    now: Timestamp,
    reason: Option<&str>,
) -> Statement {
    Statement {
        sql: "UPDATE permission_requests SET status = ?2, decided_by = ?3, decided_at = ?4, reason = ?5
              WHERE id = ?1 AND status = 'open'"
            .into(),
        params: vec![text(id.as_str()), text(status.as_str()), text(by.as_str()), text(now.to_string()), opt(reason)],
    }
}

/// Answers the open requests `perm` covers: same distributor and reseller; a permission for all
/// customers covers every request, one for a customer that customer's; and every capability asked
/// for (capabilities are stored as `order`, `om` or `order,om`).
pub fn answered_by_grant(perm: &DistributorPermission) -> Statement {
    Statement {
        sql: "UPDATE permission_requests SET status = 'granted', decided_by = ?5, decided_at = ?6, permission_id = ?7
              WHERE status = 'open' AND distributor_id = ?1 AND reseller_id = ?2
                AND (?3 IS NULL OR customer_id = ?3) AND (?4 = 'order,om' OR capabilities = ?4)"
            .into(),
        params: vec![
            text(perm.distributor_id.as_str()),
            text(perm.reseller_id.as_str()),
            opt(perm.customer_id.as_ref().map(|c| c.as_str())),
            text(perm.capabilities.to_csv()),
            opt(perm.granted_by.as_ref().map(|u| u.as_str())),
            text(perm.granted_at.to_string()),
            text(perm.id.as_str()),
        ],
    }
}

/// The requests a distributor received (`distributor` column) or a reseller sent (`reseller`),
/// optionally of one status, open first then newest, at most `limit`.
pub fn list(side: Side, partner: &str, status: Option<RequestStatus>, limit: i64) -> Statement {
    let column = match side {
        Side::Distributor => "distributor_id",
        Side::Reseller => "reseller_id",
    };
    Statement {
        sql: format!(
            "SELECT {COLUMNS} FROM permission_requests WHERE {column} = ?1 AND (?2 IS NULL OR status = ?2)
             ORDER BY status = 'open' DESC, requested_at DESC, id DESC LIMIT ?3"
        ),
        params: vec![text(partner), opt(status.map(RequestStatus::as_str)), SqlValue::Int(limit)],
    }
}

/// One request by id.
pub fn by_id(id: &PermissionRequestId) -> Statement {
    Statement {
        sql: format!("SELECT {COLUMNS} FROM permission_requests WHERE id = ?1"),
        params: vec![text(id.as_str())],
    }
}

/// Which side of requests a listing is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Distributor,
    Reseller,
}

#[cfg(test)]
mod tests;
