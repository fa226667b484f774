//! Customers: the partner's end customers with the fields Customer Management filters on.

pub mod query;

use crate::decode::{Decoder, Obj};
use crate::error::Path;
use crate::ids::{CustomerId, PartnerId};
use crate::money::Money;
use crate::time::Timestamp;
use serde::Serialize;
use serde_json::Value;

/// How a customer is associated with its partner (Huawei `association_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssociationType {
    /// `"1"`: referral / consultative sale; the partner cannot order on behalf.
    Referral,
    /// `"3"`: reseller mode; ordering on behalf is possible once authorized.
    Reseller,
}

impl AssociationType {
    /// Wire names (Huawei's codes).
    pub const NAMES: &'static [&'static str] = &["1", "3"];
    /// Parses `"1"` or `"3"`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "1" => Some(Self::Referral),
            "3" => Some(Self::Reseller),
            _ => None,
        }
    }
    /// `"1"` or `"3"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Referral => "1",
            Self::Reseller => "3",
        }
    }
}

impl Serialize for AssociationType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Real-name verification status (Huawei `verified_status`): -1 none, 0 under review,
/// 1 rejected, 2 verified, 3 failed. Only 2 passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct VerifiedStatus(pub i64);

impl VerifiedStatus {
    /// The one passing value.
    pub const VERIFIED: VerifiedStatus = VerifiedStatus(2);
    /// Parses -1..=3.
    pub fn parse(n: i64) -> Option<Self> {
        (-1..=3).contains(&n).then_some(VerifiedStatus(n))
    }
    /// Whether real-name verification is complete.
    pub fn is_verified(self) -> bool {
        self == Self::VERIFIED
    }
    /// A short label.
    pub fn label(self) -> &'static str {
        match self.0 {
            -1 => "not verified",
            0 => "under review",
            1 => "rejected",
            2 => "verified",
            _ => "failed",
        }
    }
}

/// Budget kinds (Huawei `MONTHLY` / `PACKAGE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetType {
    /// Resets on the 1st of each month at 00:00 UTC.
    Monthly,
    /// A one-time amount that does not reset.
    OneTime,
}

impl BudgetType {
    /// Wire names.
    pub const NAMES: &'static [&'static str] = &["monthly", "one_time"];
    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "monthly" => Some(Self::Monthly),
            "one_time" => Some(Self::OneTime),
            _ => None,
        }
    }
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Monthly => "monthly",
            Self::OneTime => "one_time",
        }
    }
}

/// A budget set by the partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Budget {
    #[serde(rename = "type")]
    pub budget_type: BudgetType,
    pub amount: Money,
    pub used: Money,
    /// Freeze the account automatically when usage reaches 100 %.
    pub auto_freeze: bool,
}

impl Budget {
    /// Usage in whole percent, rounded down; a zero budget counts as 100 % used.
    pub fn usage_percent(&self) -> i64 {
        if self.amount.minor <= 0 {
            return 100;
        }
        ((self.used.minor as i128 * 100) / self.amount.minor as i128) as i64
    }

    /// The warning level the usage has reached: 100 (exhausted), 90, 75, or 0 (below every level).
    /// The prerequisite check warns and blocks on it; Customer Management shows it as a chip.
    pub fn level(&self) -> i64 {
        match self.usage_percent() {
            p if p >= 100 => 100,
            p if p >= 90 => 90,
            p if p >= 75 => 75,
            _ => 0,
        }
    }

    /// Reads a budget from JSON.
    pub fn decode(d: &mut Decoder, v: &Value, path: Path) -> Option<Budget> {
        let mut o: Obj = d.object(v, path)?;
        let t = d.required(&mut o, "type").and_then(|(v, p)| d.one_of(v, &p, BudgetType::NAMES, BudgetType::parse));
        let amount = d.required(&mut o, "amount").and_then(|(v, p)| Money::decode(d, v, p));
        let used = d.required(&mut o, "used").and_then(|(v, p)| Money::decode(d, v, p));
        let auto_freeze = d.optional_or(&mut o, "auto_freeze", false, |d, v, p| d.bool(v, &p));
        // Derived; accepted so that the `budget` object of `GET /v1/customers/{id}` reads back as is.
        let _ = d.optional(&mut o, "usage_percent");
        let used_path = crate::decode::child(o.path(), "used");
        d.close(o);
        let (amount, used) = (amount?, used?);
        if !crate::money::same_currency(&amount, &used, d, used_path) {
            return None;
        }
        Some(Budget { budget_type: t?, amount, used, auto_freeze: auto_freeze? })
    }
}

/// The facts about a customer that the prerequisite check needs; no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerFacts {
    pub id: CustomerId,
    /// The partner the customer is associated with.
    pub partner_id: PartnerId,
    /// That partner's distributor, when the partner is a reseller.
    pub partner_distributor_id: Option<PartnerId>,
    pub association_type: AssociationType,
    pub frozen: bool,
    /// Frozen automatically because the budget ran out (implies `frozen`).
    pub auto_frozen: bool,
    pub verified_status: VerifiedStatus,
    pub budget: Option<Budget>,
    /// When Huawei's directory stopped listing the customer as the partner's (a sync marked it; its
    /// history stays): no longer served on behalf.
    pub gone_since: Option<Timestamp>,
}

impl CustomerFacts {
    /// Reads customer facts from JSON (browser input). `auto_frozen` implies `frozen`.
    pub fn decode(d: &mut Decoder, v: &Value, path: Path) -> Option<CustomerFacts> {
        let mut o = d.object(v, path)?;
        let id =
            d.required(&mut o, "id").and_then(|(v, p)| d.parsed(v, &p, "32 lowercase hex digits", CustomerId::parse));
        let partner_id = d
            .required(&mut o, "partner_id")
            .and_then(|(v, p)| d.parsed(v, &p, "32 lowercase hex digits", PartnerId::parse));
        let pdist = d
            .optional(&mut o, "partner_distributor_id")
            .map(|(v, p)| d.parsed(v, &p, "32 lowercase hex digits", PartnerId::parse));
        let assoc = d
            .required(&mut o, "association_type")
            .and_then(|(v, p)| d.one_of(v, &p, AssociationType::NAMES, AssociationType::parse));
        let frozen = d.required(&mut o, "frozen").and_then(|(v, p)| d.bool(v, &p));
        let auto_frozen = d.optional_or(&mut o, "auto_frozen", false, |d, v, p| d.bool(v, &p));
        let verified = d
            .required(&mut o, "verified_status")
            .and_then(|(v, p)| d.int(v, &p, -1, 3))
            .and_then(VerifiedStatus::parse);
        let budget = d.optional(&mut o, "budget").map(|(v, p)| Budget::decode(d, v, p));
        let gone = d.optional(&mut o, "gone_since").map(|(v, p)| d.timestamp(v, &p));
        d.close(o);
        let gone_since = match gone {
            Some(t) => Some(t?),
            None => None,
        };
        let partner_distributor_id = match pdist {
            Some(x) => Some(x?),
            None => None,
        };
        let budget = match budget {
            Some(b) => Some(b?),
            None => None,
        };
        let auto_frozen = auto_frozen?;
        Some(CustomerFacts {
            id: id?,
            partner_id: partner_id?,
            partner_distributor_id,
            association_type: assoc?,
            frozen: frozen? || auto_frozen,
            auto_frozen,
            verified_status: verified?,
            budget,
            gone_since,
        })
    }
}

/// A customer as stored: facts plus the descriptive and sensitive fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub facts: CustomerFacts,
    pub account_name: String,
    pub real_name: String,
    pub mobile_country_code: String,
    pub mobile: String,
    pub email: String,
    pub associated_on: Timestamp,
    pub account_manager: Option<String>,
    /// Huawei `customer_type`: -1 none, 0 individual, 1 enterprise.
    pub customer_type: i64,
    /// Huawei `customer_level`, `V0`..`V5`.
    pub level: String,
    pub frozen_reason: Option<String>,
    pub month_to_date_spend: Money,
    pub earliest_expiry: Option<Timestamp>,
    pub tags: Vec<String>,
}

/// Sensitive fields, masked in every response unless revealed.
pub const SENSITIVE_FIELDS: &[&str] = &["account_name", "real_name", "mobile", "email"];

impl Customer {
    /// The mobile number in international form for delivery: `0086` + `13812345678` → `+8613812345678`.
    pub fn mobile_international(&self) -> String {
        format!("+{}{}", self.mobile_country_code.trim_start_matches('0').trim_start_matches('+'), self.mobile)
    }
}

#[cfg(test)]
mod tests;
