//! Money in integer minor units with a currency (`{"minor": 12345, "currency": "USD"}` = 123.45 USD).

use crate::decode::{Decoder, Obj};
use crate::error::{Code, Path};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An ISO 4217 code: three uppercase ASCII letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct Currency([u8; 3]);

// Written by hand: `serde(into = "String")` would allocate a String for every amount serialized.
impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Currency {
    /// US dollars, the demo dataset's currency.
    pub const USD: Currency = Currency(*b"USD");
    /// Parses three uppercase letters.
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        (b.len() == 3 && b.iter().all(u8::is_ascii_uppercase)).then(|| Currency([b[0], b[1], b[2]]))
    }
    /// The code as text.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }
}

impl TryFrom<String> for Currency {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Currency::parse(&s).ok_or_else(|| format!("`{s}` is not a currency code"))
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.as_str().to_string()
    }
}

/// An amount in minor units (cents) of a currency. Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

/// Largest amount accepted from the outside: 2^53 - 1, so that JavaScript reads it exactly.
pub const MAX_MINOR: i64 = 9_007_199_254_740_991;

impl Money {
    /// An amount.
    pub fn new(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }

    /// Reads `{"minor": int >= 0, "currency": "USD"}`.
    pub fn decode(d: &mut Decoder, v: &Value, path: Path) -> Option<Money> {
        let mut o: Obj = d.object(v, path)?;
        let minor = d.required(&mut o, "minor").and_then(|(v, p)| d.int(v, &p, 0, MAX_MINOR));
        let currency = d
            .required(&mut o, "currency")
            .and_then(|(v, p)| d.parsed(v, &p, "a 3-letter currency code such as USD", Currency::parse));
        d.close(o);
        Some(Money { minor: minor?, currency: currency? })
    }
}

/// Checks that two amounts share a currency, for arithmetic.
pub fn same_currency(a: &Money, b: &Money, d: &mut Decoder, path: Path) -> bool {
    let ok = a.currency == b.currency;
    if !ok {
        d.error(
            path,
            Code::InvalidValue,
            format!("Currency {} differs from {}.", b.currency.as_str(), a.currency.as_str()),
        );
    }
    ok
}
