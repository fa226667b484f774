//! Preconditions enforced by the write itself. A precondition read before a batch is a race: another
//! request may change the row between the read and the write. So a write batch starts with guard
//! rows, `INSERT INTO guards (code, ok) VALUES ('<code>', <condition>)`, evaluated inside the same
//! transaction as the writes (a D1 batch is one). A false condition fails the CHECK named after the
//! code (migration 0016) and rolls the whole batch back; [`failed_guard`] reads the code back from
//! the error text. The batch ends with [`CLEAR`].

use super::{SqlValue, Statement};
use crate::error::Code;
use crate::ids::{CustomerId, SessionId};
use crate::portal::{Credential, CredentialRef};
use crate::prerequisites::ReliedOn;
use crate::time::Timestamp;

/// The last statement of a guarded batch: empties the guard table.
pub const CLEAR: &str = "DELETE FROM guards";

/// A guard row: the batch fails with `code` unless the SQL expression `condition` is true. A NULL
/// (e.g. a missing row) counts as false.
pub fn guard(code: Code, condition: &str, params: Vec<SqlValue>) -> Statement {
    Statement {
        sql: format!("INSERT INTO guards (code, ok) VALUES ('{}', coalesce(({condition}), 0))", code.as_str()),
        params,
    }
}

/// The code of the guard that failed a batch, from the database's error text
/// (`D1_ERROR: CHECK constraint failed: budget_would_be_exceeded: SQLITE_CONSTRAINT`).
pub fn failed_guard(message: &str) -> Option<Code> {
    const MARK: &str = "CHECK constraint failed: ";
    let rest = &message[message.find(MARK)? + MARK.len()..];
    let name: String = rest.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
    Code::parse(&name)
}

fn text(s: &str) -> SqlValue {
    SqlValue::Text(s.to_string())
}

/// The budget of `customer` has room for `amount` (minor units) at commit time.
pub fn budget(customer: &CustomerId, amount: i64) -> Statement {
    guard(
        Code::BudgetWouldBeExceeded,
        "SELECT budget_amount_minor IS NULL OR budget_used_minor + ?2 <= budget_amount_minor FROM customers WHERE id = ?1",
        vec![text(customer.as_str()), SqlValue::Int(amount)],
    )
}

/// The order is still pending payment (Huawei status 6) at commit time.
pub fn order_pending(order_id: &str) -> Statement {
    guard(Code::OrderNotPendingPayment, "SELECT status = 6 FROM orders WHERE order_id = ?1", vec![text(order_id)])
}

/// What a switch-role session relies on, held at commit time: the customer is not frozen, and the
/// permission and authorization relied on are not revoked. Expiry by time was checked against the
/// request's clock and cannot change between the read and the write.
pub fn relied_on(customer: &CustomerId, relied_on: &ReliedOn) -> Vec<Statement> {
    let mut v = vec![
        guard(
            Code::CustomerAutoFrozen,
            "SELECT auto_frozen = 0 FROM customers WHERE id = ?1",
            vec![text(customer.as_str())],
        ),
        guard(Code::CustomerFrozen, "SELECT frozen = 0 FROM customers WHERE id = ?1", vec![text(customer.as_str())]),
    ];
    if let Some(p) = &relied_on.distributor_permission {
        v.push(guard(
            Code::DistributorPermissionRevoked,
            "SELECT revoked_at IS NULL FROM distributor_permissions WHERE id = ?1",
            vec![text(p.as_str())],
        ));
    }
    if let Some(a) = &relied_on.authorization {
        v.push(guard(
            Code::AuthorizationRevoked,
            "SELECT status = 'approved' FROM authorizations WHERE id = ?1",
            vec![text(a.as_str())],
        ));
    }
    v
}

/// A write made through a switch-role session: the session has not ended (Switch Role, or its
/// credential was revoked), and what it relies on still holds ([`relied_on`]).
pub fn acting(session: &SessionId, customer: &CustomerId, relied: &ReliedOn) -> Vec<Statement> {
    let mut v = vec![guard(
        Code::SessionEnded,
        "SELECT ended_at IS NULL FROM sessions WHERE id = ?1",
        vec![text(session.as_str())],
    )];
    v.extend(relied_on(customer, relied));
    v
}

/// The credential a request authenticated with still works at commit time: an API key not revoked;
/// a portal token unexpired, not revoked, and minted by a key that is not revoked.
pub fn credential_live(credential: &CredentialRef, now: Timestamp) -> Statement {
    match credential.kind {
        Credential::ApiKey => guard(Code::Unauthenticated, "SELECT revoked_at IS NULL FROM api_keys WHERE id = ?1", vec![text(&credential.id)]),
        Credential::PortalToken => guard(
            Code::Unauthenticated,
            "SELECT t.revoked_at IS NULL AND t.expires_at > ?2 AND (t.api_key_id IS NULL OR (SELECT k.revoked_at IS NULL FROM api_keys k WHERE k.id = t.api_key_id))
             FROM portal_tokens t WHERE t.id = ?1",
            vec![text(&credential.id), text(&now.to_string())],
        ),
    }
}

/// `user` may see `customers` now: the distinct customers it revealed since `since` (one audit event
/// per customer and request) together with these stay within `limit`.
pub fn reveals(user: &str, since: Timestamp, customers: &[&str], limit: i64) -> Statement {
    let ids = serde_json::Value::from(customers.to_vec()).to_string();
    guard(
        Code::RateLimited,
        "SELECT count(*) <= ?4 FROM (SELECT target_id FROM audit_events WHERE actor_user_id = ?1 AND action = 'customer.revealed' AND at > ?2
           UNION SELECT value FROM json_each(?3))",
        vec![text(user), text(&since.to_string()), SqlValue::Text(ids), SqlValue::Int(limit)],
    )
}

#[cfg(test)]
mod tests;
