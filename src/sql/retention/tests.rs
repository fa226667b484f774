//! The retention sweep on SQLite with the real migrations: only keys past retention go, a chunk at
//! a time, found by the expiry index.

use super::*;
use crate::sql::{migrated, run_batch};

fn key(c: &rusqlite::Connection, key: &str, expires: &str, state: &str) {
    c.execute(
        "INSERT INTO idempotency_keys (partner_id, customer_id, key, fingerprint, state, created_at, expires_at)
         VALUES ('p', 'c', ?1, 'f', ?2, '2026-12-01T00:00:00Z', ?3)",
        rusqlite::params![key, state, expires],
    )
    .expect("insert");
}

fn keys(c: &rusqlite::Connection) -> Vec<String> {
    let mut s = c.prepare("SELECT key FROM idempotency_keys ORDER BY key").expect("prepare");
    s.query_map([], |r| r.get(0)).expect("query").map(|k| k.expect("row")).collect()
}

#[test]
fn a_sweep_forgets_only_keys_past_retention_and_at_most_a_chunk() {
    let mut c = migrated();
    key(&c, "old-done", "2026-12-01T10:00:00Z", "done");
    key(&c, "old-stuck", "2026-12-01T10:00:00Z", "in_flight");
    key(&c, "edge", "2026-12-01T12:00:00Z", "done");
    key(&c, "live", "2026-12-01T12:00:01Z", "done");
    let now = Timestamp::parse("2026-12-01T12:00:00Z").expect("time");
    let changed = run_batch(&mut c, &[purge_idempotency_keys(now, 2)]).expect("sweep");
    assert_eq!(changed[0].0, 2, "a chunk at a time, oldest first");
    assert_eq!(keys(&c), vec!["edge", "live"]);
    run_batch(&mut c, &[purge_idempotency_keys(now, SWEEP_CHUNK)]).expect("sweep");
    assert_eq!(keys(&c), vec!["live"], "a key is kept until its retention has ended");
}

#[test]
fn the_sweep_reads_the_expiry_index_not_the_table() {
    let c = migrated();
    let s = purge_idempotency_keys(Timestamp::parse("2026-12-01T12:00:00Z").expect("time"), 10);
    let plan: Vec<String> = c
        .prepare(&format!("EXPLAIN QUERY PLAN {}", s.sql.replace("?1", "'x'").replace("?2", "10")))
        .expect("plan")
        .query_map([], |r| r.get::<_, String>(3))
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect();
    assert!(plan.iter().any(|p| p.contains("idempotency_keys_expiry")), "{plan:?}");
}
