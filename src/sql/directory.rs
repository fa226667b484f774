//! The directory sync's statements: a step writes its customers and moves the run's cursor in one
//! batch that holds only if the run is where the step found it ([`step_guard`]), so a queue message
//! delivered twice, or the sweep racing the queue, never counts or writes a page twice. A customer
//! is written only if it is still as the step read it ([`upsert`]): a budget set or an order placed
//! here meanwhile is never overwritten by an older listing.

use super::customers::{row_values, INSERT_COLUMNS};
use super::{SqlValue, Statement};
use crate::customers::Customer;
use crate::directory::Run;
use crate::time::Timestamp;

fn text(s: &str) -> SqlValue {
    SqlValue::Text(s.to_string())
}

fn opt_int(n: Option<i64>) -> SqlValue {
    n.map_or(SqlValue::Null, SqlValue::Int)
}

/// The columns a listing may change (everything but the id and the creation time).
fn updated_columns() -> Vec<&'static str> {
    INSERT_COLUMNS.split(',').map(str::trim).filter(|c| *c != "id" && *c != "created_at").collect()
}

/// Writes `c` as listed by run `run`: a new customer is inserted (nothing happens if it appeared
/// meanwhile); a known one is updated only if its partner, freeze state, budget and manager are still
/// those of `read`. Changes nothing when the guard fails: the caller counts it deferred.
pub fn upsert(c: &Customer, read: Option<&Customer>, run: &str, now: Timestamp) -> Statement {
    let mut params = row_values(c, now);
    params.push(text(run));
    let n = params.len();
    let placeholders: Vec<String> = (1..=n).map(|i| format!("?{i}")).collect();
    let insert = format!("INSERT INTO customers ({INSERT_COLUMNS}, seen_sync) VALUES ({})", placeholders.join(", "));
    let Some(old) = read else {
        return Statement { sql: format!("{insert} ON CONFLICT(id) DO NOTHING"), params };
    };
    let set: Vec<String> = updated_columns().iter().map(|c| format!("{c} = excluded.{c}")).collect();
    let b = old.facts.budget.as_ref();
    let guard = [
        ("partner_id", text(old.facts.partner_id.as_str())),
        ("frozen", SqlValue::Int(old.facts.frozen as i64)),
        ("auto_frozen", SqlValue::Int(old.facts.auto_frozen as i64)),
        ("budget_amount_minor", opt_int(b.map(|b| b.amount.minor))),
        ("budget_used_minor", opt_int(b.map(|b| b.used.minor))),
        ("budget_auto_freeze", SqlValue::Int(b.is_some_and(|b| b.auto_freeze) as i64)),
        ("account_manager", old.account_manager.as_deref().map_or(SqlValue::Null, text)),
    ];
    let mut conds = Vec::new();
    for (i, (col, v)) in guard.into_iter().enumerate() {
        conds.push(format!("customers.{col} IS ?{}", n + 1 + i));
        params.push(v);
    }
    let sql = format!(
        "{insert} ON CONFLICT(id) DO UPDATE SET {}, seen_sync = excluded.seen_sync WHERE {}",
        set.join(", "),
        conds.join(" AND ")
    );
    Statement { sql, params }
}

/// Notes that run `run` saw `ids` unchanged (one statement for a page; ids as a JSON array).
pub fn seen(ids_json: &str, run: &str, partner: &str) -> Statement {
    Statement {
        sql: "UPDATE customers SET seen_sync = ?2, gone_at = NULL
                WHERE id IN (SELECT value FROM json_each(?1)) AND partner_id = ?3"
            .into(),
        params: vec![text(ids_json), text(run), text(partner)],
    }
}

/// Marks the partner's customers that run `run` did not see as gone at `now` (kept, with their
/// history; listing them again clears the mark).
pub fn mark_gone(partner: &str, run: &str, now: Timestamp) -> Statement {
    Statement {
        sql: "UPDATE customers SET gone_at = ?3 WHERE partner_id = ?1 AND seen_sync IS NOT ?2 AND gone_at IS NULL"
            .into(),
        params: vec![text(partner), text(run), text(&now.to_string())],
    }
}

/// After [`mark_gone`] in the same batch: the run's count of customers it marked.
pub fn count_marked(run: &str, now: Timestamp) -> Statement {
    Statement {
        sql: "UPDATE directory_syncs SET marked =
                (SELECT count(*) FROM customers WHERE partner_id = directory_syncs.partner_id AND gone_at = ?2 AND seen_sync IS NOT ?1)
              WHERE id = ?1"
            .into(),
        params: vec![text(run), text(&now.to_string())],
    }
}

/// Moves writes that did not apply (the customer changed here meanwhile) from added/changed to deferred.
pub fn defer(run: &str, added: u64, changed: u64) -> Statement {
    Statement {
        sql: "UPDATE directory_syncs SET added = added - ?2, changed = changed - ?3, deferred = deferred + ?2 + ?3 WHERE id = ?1"
            .into(),
        params: vec![text(run), SqlValue::Int(added as i64), SqlValue::Int(changed as i64)],
    }
}

/// Starts `run` unless the partner already has a running one (then nothing happens).
pub fn insert_run(run: &Run, started_by: Option<&str>) -> Statement {
    Statement {
        sql: "INSERT OR IGNORE INTO directory_syncs (id, partner_id, state, trigger, started_by, started_at, updated_at, next_at)
              VALUES (?1, ?2, 'running', ?3, ?4, ?5, ?5, ?5)"
            .into(),
        params: vec![
            text(&run.id),
            text(&run.partner_id),
            text(&run.trigger),
            started_by.map_or(SqlValue::Null, text),
            text(&run.started_at.to_string()),
        ],
    }
}

/// Holds the batch to the run being running, at `cursor`, after `failures` failures (what the step read).
pub fn step_guard(run: &Run) -> Statement {
    Statement {
        sql: "INSERT INTO guards (code, ok) VALUES ('sync_moved',
                coalesce((SELECT state = 'running' AND cursor = ?2 AND failures = ?3 FROM directory_syncs WHERE id = ?1), 0))"
            .into(),
        params: vec![text(&run.id), SqlValue::Int(run.offset as i64), SqlValue::Int(run.failures as i64)],
    }
}

/// Writes the run's progress.
pub fn update_run(r: &Run) -> Statement {
    let c = &r.counts;
    let int = |n: u64| SqlValue::Int(n as i64);
    Statement {
        sql: "UPDATE directory_syncs SET state = ?2, cursor = ?3, total = ?4, added = ?5, changed = ?6, unchanged = ?7,
                unreadable = ?8, deferred = ?9, marked = ?10, pages = ?11, calls = ?12, failures = ?13, last_error = ?14,
                marking = ?15, updated_at = ?16, next_at = ?17, finished_at = ?18
              WHERE id = ?1"
            .into(),
        params: vec![
            text(&r.id),
            text(r.state.as_str()),
            int(r.offset),
            opt_int(r.total.map(|t| t as i64)),
            int(c.added),
            int(c.changed),
            int(c.unchanged),
            int(c.unreadable),
            int(c.deferred),
            int(c.marked),
            int(r.pages),
            int(r.calls),
            SqlValue::Int(r.failures as i64),
            r.last_error.as_deref().map_or(SqlValue::Null, text),
            r.marking.as_deref().map_or(SqlValue::Null, text),
            text(&r.updated_at.to_string()),
            text(&r.next_at.to_string()),
            r.finished_at.map_or(SqlValue::Null, |t| text(&t.to_string())),
        ],
    }
}

#[cfg(test)]
mod tests;
