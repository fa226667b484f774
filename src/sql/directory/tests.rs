//! The sync's writes on SQLite with the real migrations: a re-run changes nothing, a customer
//! changed here meanwhile is not overwritten, a step applies once, and only unseen customers are
//! marked gone (and come back when listed again).

use super::*;
use crate::customers::{Budget, BudgetType};
use crate::directory::{after_page, PageDone, Run};
use crate::huawei::directory::{merge, read_page, Local, Outcome};
use crate::ids::PartnerId;
use crate::money::{Currency, Money};
use crate::sql::guards::CLEAR;
use crate::sql::{migrated, run_batch};
use serde_json::json;

const P: &str = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";

fn now() -> Timestamp {
    Timestamp::parse("2026-12-01T00:00:00Z").unwrap()
}

fn db() -> rusqlite::Connection {
    let c = migrated();
    c.execute_batch(&format!(
        "INSERT INTO partners (id, kind, name, distributor_id, created_at) VALUES ('{d}', 'distributor', 'D', NULL, 'x'), ('{P}', 'reseller', 'R', '{d}', 'x');",
        d = "d".repeat(32)
    ))
    .unwrap();
    c
}

fn listed(id: char, name: &str) -> crate::huawei::directory::Listed {
    let v = json!({"count": 1, "customer_infos": [{"customer_id": id.to_string().repeat(32), "account_name": name,
        "customer": "Real Name", "associated_on": "2025-01-02T03:04:05Z", "association_type": "3", "is_frozen": 0,
        "account_managers": [{"account_name": "Li Na"}]}]});
    read_page(&v).unwrap().customers.remove(0)
}

fn stored(c: &rusqlite::Connection, id: char) -> (String, Option<String>, Option<String>, Option<i64>) {
    c.query_row(
        "SELECT account_name, seen_sync, gone_at, budget_amount_minor FROM customers WHERE id = ?1",
        [id.to_string().repeat(32)],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )
    .unwrap()
}

#[test]
fn listing_twice_writes_once_and_a_change_made_here_meanwhile_wins() {
    let mut c = db();
    let p = PartnerId::parse(P).unwrap();
    let d = PartnerId::parse(&"d".repeat(32)).unwrap();
    let (a, o) = merge(None, &listed('a', "acct-a"), None, &p, Some(&d), Currency::USD);
    assert_eq!(o, Outcome::Added);
    let out = run_batch(&mut c, &[upsert(&a, None, "s1", now())]).unwrap();
    assert!(out[0].0 > 0);
    // Added again by a duplicate step: nothing happens.
    let out = run_batch(&mut c, &[upsert(&a, None, "s1", now())]).unwrap();
    assert_eq!(out[0].0, 0);
    assert_eq!(stored(&c, 'a').0, "acct-a");
    // Renamed in Huawei, read as `a`: applied.
    let (renamed, o) = merge(Some((&a, Local::default())), &listed('a', "acct-a2"), None, &p, Some(&d), Currency::USD);
    assert_eq!(o, Outcome::Changed);
    assert!(run_batch(&mut c, &[upsert(&renamed, Some(&a), "s2", now())]).unwrap()[0].0 > 0);
    assert_eq!(stored(&c, 'a').0, "acct-a2");
    // A budget set here after the step read the row: the older listing does not overwrite it.
    c.execute(
        "UPDATE customers SET budget_type = 'monthly', budget_amount_minor = 500, budget_used_minor = 0 WHERE id = ?1",
        ["a".repeat(32)],
    )
    .unwrap();
    let (again, _) =
        merge(Some((&renamed, Local::default())), &listed('a', "acct-a3"), None, &p, Some(&d), Currency::USD);
    assert_eq!(run_batch(&mut c, &[upsert(&again, Some(&renamed), "s3", now())]).unwrap()[0].0, 0);
    assert_eq!(stored(&c, 'a'), ("acct-a2".into(), Some("s2".into()), None, Some(500)));
    // Read as it is now: applied, keeping the budget merge chose.
    let mut now_row = renamed.clone();
    now_row.facts.budget = Some(Budget {
        budget_type: BudgetType::Monthly,
        amount: Money::new(500, Currency::USD),
        used: Money::new(0, Currency::USD),
        auto_freeze: false,
    });
    let (fresh, _) =
        merge(Some((&now_row, Local::default())), &listed('a', "acct-a3"), None, &p, Some(&d), Currency::USD);
    assert!(run_batch(&mut c, &[upsert(&fresh, Some(&now_row), "s3", now())]).unwrap()[0].0 > 0);
    assert_eq!(stored(&c, 'a'), ("acct-a3".into(), Some("s3".into()), None, Some(500)));
}

#[test]
fn a_step_applies_once_and_the_unseen_are_marked_then_restored() {
    let mut c = db();
    let p = PartnerId::parse(P).unwrap();
    for id in ['a', 'b'] {
        let (x, _) = merge(None, &listed(id, "n"), None, &p, None, Currency::USD);
        run_batch(&mut c, &[upsert(&x, None, "s1", now())]).unwrap();
    }
    let run = Run::start("s2".into(), P.into(), "api", now());
    run_batch(&mut c, &[insert_run(&run, Some("user"))]).unwrap();
    // A second running run of the same partner is not started.
    let other = Run::start("s3".into(), P.into(), "cron", now());
    assert_eq!(run_batch(&mut c, &[insert_run(&other, None)]).unwrap()[0].0, 0);
    let ids = json!(["a".repeat(32)]).to_string();
    let moved =
        after_page(&run, &PageDone { entries: 1, total: 1, unchanged: 1, calls: 2, ..PageDone::default() }, now());
    let step = || {
        vec![step_guard(&run), seen(&ids, "s2", P), update_run(&moved), Statement { sql: CLEAR.into(), params: vec![] }]
    };
    run_batch(&mut c, &step()).unwrap();
    let twice = run_batch(&mut c, &step()).unwrap_err();
    assert!(twice.contains("guard_failed"), "{twice}");
    let (cursor, unchanged): (i64, i64) = c
        .query_row("SELECT cursor, unchanged FROM directory_syncs WHERE id = 's2'", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!((cursor, unchanged), (1, 1), "counted once");
    run_batch(&mut c, &[mark_gone(P, "s2", now())]).unwrap();
    assert_eq!(stored(&c, 'a').2, None);
    assert_eq!(stored(&c, 'b').2, Some(now().to_string()), "not listed: marked, still there");
    // Listed again: the mark goes.
    run_batch(&mut c, &[seen(&json!(["b".repeat(32)]).to_string(), "s4", P)]).unwrap();
    assert_eq!(stored(&c, 'b').2, None);
}
