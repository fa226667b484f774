//! D1 repositories, one module per resource (as `routes`). SQL lives only here and in `crate::sql`,
//! always with bound parameters. Rows are read into private row structs and converted into core
//! types; a row that does not convert is a data fault (500).
//!
//! Names: an `async fn` runs a query (`by_id`, `list`, `of_partner`, …); a plain `fn` returning a
//! `D1PreparedStatement` builds a statement for a batch (`insert`, `revoke`, `<thing>_of_session`,
//! `<thing>s_in_page`); `read_<thing>` reads the result of such a statement out of a batch.

pub mod audit;
pub mod consent;
pub mod customers;
pub mod directory;
pub mod embed;
pub mod grants;
pub mod huawei;
pub mod idempotency;
pub mod keys;
pub mod orders;
pub mod outbox;
pub mod partners;
pub mod permission_requests;
pub mod quotes;
pub mod sessions;

use crate::error::{ApiError, Code};
use serde::de::DeserializeOwned;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

/// A bound parameter. D1 has no `undefined`, so a missing value is bound as NULL.
pub enum Arg {
    Null,
    Int(i64),
    Text(String),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}
impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Int(n)
    }
}
impl From<bool> for Arg {
    fn from(b: bool) -> Self {
        Arg::Int(b as i64)
    }
}
impl<T: Into<Arg>> From<Option<T>> for Arg {
    fn from(o: Option<T>) -> Self {
        o.map_or(Arg::Null, Into::into)
    }
}

impl Arg {
    fn to_js(&self) -> JsValue {
        match self {
            Arg::Null => JsValue::NULL,
            // Integers we store (minor units, counters, flags) stay below 2^53, exact as JS numbers.
            Arg::Int(n) => JsValue::from_f64(*n as f64),
            Arg::Text(s) => JsValue::from_str(s),
        }
    }
}

/// The parameters of SQL built by `crate::sql`.
pub fn from_sql(params: &[crate::sql::SqlValue]) -> Vec<Arg> {
    params
        .iter()
        .map(|p| match p {
            crate::sql::SqlValue::Null => Arg::Null,
            crate::sql::SqlValue::Int(n) => Arg::Int(*n),
            crate::sql::SqlValue::Text(s) => Arg::Text(s.clone()),
        })
        .collect()
}

/// Builds `vec![Arg, ...]` from expressions convertible into [`Arg`].
#[macro_export]
macro_rules! args {
    ($($x:expr),* $(,)?) => { vec![$($crate::worker::db::Arg::from($x)),*] };
}

/// Converts a platform error into our 500, logging the detail (never returned to the client).
pub fn fault(context: &str, e: impl std::fmt::Display) -> ApiError {
    worker::console_error!("{context}: {e}");
    ApiError::new(Code::Internal)
}

/// D1 calls (round trips: one per query or batch) this isolate made. Dev mode reports a request's
/// count in `X-Onbehalf-D1-Calls` (exact for requests that do not overlap in one isolate, as in a
/// sequential probe: `scripts/bench-roundtrips.mjs`).
static CALLS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// Counts one D1 round trip.
pub fn counted() {
    CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

/// D1 round trips so far.
pub fn calls() -> u32 {
    CALLS.load(std::sync::atomic::Ordering::Relaxed)
}

/// A prepared statement with its parameters bound.
pub fn stmt(db: &D1Database, sql: &str, args: Vec<Arg>) -> Result<D1PreparedStatement, ApiError> {
    let js: Vec<JsValue> = args.iter().map(Arg::to_js).collect();
    db.prepare(sql).bind(&js).map_err(|e| fault("bind", e))
}

/// All rows of a query.
pub async fn all<T: DeserializeOwned>(db: &D1Database, sql: &str, args: Vec<Arg>) -> Result<Vec<T>, ApiError> {
    counted();
    let r = stmt(db, sql, args)?.all().await.map_err(|e| fault(sql, e))?;
    r.results::<T>().map_err(|e| fault("decode rows", e))
}

/// The first row of a query, if any.
pub async fn first<T: DeserializeOwned>(db: &D1Database, sql: &str, args: Vec<Arg>) -> Result<Option<T>, ApiError> {
    counted();
    stmt(db, sql, args)?.first::<T>(None).await.map_err(|e| fault(sql, e))
}

/// A statement built by `crate::sql`, bound.
pub fn prepared(db: &D1Database, s: &crate::sql::Statement) -> Result<D1PreparedStatement, ApiError> {
    stmt(db, &s.sql, from_sql(&s.params))
}

/// Runs statements atomically (D1 `batch` is one transaction) and returns each statement's result.
/// A batch failed by a guard (`crate::sql::guards`) is that guard's error, not a fault.
pub async fn batch_results(
    db: &D1Database,
    stmts: Vec<D1PreparedStatement>,
) -> Result<Vec<worker::D1Result>, ApiError> {
    counted();
    db.batch(stmts).await.map_err(|e| {
        let text = e.to_string();
        match crate::sql::guards::failed_guard(&text) {
            Some(code) => ApiError::new(code),
            None => fault("batch", text),
        }
    })
}

/// Runs statements atomically and returns rows changed per statement.
pub async fn batch(db: &D1Database, stmts: Vec<D1PreparedStatement>) -> Result<Vec<usize>, ApiError> {
    let results = batch_results(db, stmts).await?;
    Ok(results.iter().map(|r| r.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0)).collect())
}

/// Runs a batch whose first statements are guards (`crate::sql::guards`): the guard table is emptied
/// by its last statement. Fails with the first failing guard's code, and then nothing was written.
pub async fn guarded(
    db: &D1Database,
    guards: Vec<crate::sql::Statement>,
    writes: Vec<D1PreparedStatement>,
) -> Result<Vec<usize>, ApiError> {
    let mut stmts = guards.iter().map(|g| prepared(db, g)).collect::<Result<Vec<_>, _>>()?;
    let skip = stmts.len();
    stmts.extend(writes);
    stmts.push(stmt(db, crate::sql::guards::CLEAR, Vec::new())?);
    let mut changed = batch(db, stmts).await?;
    changed.pop();
    Ok(changed.split_off(skip))
}

/// Reads a stored value back into a core type; a failure means the row is corrupt.
pub fn stored<T>(what: &str, v: Option<T>) -> Result<T, ApiError> {
    v.ok_or_else(|| fault("stored value does not parse", what))
}

/// Parses an optional stored partner id.
pub fn opt_partner(what: &str, s: Option<&str>) -> Result<Option<crate::ids::PartnerId>, ApiError> {
    s.map(|p| stored(what, crate::ids::PartnerId::parse(p))).transpose()
}

/// The grants a session or an order relied on, from their stored ids.
pub fn relied_on(
    permission: Option<&str>,
    authorization: Option<&str>,
) -> Result<crate::prerequisites::ReliedOn, ApiError> {
    Ok(crate::prerequisites::ReliedOn {
        distributor_permission: permission
            .map(|p| stored("permission id", crate::ids::PermissionId::parse(p)))
            .transpose()?,
        authorization: authorization
            .map(|a| stored("authorization id", crate::ids::AuthorizationId::parse(a)))
            .transpose()?,
    })
}

/// Parses an optional stored timestamp.
pub fn opt_time(what: &str, s: &Option<String>) -> Result<Option<crate::time::Timestamp>, ApiError> {
    match s {
        None => Ok(None),
        Some(s) => stored(what, crate::time::Timestamp::parse(s)).map(Some),
    }
}

/// Row counts of every table (dev mode only).
pub async fn table_counts(db: &D1Database) -> Result<serde_json::Value, ApiError> {
    // D1 caps compound SELECTs at a few terms, so one row of scalar subqueries instead of UNION ALL.
    const TABLES: [&str; 15] = [
        "partners",
        "partner_users",
        "api_keys",
        "customers",
        "customer_tags",
        "distributor_permissions",
        "authorizations",
        "outbox",
        "audit_events",
        "quotes",
        "sessions",
        "orders",
        "resources",
        "idempotency_keys",
        "dev_pings",
    ];
    let cols: Vec<String> = TABLES.iter().map(|t| format!("(SELECT count(*) FROM {t}) AS {t}")).collect();
    let row: Option<serde_json::Value> = first(db, &format!("SELECT {}", cols.join(", ")), Vec::new()).await?;
    Ok(row.unwrap_or(serde_json::Value::Null))
}
