//! The guards on SQLite with the real migrations: a false condition rolls the whole batch back and
//! names its code; a missing row counts as false; true conditions let the batch through.

use super::*;
use crate::ids::{AuthorizationId, PermissionId};
use crate::sql::{migrated, run_batch};

const CUSTOMER: &str = "c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0";
const SESSION: &str = "ses_aaaaaaaaaaaaaaaaaaaaaaaa";
const PERMISSION: &str = "perm_bbbbbbbbbbbbbbbbbbbbbbbb";
const AUTHORIZATION: &str = "auth_cccccccccccccccccccccccc";

/// A distributor, a reseller with a user, one customer with a budget of 100.00 (60.00 used), a live
/// session, a permission, an approved authorization, and a pending order.
fn db() -> rusqlite::Connection {
    let c = migrated();
    c.execute_batch(&format!(
        "INSERT INTO partners (id, kind, name, distributor_id, created_at) VALUES ('{d}', 'distributor', 'D', NULL, 'x'), ('{r}', 'reseller', 'R', '{d}', 'x');
         INSERT INTO partner_users (id, partner_id, name, email, role, created_at) VALUES ('usr_dddddddddddddddddddddddd', '{r}', 'u', 'u@x', 'operator', 'x');
         INSERT INTO customers (id, partner_id, association_type, associated_on, account_name, real_name, mobile_country_code, mobile, email,
           verified_status, customer_type, level, currency, budget_type, budget_amount_minor, budget_used_minor, created_at)
           VALUES ('{CUSTOMER}', '{r}', '3', 'x', 'a', 'n', '0086', '1', 'e', 2, 0, 'v1', 'USD', 'monthly', 10000, 6000, 'x');
         INSERT INTO sessions (id, customer_id, partner_id, source_user_id, source_role, started_at, expires_at)
           VALUES ('{SESSION}', '{CUSTOMER}', '{r}', 'usr_dddddddddddddddddddddddd', 'operator', 'x', 'y');
         INSERT INTO distributor_permissions (id, distributor_id, reseller_id, customer_id, capabilities, granted_at)
           VALUES ('{PERMISSION}', '{d}', '{r}', '{CUSTOMER}', 'order', 'x');
         INSERT INTO authorizations (id, partner_id, customer_id, capabilities, requested_at, valid_days, status, consent_token_hash, code_hash, code_expires_at)
           VALUES ('{AUTHORIZATION}', '{r}', '{CUSTOMER}', 'order', 'x', 30, 'approved', 't', 'h', 'x');
         INSERT INTO orders (order_id, customer_id, partner_id, service_type_code, region, status, amount_minor, currency, period_type, period_num,
           placed_by, session_id, idempotency_key, created_at, draft, request, upstream)
           VALUES ('CS1', '{CUSTOMER}', '{r}', 'hws.service.type.ebs', 'r', 6, 100, 'USD', 'month', 1, 'u', '{SESSION}', 'k', 'x', '{{}}', '{{}}', '{{}}');",
        d = "d".repeat(32),
        r = "e".repeat(32),
    ))
    .expect("fixture");
    c
}

fn customer() -> CustomerId {
    CustomerId::parse(CUSTOMER).expect("id")
}

fn relied_on() -> ReliedOn {
    ReliedOn {
        distributor_permission: PermissionId::parse(PERMISSION),
        authorization: AuthorizationId::parse(AUTHORIZATION),
    }
}

/// A write that the guards protect: marks the order paid.
fn write() -> Statement {
    Statement { sql: "UPDATE orders SET status = 5 WHERE order_id = 'CS1'".into(), params: vec![] }
}

fn status(c: &rusqlite::Connection) -> i64 {
    c.query_row("SELECT status FROM orders WHERE order_id = 'CS1'", [], |r| r.get(0)).expect("order")
}

fn attempt(c: &mut rusqlite::Connection, guards: Vec<Statement>) -> Result<(), Option<Code>> {
    let mut stmts = guards;
    stmts.push(write());
    stmts.push(Statement { sql: CLEAR.into(), params: vec![] });
    run_batch(c, &stmts).map(|_| ()).map_err(|e| failed_guard(&e))
}

#[test]
fn passing_guards_let_the_write_through_and_leave_no_guard_row() {
    let mut c = db();
    let session = SessionId::parse(SESSION).expect("id");
    let mut guards = acting(&session, &customer(), &relied_on());
    guards.push(budget(&customer(), 4000));
    guards.push(order_pending("CS1"));
    assert_eq!(attempt(&mut c, guards), Ok(()));
    assert_eq!(status(&c), 5);
    let left: i64 = c.query_row("SELECT count(*) FROM guards", [], |r| r.get(0)).expect("count");
    assert_eq!(left, 0);
}

#[test]
fn each_failing_guard_rolls_the_batch_back_with_its_own_code() {
    let session = SessionId::parse(SESSION).expect("id");
    let cases: Vec<(&str, Code, Vec<Statement>)> = vec![
        ("", Code::BudgetWouldBeExceeded, vec![budget(&customer(), 4001)]),
        ("UPDATE orders SET status = 4", Code::OrderNotPendingPayment, vec![order_pending("CS1")]),
        ("", Code::OrderNotPendingPayment, vec![order_pending("CS-missing")]),
        ("UPDATE sessions SET ended_at = 'now'", Code::SessionEnded, acting(&session, &customer(), &relied_on())),
        ("UPDATE customers SET frozen = 1", Code::CustomerFrozen, acting(&session, &customer(), &relied_on())),
        (
            "UPDATE customers SET frozen = 1, auto_frozen = 1",
            Code::CustomerAutoFrozen,
            acting(&session, &customer(), &relied_on()),
        ),
        (
            "UPDATE distributor_permissions SET revoked_at = 'now'",
            Code::DistributorPermissionRevoked,
            acting(&session, &customer(), &relied_on()),
        ),
        (
            "UPDATE authorizations SET status = 'revoked'",
            Code::AuthorizationRevoked,
            acting(&session, &customer(), &relied_on()),
        ),
    ];
    for (change, code, guards) in cases {
        let mut c = db();
        if !change.is_empty() {
            c.execute_batch(change).expect("change");
        }
        assert_eq!(attempt(&mut c, guards), Err(Some(code)), "after {change:?}");
        let expected = if change.starts_with("UPDATE orders") { 4 } else { 6 };
        assert_eq!(status(&c), expected, "nothing written after {change:?}");
    }
}

#[test]
fn the_reveal_window_counts_distinct_customers() {
    let mut c = db();
    let user = "usr_dddddddddddddddddddddddd";
    let now = Timestamp::parse("2026-06-01T12:00:00Z").expect("time");
    let event = |id: &str, at: Timestamp| {
        Statement {
        sql: "INSERT INTO audit_events (at, request_id, actor_kind, actor_user_id, action, target_id) VALUES (?1, 'r', 'partner_user', ?2, 'customer.revealed', ?3)".into(),
        params: vec![SqlValue::Text(at.to_string()), SqlValue::Text(user.into()), SqlValue::Text(id.into())],
    }
    };
    let ids: Vec<String> = (0..30).map(|i| format!("{i:032x}")).collect();
    let first: Vec<&str> = ids[..20].iter().map(String::as_str).collect();
    // 20 customers revealed a minute ago no longer count; 20 now do.
    let mut stmts: Vec<Statement> = first.iter().map(|id| event(id, now.plus(-60))).collect();
    stmts.extend(first.iter().map(|id| event(id, now)));
    run_batch(&mut c, &stmts).expect("events");
    let since = now.plus(-60);
    // The same 20 again (another column): still 20 distinct customers.
    assert!(
        run_batch(&mut c, &[reveals(user, since, &first, 30), Statement { sql: CLEAR.into(), params: vec![] }]).is_ok()
    );
    // 10 new ones make 30: allowed; an 11th is not.
    let ten: Vec<&str> = ids[20..30].iter().map(String::as_str).collect();
    assert!(
        run_batch(&mut c, &[reveals(user, since, &ten, 30), Statement { sql: CLEAR.into(), params: vec![] }]).is_ok()
    );
    let eleven_new = [ten.clone(), vec!["ffffffffffffffffffffffffffffffff"]].concat();
    let err = run_batch(&mut c, &[reveals(user, since, &eleven_new, 30)]).expect_err("31 distinct customers");
    assert_eq!(failed_guard(&err), Some(Code::RateLimited));
}

#[test]
fn the_code_of_a_failed_guard_is_read_from_the_error_text() {
    let d1 = "D1_ERROR: CHECK constraint failed: budget_would_be_exceeded: SQLITE_CONSTRAINT";
    assert_eq!(failed_guard(d1), Some(Code::BudgetWouldBeExceeded));
    assert_eq!(failed_guard("CHECK constraint failed: session_ended"), Some(Code::SessionEnded));
    assert_eq!(failed_guard("CHECK constraint failed: guard_failed"), None);
    assert_eq!(failed_guard("UNIQUE constraint failed: orders.order_id"), None);
}
