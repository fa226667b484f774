//! Reading untrusted JSON into domain types while collecting **every** field error with its path.
//!
//! serde stops at the first error and cannot name unknown fields together with type errors, so wire
//! inputs are read through [`Decoder`]: each `field` call records what the contract knows, and
//! [`Decoder::finish`] reports the rest as `unknown_field`.

use crate::error::{ApiError, Code, FieldError, Path, PathSeg};
use crate::time::Timestamp;
use serde_json::{Map, Value};

/// Parses a request body: `malformed_json` when it is not JSON; `validation_failed` with a
/// `duplicate` error at each key that appears twice in one object (JSON leaves duplicates
/// undefined, and "the last one wins" would let two readers of one body see different requests).
pub fn parse_json(text: &str) -> Result<Value, ApiError> {
    let malformed = |e: serde_json::Error| {
        ApiError::with_message(Code::MalformedJson, format!("The request body is not valid JSON ({e})."))
    };
    let state = std::cell::RefCell::new(Strict::default());
    let mut de = serde_json::Deserializer::from_str(text);
    let v = serde::de::DeserializeSeed::deserialize(StrictSeed(&state), &mut de).map_err(malformed)?;
    de.end().map_err(malformed)?;
    let errors = state.into_inner().errors;
    if errors.is_empty() {
        Ok(v)
    } else {
        Err(ApiError::validation(errors))
    }
}

/// The path being read and the duplicate keys found, while parsing one document.
#[derive(Default)]
struct Strict {
    path: Path,
    errors: Vec<FieldError>,
}

/// Reads one JSON value into a `serde_json::Value`, recording duplicate object keys.
#[derive(Clone, Copy)]
struct StrictSeed<'a>(&'a std::cell::RefCell<Strict>);

impl<'de> serde::de::DeserializeSeed<'de> for StrictSeed<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for StrictSeed<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::from(n))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::from(n))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        loop {
            self.0.borrow_mut().path.push(PathSeg::Index(out.len()));
            let next = seq.next_element_seed(self);
            self.0.borrow_mut().path.pop();
            match next? {
                Some(v) => out.push(v),
                None => return Ok(Value::Array(out)),
            }
        }
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(k) = map.next_key::<String>()? {
            self.0.borrow_mut().path.push(PathSeg::Key(k.clone().into()));
            let v = map.next_value_seed(self);
            let mut st = self.0.borrow_mut();
            let here = st.path.clone();
            st.path.pop();
            let v = v?;
            if out.contains_key(&k) {
                st.errors.push(FieldError::new(
                    here,
                    Code::Duplicate,
                    format!("The key `{k}` appears more than once in this object."),
                ));
            } else {
                out.insert(k, v);
            }
        }
        Ok(Value::Object(out))
    }
}

/// Reads the body of an action that takes no fields: `{}` (or no body at all, which the worker reads
/// as `{}`); anything else is `validation_failed` (`invalid_type`, or `unknown_field` per key).
pub fn no_fields(v: &Value) -> Result<(), ApiError> {
    let mut d = Decoder::new();
    if let Some(o) = d.object(v, Path::new()) {
        d.close(o);
    }
    d.finish(Some(()))
}

/// Collects field errors while reading one document.
#[derive(Debug, Default)]
pub struct Decoder {
    errors: Vec<FieldError>,
}

/// A JSON object being read; remembers which keys the contract consumed.
pub struct Obj<'v> {
    map: &'v Map<String, Value>,
    path: Path,
    known: Vec<&'static str>,
}

impl<'v> Obj<'v> {
    /// Peeks at a key without marking it as read.
    pub fn get(&self, k: &str) -> Option<&'v Value> {
        self.map.get(k)
    }

    /// The path of this object.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// `base` + `key`.
pub fn child(base: &Path, key: &str) -> Path {
    let mut p = Vec::with_capacity(base.len() + 1);
    p.extend_from_slice(base);
    p.push(PathSeg::Key(key.to_string().into()));
    p
}

/// `base` + a contract field name (borrowed, so reading a field allocates only the path itself).
pub fn field(base: &Path, key: &'static str) -> Path {
    let mut p = Vec::with_capacity(base.len() + 1);
    p.extend_from_slice(base);
    p.push(PathSeg::Key(key.into()));
    p
}

/// `base` + `index`.
pub fn index(base: &Path, i: usize) -> Path {
    let mut p = Vec::with_capacity(base.len() + 1);
    p.extend_from_slice(base);
    p.push(PathSeg::Index(i));
    p
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Decoder {
    /// A fresh decoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an error.
    pub fn error(&mut self, path: Path, code: Code, message: impl Into<String>) {
        self.errors.push(FieldError::new(path, code, message));
    }

    /// Records a wrong-type error.
    pub fn wrong_type(&mut self, path: Path, expected: &str, got: &Value) {
        self.error(path, Code::InvalidType, format!("Expected {expected}, got {}.", type_name(got)));
    }

    /// Runs `read` with a fresh decoder and ends it: `read`'s value when no error was recorded, else
    /// `validation_failed` with every error.
    pub fn run<T>(read: impl FnOnce(&mut Decoder) -> Option<T>) -> Result<T, ApiError> {
        let mut d = Decoder::new();
        let value = read(&mut d);
        d.finish(value)
    }

    /// Ends decoding: the value when no error was recorded, else `validation_failed` with all errors.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, ApiError> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ if !self.errors.is_empty() => Err(ApiError::validation(self.errors)),
            _ => Err(ApiError::new(Code::ValidationFailed)),
        }
    }

    /// The errors collected so far.
    pub fn into_errors(self) -> Vec<FieldError> {
        self.errors
    }

    /// Opens `v` as an object at `path`.
    pub fn object<'v>(&mut self, v: &'v Value, path: Path) -> Option<Obj<'v>> {
        match v {
            Value::Object(map) => Some(Obj { map, path, known: Vec::with_capacity(16) }),
            other => {
                self.wrong_type(path, "an object", other);
                None
            }
        }
    }

    /// Reports every key of `o` that no `field` call asked for.
    pub fn close(&mut self, o: Obj<'_>) {
        for k in o.map.keys() {
            if !o.known.contains(&k.as_str()) {
                self.error(child(&o.path, k), Code::UnknownField, format!("Unknown field `{k}`."));
            }
        }
    }

    /// A field that must be present and not null.
    pub fn required<'v>(&mut self, o: &mut Obj<'v>, key: &'static str) -> Option<(&'v Value, Path)> {
        o.known.push(key);
        let p = field(&o.path, key);
        match o.map.get(key) {
            None | Some(Value::Null) => {
                self.error(p, Code::Required, format!("`{key}` is required."));
                None
            }
            Some(v) => Some((v, p)),
        }
    }

    /// A field that may be absent or null (both read as `None`).
    pub fn optional<'v>(&mut self, o: &mut Obj<'v>, key: &'static str) -> Option<(&'v Value, Path)> {
        o.known.push(key);
        match o.map.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => Some((v, field(&o.path, key))),
        }
    }

    /// A field that may be absent or null (then `default`), read by `read` when present.
    pub fn optional_or<'v, T>(
        &mut self,
        o: &mut Obj<'v>,
        key: &'static str,
        default: T,
        read: impl FnOnce(&mut Self, &'v Value, Path) -> Option<T>,
    ) -> Option<T> {
        match self.optional(o, key) {
            Some((v, p)) => read(self, v, p),
            None => Some(default),
        }
    }

    /// Reads a string.
    pub fn str<'v>(&mut self, v: &'v Value, path: &Path) -> Option<&'v str> {
        match v {
            Value::String(s) => Some(s),
            other => {
                self.wrong_type(path.clone(), "a string", other);
                None
            }
        }
    }

    /// Reads a boolean.
    pub fn bool(&mut self, v: &Value, path: &Path) -> Option<bool> {
        match v {
            Value::Bool(b) => Some(*b),
            other => {
                self.wrong_type(path.clone(), "a boolean", other);
                None
            }
        }
    }

    /// Reads an integer within `[min, max]`.
    pub fn int(&mut self, v: &Value, path: &Path, min: i64, max: i64) -> Option<i64> {
        let n = match v {
            Value::Number(n) => n,
            other => {
                self.wrong_type(path.clone(), "an integer", other);
                return None;
            }
        };
        // JSON has one number type: 19.0 is the integer 19 (as JSON Schema's "integer" says).
        let whole = n.as_f64().filter(|f| f.fract() == 0.0);
        let int = n.as_i64().or_else(|| whole.filter(|f| f.abs() < 9.0e18).map(|f| f as i64));
        match int {
            Some(n) if (min..=max).contains(&n) => Some(n),
            None if whole.is_none() => {
                self.error(path.clone(), Code::InvalidType, "Expected an integer.");
                None
            }
            _ => {
                self.error(path.clone(), Code::OutOfRange, format!("Must be between {min} and {max}."));
                None
            }
        }
    }

    /// Reads an RFC 3339 timestamp.
    pub fn timestamp(&mut self, v: &Value, path: &Path) -> Option<Timestamp> {
        let s = self.str(v, path)?;
        let t = Timestamp::parse(s);
        if t.is_none() {
            self.error(path.clone(), Code::InvalidFormat, "Expected an RFC 3339 time such as 2026-11-26T04:54:28Z.");
        }
        t
    }

    /// Reads a string parsed by `parse`; `what` names the expected format in the message.
    pub fn parsed<T>(
        &mut self,
        v: &Value,
        path: &Path,
        what: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Option<T> {
        let s = self.str(v, path)?;
        let t = parse(s);
        if t.is_none() {
            self.error(path.clone(), Code::InvalidFormat, format!("Expected {what}."));
        }
        t
    }

    /// Reads a string that must be one of `allowed` (its wire names), mapped by `parse`.
    pub fn one_of<T>(
        &mut self,
        v: &Value,
        path: &Path,
        allowed: &[&str],
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Option<T> {
        // The checking is not generic (one copy in the wasm); `allowed` lists exactly what `parse` takes.
        self.choice(v, path, allowed).and_then(parse)
    }

    /// Reads a string that must be one of `allowed`.
    pub fn choice<'v>(&mut self, v: &'v Value, path: &Path, allowed: &[&str]) -> Option<&'v str> {
        let s = self.str(v, path)?;
        if !allowed.contains(&s) {
            self.error(path.clone(), Code::InvalidValue, format!("Must be one of: {}.", allowed.join(", ")));
            return None;
        }
        Some(s)
    }

    /// Reads an array, decoding each item with `item`; `None` if the array or any item is invalid.
    pub fn array<T>(
        &mut self,
        v: &Value,
        path: &Path,
        max_len: usize,
        mut item: impl FnMut(&mut Self, &Value, Path) -> Option<T>,
    ) -> Option<Vec<T>> {
        let arr = match v {
            Value::Array(a) => a,
            other => {
                self.wrong_type(path.clone(), "an array", other);
                return None;
            }
        };
        if arr.len() > max_len {
            self.error(path.clone(), Code::OutOfRange, format!("At most {max_len} items."));
            return None;
        }
        let mut out = Vec::with_capacity(arr.len());
        let mut ok = true;
        for (i, x) in arr.iter().enumerate() {
            match item(self, x, index(path, i)) {
                Some(t) => out.push(t),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// Reads trimmed text of `min..=max` characters.
    pub fn text(&mut self, v: &Value, path: &Path, min: usize, max: usize) -> Option<String> {
        let s = self.str(v, path)?.trim();
        let n = s.chars().count();
        if n < min || n > max {
            self.error(path.clone(), Code::OutOfRange, format!("Must be {min} to {max} characters long."));
            return None;
        }
        if s.chars().any(|c| c.is_control()) {
            self.error(path.clone(), Code::InvalidFormat, "Must not contain control characters.");
            return None;
        }
        Some(s.to_string())
    }
}

#[cfg(test)]
mod tests;
