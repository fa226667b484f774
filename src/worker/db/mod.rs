//! D1 repositories, one module per resource (as `routes`). SQL lives only here and in `crate::sql`,
//! always with bound parameters. Rows are read into private row structs and converted into core
//! types; a row that does not convert is a data fault (500).
//!
//! Names: an `async fn` runs a query (`by_id`, `list`, `of_partner`, …); a plain `fn` returning a
//! `D1PreparedStatement` builds a statement for a batch (`insert`, `revoke`, `<thing>_of_session`,
//! `<thing>s_in_page`); `read_<thing>` reads the result of such a statement out of a batch.

pub mod audit;
pub mod channels;
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
use std::cell::Cell;
use worker::js_sys::{Array, Function, Object, Promise, Reflect};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::wasm_bindgen_futures::JsFuture;
use worker::{D1Database, D1DatabaseSession, D1PreparedStatement};

pub use row::{rows_from_json, rows_from_value, FromRow, Row, StatementResult};

mod row;

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

/// The database as one request (or one background step) sees it: a D1 Sessions API session, so
/// its reads may be served by a read replica that is at least as new as where the session starts
/// (the client's bookmark, or the primary), and every read sees the session's own writes. Writes go
/// to the primary. Every D1 round trip (a query or a batch) is counted, per request: dev mode
/// reports the count in `X-Onbehalf-D1-Calls`, and the round-trip budget test reads it.
pub struct Db {
    session: D1DatabaseSession,
    calls: Cell<u32>,
    primary: bool,
}

/// Where a session starts.
pub enum Start<'a> {
    /// At a bookmark a client returned (`X-Onbehalf-Bookmark`): reads at least as new as it.
    Bookmark(&'a str),
    /// Any replica (a read with no bookmark: nothing of the client's to see).
    Anywhere,
    /// The primary (a write, or a background step).
    Primary,
}

impl Db {
    /// A session on `binding` starting at `start`.
    pub fn open(binding: &D1Database, start: Start) -> Result<Db, ApiError> {
        let at = match start {
            Start::Bookmark(b) => b,
            Start::Anywhere => "first-unconstrained",
            Start::Primary => "first-primary",
        };
        let session = binding.with_session(Some(at)).map_err(|e| fault("D1 session", e))?;
        Ok(Db { session, calls: Cell::new(0), primary: matches!(start, Start::Primary) })
    }

    /// Whether the session started at the primary (else a replica may lag behind it).
    pub fn at_primary(&self) -> bool {
        self.primary
    }

    fn prepare(&self, sql: &str) -> D1PreparedStatement {
        self.session.prepare(sql)
    }

    fn counted(&self) {
        self.calls.set(self.calls.get().saturating_add(1));
    }

    /// One round trip: D1's `batch` called on the session object directly (not through
    /// `D1DatabaseSession::batch`, whose results decode through serde-wasm-bindgen: see [`row`]).
    /// A failure is the database's error text (its message and cause).
    async fn run(&self, stmts: Vec<D1PreparedStatement>) -> Result<Vec<StatementResult>, String> {
        self.counted();
        let session: &JsValue = self.session.as_ref();
        let list: Array = stmts.iter().map(|s| JsValue::from(s.inner().clone())).collect();
        let batch = Reflect::get(session, &JsValue::from_str("batch")).map_err(js_text)?;
        let called = batch.unchecked_into::<Function>().call1(session, &list).map_err(js_text)?;
        let results = JsFuture::from(called.unchecked_into::<Promise>()).await.map_err(js_text)?;
        Ok(Array::from(&results).iter().map(StatementResult::new).collect())
    }

    /// D1 round trips made so far.
    pub fn calls(&self) -> u32 {
        self.calls.get()
    }

    /// The latest bookmark this session saw (what the client sends back to read its own writes).
    pub fn bookmark(&self) -> Option<String> {
        self.session.get_bookmark().ok().flatten()
    }
}

/// Whether `s` looks like a D1 bookmark (hex groups joined by dashes), so that a malformed header
/// is not handed to D1.
pub fn is_bookmark(s: &str) -> bool {
    !s.is_empty() && s.len() <= 128 && s.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') && !s.starts_with("first-")
}

/// A prepared statement with its parameters bound.
pub fn stmt(db: &Db, sql: &str, args: Vec<Arg>) -> Result<D1PreparedStatement, ApiError> {
    let js: Vec<JsValue> = args.iter().map(Arg::to_js).collect();
    db.prepare(sql).bind(&js).map_err(|e| fault("bind", e))
}

/// The text of a thrown JS value: an `Error`'s message and its cause (D1 puts the SQLite message,
/// which names a failed guard, in the cause), or the value as a string.
fn js_text(e: JsValue) -> String {
    match e.dyn_ref::<worker::js_sys::Error>() {
        Some(err) => {
            let message = String::from(err.message());
            match err
                .cause()
                .as_string()
                .or_else(|| err.cause().dyn_ref::<worker::js_sys::Error>().map(|c| c.message().into()))
            {
                Some(cause) if !cause.is_empty() => format!("{message}: {cause}"),
                _ => message,
            }
        }
        None => e.as_string().unwrap_or_else(|| String::from(Object::from(e).to_string())),
    }
}

/// All rows of a query.
pub async fn all<T: FromRow>(db: &Db, sql: &str, args: Vec<Arg>) -> Result<Vec<T>, ApiError> {
    let r = db.run(vec![stmt(db, sql, args)?]).await.map_err(|e| fault(sql, e))?;
    r.first().ok_or_else(|| fault(sql, "no result"))?.results::<T>().map_err(|e| fault("decode rows", e))
}

/// The first row of a query, if any.
pub async fn first<T: FromRow>(db: &Db, sql: &str, args: Vec<Arg>) -> Result<Option<T>, ApiError> {
    let rows: Vec<T> = all(db, sql, args).await?;
    Ok(rows.into_iter().next())
}

/// A statement built by `crate::sql`, bound.
pub fn prepared(db: &Db, s: &crate::sql::Statement) -> Result<D1PreparedStatement, ApiError> {
    stmt(db, &s.sql, from_sql(&s.params))
}

/// Runs statements atomically (D1 `batch` is one transaction) and returns each statement's result.
/// A batch failed by a guard (`crate::sql::guards`) is that guard's error, not a fault.
pub async fn batch_results(db: &Db, stmts: Vec<D1PreparedStatement>) -> Result<Vec<StatementResult>, ApiError> {
    db.run(stmts).await.map_err(|text| match crate::sql::guards::failed_guard(&text) {
        Some(code) => ApiError::new(code),
        None => fault("batch", text),
    })
}

/// The rows of one statement's result in a batch.
pub fn rows<T: FromRow>(r: &StatementResult, what: &str) -> Result<Vec<T>, ApiError> {
    r.results::<T>().map_err(|e| fault(what, e))
}

/// The first row of one statement's result in a batch.
pub fn row<T: FromRow>(r: &StatementResult, what: &str) -> Result<Option<T>, ApiError> {
    Ok(rows(r, what)?.into_iter().next())
}

/// Runs `writes` and then `reads` in one batch (one round trip, one transaction: the reads see the
/// writes): rows changed per write, and the reads' results.
pub async fn write_then_read(
    db: &Db,
    writes: Vec<D1PreparedStatement>,
    reads: Vec<D1PreparedStatement>,
) -> Result<(Vec<usize>, Vec<StatementResult>), ApiError> {
    let n = writes.len();
    let mut stmts = writes;
    stmts.extend(reads);
    let mut results = batch_results(db, stmts).await?;
    if results.len() < n {
        return Err(fault("batch", "missing results"));
    }
    let reads = results.split_off(n);
    let changed = results.iter().map(StatementResult::changes).collect();
    Ok((changed, reads))
}

/// The one result of a one-statement batch.
pub fn only(results: &[StatementResult]) -> Result<&StatementResult, ApiError> {
    results.first().ok_or_else(|| fault("batch", "no result"))
}

/// Runs statements atomically and returns rows changed per statement.
pub async fn batch(db: &Db, stmts: Vec<D1PreparedStatement>) -> Result<Vec<usize>, ApiError> {
    let results = batch_results(db, stmts).await?;
    Ok(results.iter().map(StatementResult::changes).collect())
}

/// Runs a batch whose first statements are guards (`crate::sql::guards`): the guard table is emptied
/// by its last statement. Fails with the first failing guard's code, and then nothing was written.
pub async fn guarded(
    db: &Db,
    guards: Vec<crate::sql::Statement>,
    writes: Vec<D1PreparedStatement>,
) -> Result<Vec<usize>, ApiError> {
    guarded_then(db, guards, writes, Vec::new()).await.map(|(changed, _)| changed)
}

/// [`guarded`], then `reads` in the same batch (they see the writes): rows changed per write and the
/// reads' results.
pub async fn guarded_then(
    db: &Db,
    guards: Vec<crate::sql::Statement>,
    writes: Vec<D1PreparedStatement>,
    reads: Vec<D1PreparedStatement>,
) -> Result<(Vec<usize>, Vec<StatementResult>), ApiError> {
    let mut stmts = guards.iter().map(|g| prepared(db, g)).collect::<Result<Vec<_>, _>>()?;
    let skip = stmts.len();
    stmts.extend(writes);
    stmts.push(stmt(db, crate::sql::guards::CLEAR, Vec::new())?);
    let (mut changed, results) = write_then_read(db, stmts, reads).await?;
    changed.pop();
    Ok((changed.split_off(skip), results))
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
pub async fn table_counts(db: &Db) -> Result<serde_json::Value, ApiError> {
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
