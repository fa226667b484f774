//! Masking of sensitive customer fields. Every response that carries a customer's name, account
//! name, mobile or email passes it through here; only an audited reveal returns clear values.

use crate::customers::{AssociationType, BudgetType, Customer, VerifiedStatus, SENSITIVE_FIELDS};
use crate::ids::{CustomerId, PartnerId};
use crate::money::Money;
use crate::time::Timestamp;
use serde::Serialize;

/// A name keeps its first character: `Zhang Wei` → `Z***`. Empty stays empty.
pub fn name(s: &str) -> String {
    match s.chars().next() {
        Some(c) => format!("{c}***"),
        None => String::new(),
    }
}

/// A mobile number keeps its first 3 and last 4 digits: `13812345678` → `138****5678`.
/// Numbers of 7 digits or fewer keep only the last 2.
pub fn mobile(s: &str) -> String {
    let digits: Vec<char> = s.chars().filter(char::is_ascii_digit).collect();
    let n = digits.len();
    if n <= 7 {
        let keep = n.min(2);
        let mut out = "*".repeat(n - keep);
        out.extend(&digits[n - keep..]);
        return out;
    }
    let mut out: String = digits[..3].iter().collect();
    out.push_str(&"*".repeat(n - 7));
    out.extend(&digits[n - 4..]);
    out
}

/// An email keeps the first character of the local part and the domain: `ops@example.com` → `o***@example.com`.
pub fn email(s: &str) -> String {
    match s.rsplit_once('@') {
        Some((local, domain)) => format!("{}@{domain}", name(local)),
        None => name(s),
    }
}

/// A sensitive customer field that can be revealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    RealName,
    AccountName,
    Mobile,
    Email,
}

impl Field {
    /// Wire names.
    pub const NAMES: &'static [&'static str] = &["real_name", "account_name", "mobile", "email"];
    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "real_name" => Some(Self::RealName),
            "account_name" => Some(Self::AccountName),
            "mobile" => Some(Self::Mobile),
            "email" => Some(Self::Email),
            _ => None,
        }
    }
}

/// Distinct customers a user may reveal within any [`REVEAL_WINDOW`] seconds (sliding): every
/// customer of a column reveal counts; revealing another field of a customer already revealed in the
/// window does not count again. The write holds the limit (`sql::guards::reveals`).
pub const REVEALS_PER_WINDOW: i64 = 30;
/// The rate-limit window, in seconds.
pub const REVEAL_WINDOW: i64 = 60;
/// Most customers one reveal request may cover: the per-minute limit.
pub const MAX_REVEAL_IDS: usize = REVEALS_PER_WINDOW as usize;

/// A validated reveal request: which fields, of which customers (for a column reveal), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevealRequest {
    pub fields: Vec<Field>,
    pub ids: Vec<crate::ids::CustomerId>,
    pub reason: String,
}

impl RevealRequest {
    /// Reads `{"fields": [...], "reason": "4-200 chars"}`, plus `"ids": [...]` (1-30) when `with_ids`.
    pub fn decode(v: &serde_json::Value, with_ids: bool) -> Result<Self, crate::error::ApiError> {
        use crate::decode::Decoder;
        use crate::error::Code;
        Decoder::run(|d| {
            let mut o = d.object(v, vec![])?;
            let fields = d.required(&mut o, "fields").and_then(|(v, p)| {
                let mut f = d.array(v, &p, 4, |d, x, p| d.one_of(x, &p, Field::NAMES, Field::parse))?;
                let n = f.len();
                crate::sorting::sort(&mut f);
                f.dedup();
                if n == 0 || f.len() != n {
                    d.error(
                        p,
                        if n == 0 { Code::Required } else { Code::Duplicate },
                        "Name each field to reveal once.",
                    );
                    return None;
                }
                Some(f)
            });
            let ids = if with_ids {
                d.required(&mut o, "ids").and_then(|(v, p)| {
                    let ids = d.array(v, &p, MAX_REVEAL_IDS, |d, x, p| {
                        d.parsed(x, &p, "a customer id", crate::ids::CustomerId::parse)
                    })?;
                    if ids.is_empty() {
                        d.error(p, Code::Required, "Name at least one customer.");
                        return None;
                    }
                    Some(ids)
                })
            } else {
                Some(Vec::new())
            };
            let reason = d.required(&mut o, "reason").and_then(|(v, p)| d.text(v, &p, 4, 200));
            d.close(o);
            Some(RevealRequest { fields: fields?, ids: ids?, reason: reason? })
        })
    }
}

/// The refusal of a reveal past the limit: `rate_limited` with `retry_after`, the seconds until the
/// oldest reveal in the window (at `oldest`) leaves it.
pub fn reveal_refusal(oldest: Option<crate::time::Timestamp>, now: crate::time::Timestamp) -> crate::error::ApiError {
    let retry = oldest.map_or(REVEAL_WINDOW, |t| (t.unix() + REVEAL_WINDOW - now.unix()).clamp(1, REVEAL_WINDOW));
    crate::error::ApiError::with_message(
        crate::error::Code::RateLimited,
        format!("At most {REVEALS_PER_WINDOW} customers revealed per minute; retry in {retry} s."),
    )
    .with_data(serde_json::json!({"retry_after": retry}))
}

/// The customers a reveal may show: every requested id must exist and be visible to `actor`, else
/// `not_found` for the whole request, without saying which id failed.
pub fn reveal_targets<'a>(
    actor: &crate::partners::Actor,
    requested: &[crate::ids::CustomerId],
    found: &'a [Customer],
) -> Result<Vec<&'a Customer>, crate::error::ApiError> {
    let mut wanted = requested.to_vec();
    crate::sorting::sort(&mut wanted);
    wanted.dedup();
    let visible: Vec<&Customer> = found
        .iter()
        .filter(|c| {
            wanted.contains(&c.facts.id) && actor.sees(&c.facts.partner_id, c.facts.partner_distributor_id.as_ref())
        })
        .collect();
    if visible.len() == wanted.len() {
        Ok(visible)
    } else {
        Err(crate::error::ApiError::new(crate::error::Code::NotFound))
    }
}

/// The clear values of `fields` of a customer (only for an authorized, audited reveal).
pub fn revealed(c: &Customer, fields: &[Field]) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    m.insert("id".into(), serde_json::Value::from(c.facts.id.as_str()));
    for f in fields {
        let (k, v) = match f {
            Field::RealName => ("real_name", serde_json::Value::from(c.real_name.as_str())),
            Field::AccountName => ("account_name", serde_json::Value::from(c.account_name.as_str())),
            Field::Mobile => ("mobile", serde_json::json!({"country_code": c.mobile_country_code, "number": c.mobile})),
            Field::Email => ("email", serde_json::Value::from(c.email.as_str())),
        };
        m.insert(k.into(), v);
    }
    serde_json::Value::Object(m)
}

/// A customer as every response shows it: sensitive fields masked. Written out field by field, in
/// this order (no JSON tree is built: a page of customers is serialized straight into its body).
#[derive(Serialize)]
pub struct MaskedView<'a> {
    id: &'a CustomerId,
    account_name: String,
    real_name: String,
    mobile: MaskedMobile<'a>,
    email: String,
    masked: &'static [&'static str],
    association: AssociationView<'a>,
    account_manager: &'a Option<String>,
    verified_status: VerifiedStatus,
    customer_type: i64,
    level: &'a str,
    frozen: FrozenView<'a>,
    budget: Option<BudgetView<'a>>,
    month_to_date_spend: &'a Money,
    earliest_expiry: &'a Option<Timestamp>,
    tags: &'a [String],
    gone_since: &'a Option<Timestamp>,
}

#[derive(Serialize)]
struct MaskedMobile<'a> {
    country_code: &'a str,
    number: String,
}

#[derive(Serialize)]
struct AssociationView<'a> {
    partner_id: &'a PartnerId,
    partner_distributor_id: &'a Option<PartnerId>,
    #[serde(rename = "type")]
    association_type: AssociationType,
    associated_on: Timestamp,
}

#[derive(Serialize)]
struct FrozenView<'a> {
    frozen: bool,
    auto: bool,
    reason: &'a Option<String>,
}

#[derive(Serialize)]
struct BudgetView<'a> {
    #[serde(rename = "type")]
    budget_type: BudgetType,
    amount: &'a Money,
    used: &'a Money,
    auto_freeze: bool,
    usage_percent: i64,
}

impl Customer {
    /// The customer as every response shows it: sensitive fields masked.
    pub fn masked_view(&self) -> MaskedView<'_> {
        let f = &self.facts;
        MaskedView {
            id: &f.id,
            account_name: name(&self.account_name),
            real_name: name(&self.real_name),
            mobile: MaskedMobile { country_code: &self.mobile_country_code, number: mobile(&self.mobile) },
            email: email(&self.email),
            masked: SENSITIVE_FIELDS,
            association: AssociationView {
                partner_id: &f.partner_id,
                partner_distributor_id: &f.partner_distributor_id,
                association_type: f.association_type,
                associated_on: self.associated_on,
            },
            account_manager: &self.account_manager,
            verified_status: f.verified_status,
            customer_type: self.customer_type,
            level: &self.level,
            frozen: FrozenView { frozen: f.frozen, auto: f.auto_frozen, reason: &self.frozen_reason },
            budget: f.budget.as_ref().map(|b| BudgetView {
                budget_type: b.budget_type,
                amount: &b.amount,
                used: &b.used,
                auto_freeze: b.auto_freeze,
                usage_percent: b.usage_percent(),
            }),
            month_to_date_spend: &self.month_to_date_spend,
            earliest_expiry: &self.earliest_expiry,
            tags: &self.tags,
            gone_since: &f.gone_since,
        }
    }
}

#[cfg(test)]
mod tests;
