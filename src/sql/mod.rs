//! SQL text for D1: pure functions that build statements and their bound parameters. No platform
//! code, so host tests run the very same SQL on SQLite (rusqlite) with the same migrations; the
//! worker's repositories execute it on D1.

pub mod consent;
pub mod customers;
pub mod directory;
pub mod guards;
pub mod permission_requests;
pub mod retention;

/// The columns of an authorization row, as every statement reading authorizations selects them.
pub const AUTHORIZATION_COLUMNS: &str = "id, partner_id, customer_id, capabilities, requested_by, requested_at, valid_days, status, decided_at, expires_at, revoked_at, reason, code_hash, code_expires_at, code_attempts, codes_sent, guesses";

/// The columns of a distributor permission row.
pub const PERMISSION_COLUMNS: &str =
    "id, distributor_id, reseller_id, customer_id, capabilities, granted_by, granted_at, valid_until, revoked_at, revoke_reason";

/// `columns` of table alias `t` as one JSON array per row, all rows of the subquery as one JSON array
/// (`[]` when none): a customer row carries its own grants, read in the same pass as the row.
pub fn json_rows(columns: &str, t: &str, from_where: &str) -> String {
    let cols: Vec<String> = columns.split(", ").map(|c| format!("{t}.{c}")).collect();
    format!("(SELECT json_group_array(json_array({})) FROM {from_where})", cols.join(", "))
}

/// One statement and its bound parameters (`?1`, `?2`, … in order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub sql: String,
    pub params: Vec<SqlValue>,
}

/// A bound parameter value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlValue {
    Null,
    Int(i64),
    Text(String),
}

/// Collects parameters and hands out their `?N` placeholders.
#[derive(Debug, Default)]
pub struct Params(pub Vec<SqlValue>);

impl Params {
    /// Adds a parameter; returns its placeholder.
    pub fn push(&mut self, v: SqlValue) -> String {
        self.0.push(v);
        format!("?{}", self.0.len())
    }
    /// Adds a text parameter.
    pub fn text(&mut self, s: impl Into<String>) -> String {
        self.push(SqlValue::Text(s.into()))
    }
    /// Adds an integer parameter.
    pub fn int(&mut self, n: i64) -> String {
        self.push(SqlValue::Int(n))
    }
}

/// A fresh in-memory SQLite database with every migration applied in order, as wrangler applies
/// them to D1 (host tests only).
#[cfg(test)]
pub(crate) fn migrated() -> rusqlite::Connection {
    // A missing migration or SQLite must fail the test loudly (this function is cfg(test)).
    let c = rusqlite::Connection::open_in_memory().expect("in-memory SQLite"); // ok: test-only
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("migrations/") // ok: test-only, as above
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    assert!(files.len() >= 16);
    for f in files {
        c.execute_batch(&std::fs::read_to_string(&f).expect("migration text")) // ok: test-only
            .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
    }
    c
}

/// One statement's outcome in [`run_batch`]: rows changed, rows returned.
#[cfg(test)]
pub(crate) type BatchResult = (usize, Vec<Vec<rusqlite::types::Value>>);

/// Runs `stmts` as one transaction, as a D1 batch does: all or nothing. Per statement, the rows it
/// changed and the rows it returned (`RETURNING`); the error text on failure (host tests only).
#[cfg(test)]
pub(crate) fn run_batch(c: &mut rusqlite::Connection, stmts: &[Statement]) -> Result<Vec<BatchResult>, String> {
    let tx = c.transaction().map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for s in stmts {
        let params = rusqlite::params_from_iter(s.params.iter().map(|p| match p {
            SqlValue::Null => rusqlite::types::Value::Null,
            SqlValue::Int(n) => rusqlite::types::Value::Integer(*n),
            SqlValue::Text(t) => rusqlite::types::Value::Text(t.clone()),
        }));
        let mut st = tx.prepare(&s.sql).map_err(|e| e.to_string())?;
        let n = st.column_count();
        let mut rows = st.query(params).map_err(|e| e.to_string())?;
        let mut got = Vec::new();
        while let Some(r) = rows.next().map_err(|e| e.to_string())? {
            got.push(
                (0..n)
                    .map(|i| r.get::<_, rusqlite::types::Value>(i))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| e.to_string())?,
            );
        }
        drop(rows);
        drop(st);
        out.push((tx.changes() as usize, got));
    }
    tx.commit().map_err(|e| e.to_string())?;
    Ok(out)
}
