//! Permission requests on SQLite with the real migrations: one open request per reseller and
//! customer (or "all"), closing once, and a grant answering exactly the open requests it covers.

use super::*;
use crate::grants::requests::PermissionRequest;
use crate::grants::{Capabilities, Capability};
use crate::ids::{CustomerId, PartnerId, PermissionId};
use crate::sql::{migrated, run_batch};

const D: &str = "dddddddddddddddddddddddddddddddd";
const R: &str = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
const C1: &str = "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1";
const C2: &str = "c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2";

fn t0() -> Timestamp {
    Timestamp::parse("2026-12-01T10:00:00Z").expect("time")
}

fn db() -> rusqlite::Connection {
    let c = migrated();
    let customer = |id: &str| {
        format!(
            "INSERT INTO customers (id, partner_id, association_type, associated_on, account_name, real_name, mobile_country_code, mobile, email,
               verified_status, customer_type, level, currency, created_at) VALUES ('{id}', '{R}', '3', 'x', 'a', 'n', '0086', '1', 'e', 2, 0, 'v1', 'USD', 'x');"
        )
    };
    c.execute_batch(&format!(
        "INSERT INTO partners (id, kind, name, distributor_id, created_at) VALUES ('{D}', 'distributor', 'D', NULL, 'x'), ('{R}', 'reseller', 'R', '{D}', 'x');
         {}{}",
        customer(C1),
        customer(C2)
    ))
    .expect("fixture");
    c
}

fn caps(c: &[Capability]) -> Capabilities {
    Capabilities::new(c.to_vec()).expect("caps")
}

fn request(n: u8, customer: Option<&str>, c: &[Capability]) -> PermissionRequest {
    PermissionRequest {
        id: PermissionRequestId::from_bytes(&[n; 12]),
        reseller_id: PartnerId::parse(R).expect("id"),
        distributor_id: PartnerId::parse(D).expect("id"),
        customer_id: customer.map(|c| CustomerId::parse(c).expect("id")),
        capabilities: caps(c),
        note: Some("please".into()),
        requested_by: UserId::from_bytes(&[8; 12]),
        requested_at: t0(),
        status: RequestStatus::Open,
        decided_at: None,
        decided_by: None,
        reason: None,
        permission_id: None,
    }
}

fn changed(c: &mut rusqlite::Connection, s: Statement) -> usize {
    run_batch(c, &[s]).expect("statement")[0].0
}

fn status(c: &rusqlite::Connection, n: u8) -> String {
    let id = PermissionRequestId::from_bytes(&[n; 12]);
    c.query_row("SELECT status FROM permission_requests WHERE id = ?1", [id.as_str()], |r| r.get(0)).expect("row")
}

#[test]
fn one_open_request_per_customer_and_one_for_all() {
    use Capability::Order;
    let mut c = db();
    assert_eq!(changed(&mut c, insert(&request(1, Some(C1), &[Order]))), 1);
    assert_eq!(changed(&mut c, insert(&request(2, Some(C1), &[Order]))), 0, "same customer: already open");
    assert_eq!(changed(&mut c, insert(&request(3, Some(C2), &[Order]))), 1, "another customer");
    assert_eq!(changed(&mut c, insert(&request(4, None, &[Order]))), 1, "all customers");
    assert_eq!(changed(&mut c, insert(&request(5, None, &[Order]))), 0, "all customers: already open");
    let by = UserId::from_bytes(&[8; 12]);
    assert_eq!(changed(&mut c, close(&request(1, None, &[Order]).id, RequestStatus::Withdrawn, &by, t0(), None)), 1);
    assert_eq!(
        changed(&mut c, close(&request(1, None, &[Order]).id, RequestStatus::Declined, &by, t0(), None)),
        0,
        "once"
    );
    assert_eq!(status(&c, 1), "withdrawn");
    assert_eq!(
        changed(&mut c, insert(&request(6, Some(C1), &[Order]))),
        1,
        "a closed request does not block a new one"
    );
    let rows: Vec<String> = {
        let s = list(Side::Distributor, D, Some(RequestStatus::Open), 10);
        let mut q = c.prepare(&s.sql).expect("prepare");
        let params = rusqlite::params_from_iter(s.params.iter().map(|p| match p {
            SqlValue::Null => rusqlite::types::Value::Null,
            SqlValue::Int(n) => rusqlite::types::Value::Integer(*n),
            SqlValue::Text(t) => rusqlite::types::Value::Text(t.clone()),
        }));
        q.query_map(params, |r| r.get::<_, String>(0)).expect("query").map(|r| r.expect("row")).collect()
    };
    assert_eq!(rows.len(), 3, "the distributor's open requests: {rows:?}");
}

#[test]
fn a_grant_answers_the_open_requests_it_covers_and_no_other() {
    use Capability::{Om, Order};
    let mut c = db();
    for r in [request(1, Some(C1), &[Order]), request(2, Some(C2), &[Order]), request(3, None, &[Order, Om])] {
        assert_eq!(changed(&mut c, insert(&r)), 1);
    }
    let grant = |customer: Option<&str>, k: &[Capability]| crate::grants::DistributorPermission {
        id: PermissionId::from_bytes(&[9; 12]),
        distributor_id: PartnerId::parse(D).expect("id"),
        reseller_id: PartnerId::parse(R).expect("id"),
        customer_id: customer.map(|c| CustomerId::parse(c).expect("id")),
        capabilities: caps(k),
        granted_by: Some(UserId::from_bytes(&[7; 12])),
        granted_at: t0(),
        valid_until: None,
        revoked_at: None,
        revoke_reason: None,
    };
    assert_eq!(changed(&mut c, answered_by_grant(&grant(Some(C1), &[Om]))), 0, "not the capability asked for");
    assert_eq!(changed(&mut c, answered_by_grant(&grant(Some(C1), &[Order]))), 1);
    assert_eq!((status(&c, 1), status(&c, 2), status(&c, 3)), ("granted".into(), "open".into(), "open".into()));
    assert_eq!(
        changed(&mut c, answered_by_grant(&grant(None, &[Order]))),
        1,
        "all customers, order: C2's request only"
    );
    assert_eq!(status(&c, 3), "open", "order alone does not answer order and O&M");
    assert_eq!(changed(&mut c, answered_by_grant(&grant(None, &[Order, Om]))), 1);
    assert_eq!(status(&c, 3), "granted");
    let perm: String = c
        .query_row("SELECT permission_id FROM permission_requests WHERE status = 'granted' LIMIT 1", [], |r| r.get(0))
        .expect("row");
    assert_eq!(perm, PermissionId::from_bytes(&[9; 12]).as_str());
}
