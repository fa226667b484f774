//! Syncing a partner's customer directory from its upstream, as rules on plain data: a sync run
//! pages through the directory across many short invocations (each takes at most
//! [`PAGES_PER_STEP`] pages, so CPU time, subrequests and bound parameters stay far inside one
//! invocation's limits), keeps its cursor and counts in the database, backs off on failures, and
//! marks the customers the directory no longer lists only when it read the whole list.

use crate::time::Timestamp;
use serde::Serialize;

/// Pages (of `crate::huawei::directory::PAGE` customers) per invocation: 2 subrequests to Huawei
/// and 2 database statements each.
pub const PAGES_PER_STEP: u32 = 10;
/// Consecutive failures after which a run gives up (the next one starts over).
pub const MAX_FAILURES: u32 = 8;
/// A running sync not moved for this long has lost its queue message; the sweep resumes it.
pub const STALLED_SECONDS: i64 = 120;
/// How often the Cron Trigger syncs each partner, unless `DIRECTORY_SYNC_MINUTES` says otherwise
/// (0 turns the scheduled sync off; `POST /v1/customers/sync` still works).
pub const DEFAULT_INTERVAL_MINUTES: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    Running,
    Done,
    Failed,
}

impl RunState {
    pub fn as_str(self) -> &'static str {
        match self {
            RunState::Running => "running",
            RunState::Done => "done",
            RunState::Failed => "failed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "running" => Some(RunState::Running),
            "done" => Some(RunState::Done),
            "failed" => Some(RunState::Failed),
            _ => None,
        }
    }
}

/// Counts of what a run did so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Customers new to onbehalf.
    pub added: u64,
    /// Customers whose listing changed something here.
    pub changed: u64,
    pub unchanged: u64,
    /// Listed entries without a usable id, account name or association (left alone, counted).
    pub unreadable: u64,
    /// Changes not applied because the customer changed here meanwhile (the next run applies them).
    pub deferred: u64,
    /// Customers no longer listed, marked (not deleted) at the end.
    pub marked: u64,
}

/// One sync run of one partner's directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    pub id: String,
    pub partner_id: String,
    pub state: RunState,
    /// `api` (someone asked) or `cron`.
    pub trigger: String,
    /// The next entry to read.
    pub offset: u64,
    /// The directory's size as last listed.
    pub total: Option<u64>,
    pub counts: Counts,
    pub pages: u64,
    /// Requests sent to the upstream so far (pages, budgets, retries).
    pub calls: u64,
    pub failures: u32,
    pub last_error: Option<String>,
    /// Whether the end could mark the customers no longer listed (see [`may_mark`]).
    pub marking: Option<String>,
    pub started_at: Timestamp,
    pub updated_at: Timestamp,
    pub next_at: Timestamp,
    pub finished_at: Option<Timestamp>,
}

impl Run {
    /// A new run at the start of the directory.
    pub fn start(id: String, partner_id: String, trigger: &str, now: Timestamp) -> Run {
        Run {
            id,
            partner_id,
            state: RunState::Running,
            trigger: trigger.to_string(),
            offset: 0,
            total: None,
            counts: Counts::default(),
            pages: 0,
            calls: 0,
            failures: 0,
            last_error: None,
            marking: None,
            started_at: now,
            updated_at: now,
            next_at: now,
            finished_at: None,
        }
    }

    /// Entries read so far (what the cursor moved over).
    pub fn read(&self) -> u64 {
        self.counts.added + self.counts.changed + self.counts.unchanged + self.counts.deferred + self.counts.unreadable
    }
}

/// What one page did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageDone {
    /// Entries in the page (readable or not).
    pub entries: u64,
    /// The directory's size as this page says.
    pub total: u64,
    pub added: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub unreadable: u64,
    pub deferred: u64,
    /// Upstream requests it took.
    pub calls: u64,
}

/// The run after a page: the cursor moves over the entries actually received (a short page moves it
/// less; nothing is skipped), failures reset; an empty page or the end of the list finishes it.
pub fn after_page(run: &Run, p: &PageDone, now: Timestamp) -> Run {
    let mut r = run.clone();
    r.offset += p.entries;
    r.total = Some(p.total);
    r.pages += 1;
    r.calls += p.calls;
    r.failures = 0;
    r.last_error = None;
    r.counts.added += p.added;
    r.counts.changed += p.changed;
    r.counts.unchanged += p.unchanged;
    r.counts.unreadable += p.unreadable;
    r.counts.deferred += p.deferred;
    r.updated_at = now;
    r.next_at = now;
    r
}

/// Whether the listing is over after the run's last page: nothing came, or the cursor reached the total.
pub fn at_end(run: &Run, last_entries: u64) -> bool {
    last_entries == 0 || run.total.is_some_and(|t| run.offset >= t)
}

/// Whether the end of `run` may mark the customers it did not see as gone: only when it read as many
/// entries as the directory lists (a list that changed under the cursor may have hidden some, and a
/// customer must never be marked gone for that), and never when the directory is empty (a key of
/// another account lists nobody too: that must not take every customer out of service). `Err` says
/// why not.
pub fn may_mark(run: &Run) -> Result<(), String> {
    match run.total {
        Some(0) => Err(
            "Huawei Cloud listed no customers for this key: nothing was marked (check that the key is the partner account's)."
                .into(),
        ),
        Some(t) if run.read() >= t => Ok(()),
        Some(t) => Err(format!(
            "The directory changed during the sync ({} entries read, {t} listed): nothing was marked; the next sync will.",
            run.read()
        )),
        None => Err("The directory was not listed.".into()),
    }
}

/// The run finished at `now`, with `marked` customers marked gone (or why none were).
pub fn finish(run: &Run, marked: Result<u64, String>, now: Timestamp) -> Run {
    let mut r = run.clone();
    r.state = RunState::Done;
    match marked {
        Ok(n) => r.counts.marked = n,
        Err(why) => r.marking = Some(why),
    }
    r.updated_at = now;
    r.finished_at = Some(now);
    r
}

/// The run after a failed call: tried again after Huawei's `Retry-After` or a doubling wait (10 s,
/// 20 s, … at most 5 min); after [`MAX_FAILURES`] in a row it fails with the last error.
pub fn after_failure(run: &Run, error: &str, retry_after: Option<i64>, calls: u64, now: Timestamp) -> Run {
    let mut r = run.clone();
    r.failures += 1;
    r.calls += calls;
    r.last_error = Some(error.to_string());
    r.updated_at = now;
    let wait = retry_after.unwrap_or(10i64 << (r.failures - 1).min(5)).clamp(1, 300);
    r.next_at = now.plus(wait);
    if r.failures >= MAX_FAILURES {
        r.state = RunState::Failed;
        r.finished_at = Some(now);
    }
    r
}

/// Whether the Cron Trigger starts a run for a partner whose last run finished at `last` (none yet:
/// start), every `interval_minutes` (0: never).
pub fn due(last: Option<Timestamp>, interval_minutes: i64, now: Timestamp) -> bool {
    interval_minutes > 0 && last.is_none_or(|t| now.unix() - t.unix() >= interval_minutes * 60)
}

/// Whether a running run lost its queue message (not moved for [`STALLED_SECONDS`] past its next step).
pub fn stalled(run: &Run, now: Timestamp) -> bool {
    run.state == RunState::Running && now.unix() - run.next_at.unix().max(run.updated_at.unix()) >= STALLED_SECONDS
}

/// Time and upstream requests per 1,000 customers of a finished run (the report the issue asks for).
pub fn per_thousand(run: &Run) -> Option<(f64, f64)> {
    let read = run.read();
    let end = run.finished_at?;
    (read > 0).then(|| {
        let secs = (end.unix() - run.started_at.unix()) as f64;
        (secs * 1000.0 / read as f64, run.calls as f64 * 1000.0 / read as f64)
    })
}

#[cfg(test)]
mod tests;
