//! D1 results read by hand. A statement's result is D1's `{ results: [row, …], meta: { changes, … } }`
//! object; each row is read once as its values in column order (`Object.values`, one crossing into
//! JS) and each column is found by name among the result's column names (read once per result).
//!
//! Why not serde: `crate::worker::db::StatementResult::results::<T>()` decodes every row through serde-wasm-bindgen, and each
//! row type's derived visitor was instantiated over its deserializer: 125 KiB of serde-wasm-bindgen
//! and most of our own serde impls in the worker's code, for structs of strings and integers. Here a
//! row type is one small function (written by [`row!`](crate::row)) over six column readers.

use std::cell::Cell;
use worker::js_sys::{Array, Object, Reflect};
use worker::wasm_bindgen::JsValue;

/// A column that is missing or of the wrong type: the row does not fit its type (a data fault).
#[derive(Debug)]
pub struct BadRow(pub &'static str);

impl std::fmt::Display for BadRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "column {} missing or of the wrong type", self.0)
    }
}

/// One statement's result in a batch.
pub struct StatementResult(JsValue);

impl StatementResult {
    pub(super) fn new(v: JsValue) -> Self {
        StatementResult(v)
    }

    fn field(v: &JsValue, name: &str) -> JsValue {
        Reflect::get(v, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
    }

    /// The rows, each read into `T`.
    pub fn results<T: FromRow>(&self) -> Result<Vec<T>, BadRow> {
        let rows = Self::field(&self.0, "results");
        if !Array::is_array(&rows) {
            return Ok(Vec::new());
        }
        let rows = Array::from(&rows);
        let first = rows.get(0);
        if first.is_undefined() {
            return Ok(Vec::new());
        }
        let names: Vec<String> =
            Object::keys(&Object::from(first)).iter().map(|k| k.as_string().unwrap_or_default()).collect();
        rows.iter().map(|r| read(&names, Values::Js(Object::values(&Object::from(r))))).collect()
    }

    /// Rows changed by the statement (`meta.changes`; 0 when D1 does not say).
    pub fn changes(&self) -> usize {
        let changes = Self::field(&Self::field(&self.0, "meta"), "changes").as_f64().unwrap_or(0.0);
        if changes.is_finite() && changes > 0.0 {
            changes as usize
        } else {
            0
        }
    }
}

/// The rows of a JSON array of arrays, each the values of `names` in that order: a customer list
/// page, which D1 returns as one string ([`crate::sql::customers::Compiled::page_sql`]). The text
/// is parsed here, in one pass, instead of crossing into JavaScript for every value.
pub fn rows_from_json<T: FromRow>(text: &str, names: &[&str]) -> Result<Vec<T>, BadRow> {
    let rows: serde_json::Value = serde_json::from_str(text).map_err(|_| BadRow("(JSON rows)"))?;
    rows_from_value(&rows, names)
}

/// The rows of a JSON array of arrays already parsed (the grants inside a page row:
/// [`crate::sql::json_rows`]), each the values of `names` in that order.
pub fn rows_from_value<T: FromRow>(rows: &serde_json::Value, names: &[&str]) -> Result<Vec<T>, BadRow> {
    let rows = rows.as_array().ok_or(BadRow("(JSON rows)"))?;
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    rows.iter()
        .map(|r| {
            let values = r.as_array().ok_or(BadRow("(JSON rows)"))?;
            read(&names, Values::Json(values))
        })
        .collect()
}

/// One row read into `T`, or the first column that did not fit.
fn read<T: FromRow>(names: &[String], values: Values) -> Result<T, BadRow> {
    let row = Row { names, values, bad: Cell::new(None) };
    let value = T::from_row(&row);
    row.bad.get().map_or(Ok(value), |name| Err(BadRow(name)))
}

/// A row: its values in column order and the result's column names, and the first column that did
/// not fit its type.
pub struct Row<'a> {
    names: &'a [String],
    values: Values<'a>,
    bad: Cell<Option<&'static str>>,
}

/// A row's values: a D1 result row's (JS), or a row of a JSON page.
enum Values<'a> {
    Js(Array),
    Json(&'a [serde_json::Value]),
}

impl Row<'_> {
    /// Column `name` read as `T`; a column the query did not select reads as JS `undefined` (so an
    /// `Option` is `None`). A value that does not fit reads as `T::default()` and marks the row bad
    /// (the row is then an error: see [`StatementResult::results`]): reading a row is a straight
    /// line of calls, with no early return dropping the fields read so far at every column.
    #[inline(never)]
    pub fn get<T: Column>(&self, name: &'static str) -> T {
        let at = self.names.iter().position(|n| n == name);
        let value = match (&self.values, at) {
            (Values::Js(values), Some(i)) => T::from_js(values.get(i as u32)),
            (Values::Js(_), None) => T::from_js(JsValue::UNDEFINED),
            (Values::Json(values), i) => {
                T::from_json(i.and_then(|i| values.get(i)).unwrap_or(&serde_json::Value::Null))
            }
        };
        value.unwrap_or_else(|| {
            if self.bad.get().is_none() {
                self.bad.set(Some(name));
            }
            T::default()
        })
    }
}

/// A type a row reads into. Write it with [`row!`](crate::row).
pub trait FromRow: Sized {
    /// The row's columns; a column that does not fit is recorded in `r` (see [`Row::get`]).
    fn from_row(r: &Row) -> Self;
}

/// A type a column reads into: `None` when the value does not fit.
pub trait Column: Sized + Default {
    fn from_js(v: JsValue) -> Option<Self>;
    /// The same from a JSON value (a row of a JSON page; a missing column reads as null).
    fn from_json(v: &serde_json::Value) -> Option<Self>;
}

impl Column for String {
    fn from_js(v: JsValue) -> Option<Self> {
        v.as_string()
    }
    fn from_json(v: &serde_json::Value) -> Option<Self> {
        v.as_str().map(String::from)
    }
}

impl Column for i64 {
    /// SQLite integers arrive as JS numbers; ours (minor units, counts, flags, epoch seconds) are
    /// below 2^53, so exact. A fraction or a non-number does not fit.
    fn from_js(v: JsValue) -> Option<Self> {
        let n = v.as_f64()?;
        (n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0).then_some(n as i64)
    }
    fn from_json(v: &serde_json::Value) -> Option<Self> {
        v.as_i64()
    }
}

impl<T: Column> Column for Option<T> {
    fn from_js(v: JsValue) -> Option<Self> {
        if v.is_null() || v.is_undefined() {
            Some(None)
        } else {
            T::from_js(v).map(Some)
        }
    }
    fn from_json(v: &serde_json::Value) -> Option<Self> {
        if v.is_null() {
            Some(None)
        } else {
            T::from_json(v).map(Some)
        }
    }
}

impl Column for serde_json::Value {
    /// A value as JSON: an integer-valued number as an integer (as serde-wasm-bindgen read it).
    fn from_js(v: JsValue) -> Option<Self> {
        use serde_json::Value;
        if v.is_null() || v.is_undefined() {
            return Some(Value::Null);
        }
        if let Some(s) = v.as_string() {
            return Some(Value::String(s));
        }
        if let Some(b) = v.as_bool() {
            return Some(Value::Bool(b));
        }
        let n = v.as_f64()?;
        match i64::from_js(v) {
            Some(i) => Some(Value::from(i)),
            None => serde_json::Number::from_f64(n).map(Value::Number),
        }
    }
    fn from_json(v: &serde_json::Value) -> Option<Self> {
        Some(v.clone())
    }
}

impl FromRow for serde_json::Value {
    /// Every column, by name (dev-mode summaries).
    fn from_row(r: &Row) -> Self {
        let mut object = serde_json::Map::new();
        for (i, name) in r.names.iter().enumerate() {
            let v = match &r.values {
                Values::Js(values) => serde_json::Value::from_js(values.get(i as u32)),
                Values::Json(values) => values.get(i).cloned(),
            };
            let v = v.unwrap_or_else(|| {
                r.bad.set(Some("(a column)"));
                serde_json::Value::Null
            });
            object.insert(name.clone(), v);
        }
        serde_json::Value::Object(object)
    }
}

/// Declares a row type and its [`FromRow`]: each field is the column of the same name.
/// ```ignore
/// crate::row! {
///     /// A partner's name.
///     struct NameRow { id: String, name: Option<String> }
/// }
/// ```
#[macro_export]
macro_rules! row {
    ($(#[$m:meta])* $v:vis struct $name:ident { $( $(#[$fm:meta])* $fv:vis $f:ident : $t:ty ),* $(,)? }) => {
        $(#[$m])* $v struct $name { $( $(#[$fm])* $fv $f: $t ),* }
        impl $crate::worker::db::FromRow for $name {
            fn from_row(r: &$crate::worker::db::Row) -> Self {
                Self { $( $f: r.get(stringify!($f)) ),* }
            }
        }
    };
}
