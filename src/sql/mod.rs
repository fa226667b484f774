//! SQL text for D1: pure functions that build statements and their bound parameters. No platform
//! code, so host tests run the very same SQL on SQLite (rusqlite) with the same migrations; the
//! worker's repositories execute it on D1.

pub mod customers;

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
