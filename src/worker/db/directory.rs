//! Directory sync runs (`crate::directory`) and the partner keys they sign with.

use super::Db;
use super::{all, first};
use crate::args;
use crate::directory::{Counts, Run, RunState};
use crate::error::ApiError;
use crate::ids::PartnerId;
use crate::time::Timestamp;

crate::row! {
    struct RunRow {
        id: String,
        partner_id: String,
        state: String,
        trigger: String,
        cursor: i64,
        total: Option<i64>,
        added: i64,
        changed: i64,
        unchanged: i64,
        unreadable: i64,
        deferred: i64,
        marked: i64,
        pages: i64,
        calls: i64,
        failures: i64,
        last_error: Option<String>,
        marking: Option<String>,
        started_at: String,
        updated_at: String,
        next_at: String,
        finished_at: Option<String>,
    }
}

fn convert(r: RunRow) -> Result<Run, ApiError> {
    let n = |v: i64| v.max(0) as u64;
    let t = |what: &str, s: &str| super::stored(what, Timestamp::parse(s));
    Ok(Run {
        state: super::stored("sync state", RunState::parse(&r.state))?,
        offset: n(r.cursor),
        total: r.total.map(n),
        counts: Counts {
            added: n(r.added),
            changed: n(r.changed),
            unchanged: n(r.unchanged),
            unreadable: n(r.unreadable),
            deferred: n(r.deferred),
            marked: n(r.marked),
        },
        pages: n(r.pages),
        calls: n(r.calls),
        failures: r.failures.clamp(0, u32::MAX as i64) as u32,
        last_error: r.last_error,
        marking: r.marking,
        started_at: t("started_at", &r.started_at)?,
        updated_at: t("updated_at", &r.updated_at)?,
        next_at: t("next_at", &r.next_at)?,
        finished_at: super::opt_time("finished_at", &r.finished_at)?,
        id: r.id,
        partner_id: r.partner_id,
        trigger: r.trigger,
    })
}

pub async fn by_id(db: &Db, id: &str) -> Result<Option<Run>, ApiError> {
    let row: Option<RunRow> = first(db, "SELECT * FROM directory_syncs WHERE id = ?1", args![id]).await?;
    row.map(convert).transpose()
}

/// The statement reading the partner's running run, if any (read with [`read_run`]).
pub fn running_stmt(db: &Db, partner: &PartnerId) -> Result<worker::D1PreparedStatement, ApiError> {
    super::stmt(
        db,
        "SELECT * FROM directory_syncs WHERE partner_id = ?1 AND state = 'running'",
        args![partner.as_str()],
    )
}

/// Reads the row of [`running_stmt`].
pub fn read_run(r: &crate::worker::db::StatementResult) -> Result<Option<Run>, ApiError> {
    super::row::<RunRow>(r, "decode run")?.map(convert).transpose()
}

/// The partner's latest runs, newest first.
pub async fn recent(db: &Db, partner: &PartnerId, limit: i64) -> Result<Vec<Run>, ApiError> {
    let rows: Vec<RunRow> = all(
        db,
        "SELECT * FROM directory_syncs WHERE partner_id = ?1 ORDER BY started_at DESC, id DESC LIMIT ?2",
        args![partner.as_str(), limit],
    )
    .await?;
    rows.into_iter().map(convert).collect()
}

/// Every partner with a Huawei key, with when its last run finished and its running run's id.
pub struct Schedule {
    pub partner_id: String,
    pub last_finished: Option<Timestamp>,
    pub running: Option<String>,
}

pub async fn schedule(db: &Db) -> Result<Vec<Schedule>, ApiError> {
    crate::row! {
        struct Row {
            partner_id: String,
            last_finished: Option<String>,
            running: Option<String>,
        }
    }
    let rows: Vec<Row> = all(
        db,
        "SELECT k.partner_id AS partner_id,
                (SELECT max(finished_at) FROM directory_syncs s WHERE s.partner_id = k.partner_id) AS last_finished,
                (SELECT id FROM directory_syncs s WHERE s.partner_id = k.partner_id AND s.state = 'running') AS running
           FROM partner_huawei_keys k ORDER BY k.partner_id",
        args![],
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Schedule {
            partner_id: r.partner_id,
            last_finished: r.last_finished.as_deref().and_then(Timestamp::parse),
            running: r.running,
        })
        .collect())
}

/// The number of the partner's customers (a simulated directory is the local data).
pub fn customer_count(db: &Db, partner: &PartnerId) -> Result<worker::D1PreparedStatement, ApiError> {
    super::stmt(
        db,
        "SELECT count(*) AS n FROM customers WHERE partner_id = ?1 AND gone_at IS NULL",
        args![partner.as_str()],
    )
}

/// Reads the count of [`customer_count`].
pub fn read_count(r: &crate::worker::db::StatementResult) -> Result<u64, ApiError> {
    crate::row! {
        struct N {
            n: i64,
        }
    }
    Ok(super::row::<N>(r, "decode count")?.map_or(0, |r| r.n.max(0) as u64))
}
