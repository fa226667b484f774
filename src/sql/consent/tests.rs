//! The consent writes on SQLite with the real migrations: whatever the number of guesses sent, at
//! most 5 are claimed per code and 10 per request; codes are replaced only a minute apart and at
//! most 5 times; 10 wrong guesses lock the request.

use super::*;
use crate::consent::code_hash;
use crate::sql::{migrated, run_batch};

const AUTH: &str = "auth_cccccccccccccccccccccccc";

fn id() -> AuthorizationId {
    AuthorizationId::parse(AUTH).expect("id")
}

fn t0() -> Timestamp {
    Timestamp::parse("2026-06-01T12:00:00Z").expect("time")
}

/// A pending request made at t0 whose first code ("123456") was sent at t0.
fn db() -> rusqlite::Connection {
    let c = migrated();
    c.execute_batch(&format!(
        "INSERT INTO partners (id, kind, name, distributor_id, created_at) VALUES ('{d}', 'distributor', 'D', NULL, 'x'), ('{r}', 'reseller', 'R', '{d}', 'x');
         INSERT INTO customers (id, partner_id, association_type, associated_on, account_name, real_name, mobile_country_code, mobile, email,
           verified_status, customer_type, level, currency, created_at)
           VALUES ('{c}', '{r}', '3', 'x', 'a', 'n', '0086', '1', 'e', 2, 0, 'v1', 'USD', 'x');
         INSERT INTO authorizations (id, partner_id, customer_id, capabilities, requested_at, valid_days, status, consent_token_hash, code_hash, code_expires_at)
           VALUES ('{AUTH}', '{r}', '{c}', 'order', '{t0}', 30, 'pending', 't', '{h}', '{exp}');",
        d = "d".repeat(32),
        r = "e".repeat(32),
        c = "c".repeat(32),
        t0 = t0(),
        h = code_hash(&id(), "123456"),
        exp = t0().plus(CODE_TTL),
    ))
    .expect("fixture");
    c
}

fn claimed(c: &mut rusqlite::Connection, code: &str, now: Timestamp) -> bool {
    let out = run_batch(c, &[claim_guess(&id(), &code_hash(&id(), code), now)]).expect("claim");
    !out[0].1.is_empty()
}

fn current_hash(c: &rusqlite::Connection) -> String {
    c.query_row("SELECT code_hash FROM authorizations WHERE id = ?1", [AUTH], |r| r.get(0)).expect("row")
}

fn send(c: &mut rusqlite::Connection, code: &str, now: Timestamp) -> bool {
    let next = CodeState::fresh(code_hash(&id(), code), now, 0);
    run_batch(c, &[replace_code(&id(), &next, now, None)]).expect("replace")[0].0 == 1
}

#[test]
fn at_most_five_guesses_are_claimed_per_code() {
    let mut c = db();
    let now = t0().plus(10);
    let hash = current_hash(&c);
    let wins = (0..20)
        .filter(|_| run_batch(&mut c, &[claim_guess(&id(), &hash, now)]).expect("claim")[0].1.len() == 1)
        .count();
    assert_eq!(wins, MAX_CODE_ATTEMPTS as usize);
}

#[test]
fn a_claim_needs_the_current_live_code_and_a_pending_request() {
    let mut c = db();
    assert!(!claimed(&mut c, "654321", t0()), "a guess is claimed against the stored code only");
    assert!(!claimed(&mut c, "123456", t0().plus(CODE_TTL)), "an expired code takes no guess");
    assert!(!claimed(&mut c, "123456", t0().plus(crate::grants::CONSENT_LINK_TTL)), "a lapsed request takes no guess");
    c.execute_batch("UPDATE authorizations SET status = 'approved'").expect("decide");
    assert!(!claimed(&mut c, "123456", t0()), "a decided request takes no guess");
}

#[test]
fn ten_guesses_per_request_whatever_the_number_of_codes_and_ten_wrong_ones_lock_it() {
    let mut c = db();
    let mut now = t0();
    let mut claims = 0;
    for round in 0..MAX_CODES {
        let code = format!("{:06}", 100_000 + round);
        if round > 0 && !send(&mut c, &code, now) {
            break;
        }
        for _ in 0..MAX_CODE_ATTEMPTS {
            if claimed(&mut c, &code, now) {
                claims += 1;
                let out = run_batch(&mut c, &[record_wrong(&id()), lock_if_exhausted(&id(), now)]).expect("wrong");
                assert_eq!(out[1].0 == 1, claims == MAX_WRONG_GUESSES, "locked exactly at the tenth wrong guess");
            }
        }
        now = now.plus(RESEND_INTERVAL);
    }
    assert_eq!(claims, MAX_GUESSES);
    let status: String = c.query_row("SELECT status FROM authorizations", [], |r| r.get(0)).expect("row");
    assert_eq!(status, "locked");
    assert!(!send(&mut c, "999999", now.plus(3600)), "a locked request sends no code");
}

#[test]
fn codes_are_replaced_a_minute_apart_and_at_most_five_per_request() {
    let mut c = db();
    assert!(!send(&mut c, "000001", t0().plus(59)), "not within a minute of the first code");
    assert!(send(&mut c, "000001", t0().plus(60)));
    assert!(!send(&mut c, "000002", t0().plus(61)), "the minute counts from the newest code");
    let mut now = t0().plus(60);
    let mut sent = 2;
    for n in 3..=8 {
        now = now.plus(RESEND_INTERVAL);
        if send(&mut c, &format!("{n:06}"), now) {
            sent += 1;
        }
    }
    assert_eq!(sent, MAX_CODES);
    // A replaced code resets the per-code attempts.
    let code = format!("{:06}", MAX_CODES);
    assert!(claimed(&mut c, &code, now));
}

#[test]
fn a_partner_resend_replaces_the_link_with_the_code_and_keeps_the_limits() {
    let mut c = db();
    let link = |c: &rusqlite::Connection| -> String {
        c.query_row("SELECT consent_token_hash FROM authorizations WHERE id = ?1", [AUTH], |r| r.get(0)).expect("row")
    };
    let resend = |c: &mut rusqlite::Connection, token: &str, now: Timestamp| {
        let next = CodeState::fresh(code_hash(&id(), "222222"), now, 0);
        run_batch(c, &[replace_code(&id(), &next, now, Some(token))]).expect("replace")[0].0 == 1
    };
    assert!(!resend(&mut c, "t2", t0().plus(30)), "not within a minute of the last code");
    assert_eq!(link(&c), "t", "a refused resend keeps the old link");
    assert!(resend(&mut c, "t2", t0().plus(RESEND_INTERVAL)));
    assert_eq!(link(&c), "t2", "the new link replaces the old one");
    assert!(send(&mut c, "333333", t0().plus(2 * RESEND_INTERVAL)), "the customer's own resend keeps the link");
    assert_eq!(link(&c), "t2");
}
