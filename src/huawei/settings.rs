//! What a partner configures for Huawei Cloud: its access key (write-only) and, per customer, the
//! customer's Huawei account name and the agency the customer created for the partner.

use crate::decode::Decoder;
use crate::error::{ApiError, Code, Path};
use serde_json::Value;

/// `PUT /v1/huawei-key`: `{access_key_id, secret_access_key, account_name?}` (`account_name`: the
/// partner's own Huawei account, which customers name when they create the agency).
#[derive(Clone, PartialEq, Eq)]
pub struct KeyInput {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub account_name: Option<String>,
}

impl std::fmt::Debug for KeyInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeyInput({}, secret hidden)", self.access_key_id)
    }
}

/// `PUT /v1/customers/{id}/huawei-account`: `{domain_name, agency_name}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub domain_name: String,
    pub agency_name: String,
}

fn token(d: &mut Decoder, v: &Value, path: &Path, max: usize, ok: fn(char) -> bool, what: &str) -> Option<String> {
    let s = d.text(v, path, 1, max)?;
    if !s.chars().all(ok) {
        d.error(path.clone(), Code::InvalidFormat, format!("Only {what}."));
        return None;
    }
    Some(s)
}

fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

fn agency_char(c: char) -> bool {
    name_char(c) || c == ' '
}

const AK: &str = "letters and digits (Huawei access key ids are 20 of them)";
const SK: &str = "visible ASCII characters without spaces";
const NAME: &str = "letters, digits, '-', '_' and '.'";
const AGENCY: &str = "letters, digits, spaces, '-', '_' and '.'";

impl KeyInput {
    pub fn decode(v: &Value) -> Result<Self, ApiError> {
        Decoder::run(|d| {
            let mut o = d.object(v, Path::new())?;
            let ak = d.required(&mut o, "access_key_id");
            let sk = d.required(&mut o, "secret_access_key");
            let account = d.optional(&mut o, "account_name");
            d.close(o);
            let ak = ak.and_then(|(v, p)| token(d, v, &p, 128, |c| c.is_ascii_alphanumeric(), AK));
            let sk = sk.and_then(|(v, p)| token(d, v, &p, 128, |c| c.is_ascii_graphic(), SK));
            let account = match account {
                Some((v, p)) => Some(Some(token(d, v, &p, 64, name_char, NAME)?)),
                None => Some(None),
            };
            Some(KeyInput { access_key_id: ak?, secret_access_key: sk?, account_name: account? })
        })
    }
}

impl Account {
    pub fn decode(v: &Value) -> Result<Self, ApiError> {
        Decoder::run(|d| Account::read(d, v, Path::new()))
    }

    /// Reads `{domain_name, agency_name}` at `path` (also inside a consent approval).
    pub fn read(d: &mut Decoder, v: &Value, path: Path) -> Option<Self> {
        let mut o = d.object(v, path)?;
        let dn = d.required(&mut o, "domain_name");
        let an = d.required(&mut o, "agency_name");
        d.close(o);
        let dn = dn.and_then(|(v, p)| token(d, v, &p, 64, name_char, NAME));
        let an = an.and_then(|(v, p)| token(d, v, &p, 64, agency_char, AGENCY));
        Some(Account { domain_name: dn?, agency_name: an? })
    }

    /// The agency name the consent page proposes when the partner set none: `onbehalf-` + the
    /// partner's name, reduced to what IAM accepts.
    pub fn suggested_agency(partner_name: &str) -> String {
        let clean: String = partner_name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
            .collect::<String>()
            .split('-')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        let mut s = format!("onbehalf-{clean}");
        s.truncate(64);
        s.trim_end_matches('-').to_string()
    }
}

/// The access key id as shown back: its first and last four characters.
pub fn masked_key_id(ak: &str) -> String {
    let n = ak.chars().count();
    if n <= 8 {
        return "*".repeat(n);
    }
    let head: String = ak.chars().take(4).collect();
    let tail: String = ak.chars().skip(n - 4).collect();
    format!("{head}{}{tail}", "*".repeat(n - 8))
}

#[cfg(test)]
mod tests;
