//! Prices a valid draft from the catalog: line items, the total, the hourly rate and estimated
//! month of pay-per-use, and the impact on the customer's budget (75/90/100 % levels, blocked past
//! 100 %). All arithmetic is in integers: catalog rates in minor units × 10⁴, each line rounded
//! half up to whole minor units, the total the sum of the lines.

use crate::catalog::{Catalog, EipRegion, Rate};
use crate::customers::Budget;
use crate::decode::Decoder;
use crate::drafts::{Bandwidth, Billing, ChargeBy, Disk, Draft, NewEip, Spec};
use crate::error::{ApiError, Code, Path};
use crate::ids::{CustomerId, QuoteId};
use crate::money::{Currency, Money};
use crate::time::Timestamp;
use serde::Serialize;
use serde_json::Value;

/// What a quote needs to know about the customer: its id and budget (the `budget` object of
/// `GET /v1/customers/{id}` is accepted as is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteCustomer {
    pub id: CustomerId,
    pub budget: Option<Budget>,
}

impl QuoteCustomer {
    /// Reads `{"id", "budget"}`; `validation_failed` with every field error.
    pub fn decode(v: &Value) -> Result<Self, ApiError> {
        Decoder::run(|d| {
            let mut o = d.object(v, Path::new())?;
            let id = d
                .required(&mut o, "id")
                .and_then(|(v, p)| d.parsed(v, &p, "32 lowercase hex digits", CustomerId::parse));
            let budget = d.optional(&mut o, "budget").map(|(v, p)| Budget::decode(d, v, p));
            d.close(o);
            let budget = match budget {
                Some(b) => Some(b?),
                None => None,
            };
            Some(QuoteCustomer { id: id?, budget })
        })
    }
}

/// A unit price: minor units × 10⁴ per `per` (`month`, `hour`, `GB`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitPrice {
    pub minor_e4: Rate,
    pub currency: Currency,
    pub per: &'static str,
}

/// One priced line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// Stable line code, e.g. `ecs.flavor`, `ecs.data_disk.1`, `eip.bandwidth.tier_2`.
    pub code: String,
    pub description: String,
    pub unit_price: UnitPrice,
    /// Units priced: instances, GB, Mbit/s, IOPS or MiB/s (times the count).
    pub quantity: i64,
    pub unit: &'static str,
    /// Billed months (yearly/monthly) or hours in the estimated month (pay-per-use).
    pub periods: i64,
    pub period_unit: &'static str,
    pub amount: Money,
}

/// A usage-based price that no quote can total (traffic).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsagePrice {
    pub code: String,
    pub description: String,
    pub unit_price: UnitPrice,
}

/// The subscription period of a yearly/monthly quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    #[serde(rename = "type")]
    pub period_type: &'static str,
    pub num: i64,
    /// Months billed (a year is billed as the catalog's `yearly_billed_months`).
    pub billed_months: i64,
}

/// What the order does to the customer's budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BudgetImpact {
    pub amount: Money,
    pub used: Money,
    pub remaining: Money,
    /// Used after the order (the total; for pay-per-use, the estimated month).
    pub used_after: Money,
    pub usage_after_percent: i64,
    /// The highest warning level reached: 75, 90 or 100; `null` below 75 %.
    pub level: Option<i64>,
    /// True when the order would take usage past 100 %: it will be refused.
    pub blocked: bool,
}

/// A priced draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quote {
    pub customer_id: CustomerId,
    pub service: &'static str,
    pub region: String,
    pub billing: &'static str,
    pub period: Option<Period>,
    pub currency: Currency,
    pub lines: Vec<Line>,
    pub usage_based: Vec<UsagePrice>,
    /// Yearly/monthly: the amount of the order. Pay-per-use: the estimated month.
    pub total: Money,
    /// Pay-per-use: the rate per hour of everything ordered.
    pub hourly: Option<UnitPrice>,
    /// Pay-per-use: `hourly` × the catalog's hours per month, rounded per line.
    pub estimated_month: Option<Money>,
    pub budget: Option<BudgetImpact>,
    pub catalog_version: String,
    /// What priced `total`: `catalog` (the embedded catalog, the default and the fallback) or
    /// `huawei` (Huawei Cloud's price inquiry for the exact configuration; the lines stay the catalog's).
    pub price_source: &'static str,
}

/// `Quote::price_source` values.
pub const PRICED_BY_CATALOG: &str = "catalog";
pub const PRICED_BY_HUAWEI: &str = "huawei";

impl Quote {
    /// Huawei Cloud priced the exact configuration at `total`: the total (and the budget impact, which
    /// follows it) are Huawei's; the lines remain the catalog's breakdown.
    pub fn priced_by_huawei(&mut self, total: Money, budget: Option<&crate::customers::Budget>) {
        self.total = total;
        if self.billing == "pay_per_use" {
            self.estimated_month = Some(total);
        }
        self.budget = budget.map(|b| impact(b, total));
        self.price_source = PRICED_BY_HUAWEI;
    }
}

/// `x` minor units × 10⁴ rounded half up to minor units.
fn round(x: i128) -> i64 {
    ((x + 5_000).div_euclid(10_000)) as i64
}

struct Pricer<'c> {
    catalog: &'c Catalog,
    currency: Currency,
    /// Billed months, or `None` for pay-per-use.
    months: Option<i64>,
    lines: Vec<Line>,
    usage: Vec<UsagePrice>,
    hourly: i128,
}

impl Pricer<'_> {
    /// Adds a line priced `month`ly (yearly/monthly) or `hour`ly (pay-per-use) per unit.
    fn line(
        &mut self,
        code: String,
        description: String,
        month: Option<Rate>,
        hour: Rate,
        quantity: i64,
        unit: &'static str,
    ) {
        let (rate, per, periods, period_unit) = match self.months {
            Some(m) => (month.unwrap_or(0), "month", m, "month"),
            None => (hour, "hour", self.catalog.hours_per_month, "hour"),
        };
        if self.months.is_none() {
            self.hourly += rate as i128 * quantity as i128;
        }
        let amount = Money::new(round(rate as i128 * quantity as i128 * periods as i128), self.currency);
        self.lines.push(Line {
            code,
            description,
            unit_price: UnitPrice { minor_e4: rate, currency: self.currency, per },
            quantity,
            unit,
            periods,
            period_unit,
            amount,
        });
    }

    fn disk(&mut self, region: &str, code: &str, label: &str, d: &Disk, count: i64) {
        let Some((t, p)) = self.catalog.disk_type(&d.disk_type).and_then(|t| Some((t, *t.prices.get(region)?))) else {
            return;
        };
        self.line(
            code.to_string(),
            format!("{label}: {} ({}), {} GB", t.id, t.name, d.size),
            p.month_minor_e4,
            p.hour_minor_e4,
            d.size * count,
            "GB",
        );
        if let (Some(iops), Some(rate)) = (d.iops, p.iops_hour_minor_e4) {
            self.line(
                format!("{code}.iops"),
                format!("{label}: {iops} provisioned IOPS"),
                None,
                rate,
                iops * count,
                "IOPS",
            );
        }
        if let (Some(tp), Some(rate)) = (d.throughput, p.throughput_hour_minor_e4) {
            self.line(
                format!("{code}.throughput"),
                format!("{label}: {tp} MiB/s provisioned throughput"),
                None,
                rate,
                tp * count,
                "MiB/s",
            );
        }
    }

    fn eip(&mut self, e: &EipRegion, code: &str, ip: &NewEip, count: i64) {
        let address = |p: &mut Self, why: &str| {
            p.line(
                format!("{code}.address"),
                format!("EIP {} address ({why})", ip.ip_type),
                Some(e.ip_month_minor_e4),
                e.ip_hour_minor_e4,
                count,
                "address",
            )
        };
        match &ip.bandwidth {
            Bandwidth::Dedicated { size, charge_by: ChargeBy::Bandwidth, .. } => {
                let mut from = 0;
                for (i, t) in e.bandwidth_tiers.iter().enumerate() {
                    let slice = (*size).min(t.up_to_mbit) - from;
                    if slice > 0 {
                        let d = format!("EIP {} dedicated bandwidth, {}-{} Mbit/s", ip.ip_type, from + 1, from + slice);
                        self.line(
                            format!("{code}.bandwidth.tier_{}", i + 1),
                            d,
                            Some(t.month_minor_e4),
                            t.hour_minor_e4,
                            slice * count,
                            "Mbit/s",
                        );
                    }
                    from = from.max(t.up_to_mbit.min(*size));
                }
            }
            Bandwidth::Dedicated { size, charge_by: ChargeBy::Traffic, .. } => {
                address(self, &format!("bandwidth up to {size} Mbit/s billed by traffic"));
                self.usage.push(UsagePrice {
                    code: format!("{code}.traffic"),
                    description: "Outbound traffic, billed per GB as used".into(),
                    unit_price: UnitPrice { minor_e4: e.traffic_gb_minor_e4, currency: self.currency, per: "GB" },
                });
            }
            Bandwidth::Shared { .. } => address(self, "joins a shared bandwidth billed on its own"),
        }
    }
}

/// Prices `draft` for `customer` (whose id must be the draft's: `validation_failed` at
/// `["customer", "id"]`). Fails with `currency_mismatch` when the budget is not in the catalog's
/// currency.
pub fn quote(draft: &Draft, catalog: &Catalog, customer: &QuoteCustomer) -> Result<Quote, ApiError> {
    if customer.id != draft.customer_id {
        let mut d = Decoder::new();
        d.error(
            crate::error::path(&["customer", "id"]),
            Code::InvalidValue,
            "The customer is not the draft's customer.",
        );
        return Err(ApiError::validation(d.into_errors()));
    }
    let currency = catalog.currency;
    same_currency(customer.budget.as_ref(), currency)?;
    let period = match draft.billing {
        Billing::PayPerUse => None,
        Billing::YearlyMonthly { period_type, period_num, .. } => {
            let billed = match period_type {
                crate::drafts::PeriodType::Month => period_num,
                crate::drafts::PeriodType::Year => period_num * catalog.yearly_billed_months,
            };
            Some(Period { period_type: period_type.as_str(), num: period_num, billed_months: billed })
        }
    };
    let mut p = Pricer {
        catalog,
        currency,
        months: period.as_ref().map(|x| x.billed_months),
        lines: Vec::new(),
        usage: Vec::new(),
        hourly: 0,
    };
    let region = draft.region.as_str();
    match &draft.spec {
        Spec::Ecs(e) => {
            if let Some((f, fp)) = catalog.flavor(&e.flavor).and_then(|f| Some((f, *f.prices.get(region)?))) {
                let d = format!("ECS {} ({} vCPUs, {} GiB)", f.id, f.vcpus, f.memory_gib);
                p.line("ecs.flavor".into(), d, Some(fp.month_minor_e4), fp.hour_minor_e4, e.count, "instance");
            }
            p.disk(region, "ecs.system_disk", "System disk", &e.root_disk, e.count);
            for (i, d) in e.data_disks.iter().enumerate() {
                p.disk(region, &format!("ecs.data_disk.{}", i + 1), &format!("Data disk {}", i + 1), d, e.count);
            }
            if let (Some(ip), Some(er)) = (&e.eip, catalog.eip(region)) {
                p.eip(er, "ecs.eip", ip, e.count);
            }
        }
        Spec::Evs(e) => p.disk(region, "evs.disk", "EVS disk", &e.disk, e.count),
        Spec::Eip(ip) => {
            if let Some(er) = catalog.eip(region) {
                p.eip(er, "eip", ip, 1);
            }
        }
    }
    let total = Money::new(p.lines.iter().map(|l| l.amount.minor).sum(), currency);
    let pay_per_use = period.is_none();
    let hourly = pay_per_use.then_some(UnitPrice { minor_e4: p.hourly as i64, currency, per: "hour" });
    let budget = customer.budget.as_ref().map(|b| impact(b, total));
    Ok(Quote {
        customer_id: draft.customer_id.clone(),
        service: draft.service().as_str(),
        region: draft.region.clone(),
        billing: draft.billing.mode(),
        period,
        currency,
        lines: p.lines,
        usage_based: p.usage,
        total,
        hourly,
        estimated_month: pay_per_use.then_some(total),
        budget,
        catalog_version: catalog.version.clone(),
        price_source: PRICED_BY_CATALOG,
    })
}

/// The budget after spending `total`: usage in whole percent (rounded down), the warning level
/// reached, blocked past 100 %. A zero budget blocks any non-zero amount.
pub fn impact(b: &Budget, total: Money) -> BudgetImpact {
    let after = b.used.minor.saturating_add(total.minor);
    let pct = if b.amount.minor <= 0 {
        if after > 0 {
            100
        } else {
            0
        }
    } else {
        ((after as i128 * 100) / b.amount.minor as i128) as i64
    };
    let level = [100, 90, 75].into_iter().find(|l| pct >= *l);
    BudgetImpact {
        amount: b.amount,
        used: b.used,
        remaining: Money::new((b.amount.minor - b.used.minor).max(0), b.amount.currency),
        used_after: Money::new(after, b.amount.currency),
        usage_after_percent: pct,
        level,
        blocked: after > b.amount.minor,
    }
}

/// How long a stored quote's price holds, seconds.
pub const QUOTE_TTL: i64 = 15 * 60;

/// The draft as a quote stores it: everything but the login password, which is never stored (an
/// order citing the quote sends it again).
pub fn without_secrets(draft: &Value) -> Value {
    let mut v = draft.clone();
    if let Some(login) = v.get_mut("ecs").and_then(|e| e.get_mut("login")).and_then(Value::as_object_mut) {
        login.remove("password");
    }
    v
}

/// SHA-256 (hex) of the draft's JSON text as received after parsing (keys in received order), so
/// that an order can prove it is the quoted draft.
pub fn draft_sha256(draft: &Value) -> String {
    use sha2::{Digest, Sha256};
    crate::ids::hex(&Sha256::digest(draft.to_string().as_bytes()))
}

/// The currency rule: a budget counts amounts in its own currency only; `currency_mismatch`
/// when `currency` (of prices or of an order) is another. No budget: any currency.
pub fn same_currency(budget: Option<&Budget>, currency: Currency) -> Result<(), ApiError> {
    match budget {
        Some(b) if b.amount.currency != currency => Err(ApiError::with_message(
            Code::CurrencyMismatch,
            format!("The customer's budget is in {}, the amount in {}.", b.amount.currency.as_str(), currency.as_str()),
        )),
        _ => Ok(()),
    }
}

/// A quote as stored for 15 minutes ([`QUOTE_TTL`]) and cited by an order.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredQuote {
    pub id: QuoteId,
    pub customer_id: CustomerId,
    /// The draft without the login password ([`without_secrets`]).
    pub draft: Value,
    pub draft_sha256: String,
    /// The quote as it was answered.
    pub quote: Value,
    /// The price it locked.
    pub total: Money,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

impl StoredQuote {
    /// A new quote of `draft` (as received), priced `quote`, valid from `now` for [`QUOTE_TTL`].
    pub fn new(id: QuoteId, draft: &Value, quote: &Quote, now: Timestamp) -> Result<Self, ApiError> {
        Ok(StoredQuote {
            id,
            customer_id: quote.customer_id.clone(),
            draft: without_secrets(draft),
            draft_sha256: draft_sha256(draft),
            quote: serde_json::to_value(quote).map_err(|_| ApiError::new(Code::Internal))?,
            total: quote.total,
            created_at: now,
            expires_at: now.plus(QUOTE_TTL),
        })
    }

    /// The draft an order citing this quote places: `quote_expired` once the 15 minutes are over;
    /// a password login gets `password` (sent again with the order) back into the draft.
    pub fn draft_to_order(&self, password: Option<String>, now: Timestamp) -> Result<Value, ApiError> {
        if now >= self.expires_at {
            return Err(ApiError::new(Code::QuoteExpired));
        }
        let mut draft = self.draft.clone();
        if let (Some(pw), Some(login)) =
            (password, draft.get_mut("ecs").and_then(|e| e.get_mut("login")).and_then(Value::as_object_mut))
        {
            login.insert("password".into(), Value::from(pw));
        }
        Ok(draft)
    }

    /// As `POST /v1/quotes` and `GET /v1/quotes/{id}` answer it, `valid` false once expired.
    pub fn view(&self, now: Timestamp) -> Value {
        serde_json::json!({
            "id": self.id,
            "created_at": self.created_at,
            "expires_at": self.expires_at,
            "valid": now < self.expires_at,
            "draft_sha256": self.draft_sha256,
            "draft": self.draft,
            "quote": self.quote,
        })
    }
}

#[cfg(test)]
mod tests;
