//! Huawei's price inquiry (BSS): the price of the exact configuration of a draft, yearly/monthly
//! (`POST /v2/bills/ratings/period-resources/subscribe-rate`) or pay-per-use per hour (`POST
//! /v2/bills/ratings/on-demand-resources`). The catalog stays the default and the fallback; a quote
//! says which priced it (`price_source`).

use crate::drafts::{Bandwidth, Billing, ChargeBy, Disk, Draft, NewEip, PeriodType, Spec};
use crate::money::{Currency, Money};
use serde_json::{json, Value};

pub const PERIOD_PATH: &str = "/v2/bills/ratings/period-resources/subscribe-rate";
pub const DEMAND_PATH: &str = "/v2/bills/ratings/on-demand-resources";
/// Huawei's measure ids: GB (disk sizes), Mbit/s (bandwidth), hour (on-demand usage).
const GB: i64 = 17;
const MBITS: i64 = 15;
const HOUR: i64 = 4;

/// One priced product of a draft: (cloud service type, resource type, spec, size and its measure, count).
struct Product {
    service: &'static str,
    resource: &'static str,
    spec: String,
    size: Option<(i64, i64)>,
    count: i64,
}

fn disk(d: &Disk, count: i64) -> Product {
    Product {
        service: "hws.service.type.ebs",
        resource: "hws.resource.type.volume",
        spec: d.disk_type.clone(),
        size: Some((d.size, GB)),
        count,
    }
}

/// An EIP and, unless it is billed by traffic (usage-based) or joins a shared bandwidth, its bandwidth.
fn eip(e: &NewEip, count: i64, out: &mut Vec<Product>) {
    let ip = |resource, spec: String, size| Product { service: "hws.service.type.vpc", resource, spec, size, count };
    out.push(ip("hws.resource.type.ip", e.ip_type.clone(), None));
    if let Bandwidth::Dedicated { size, charge_by: ChargeBy::Bandwidth, .. } = e.bandwidth {
        let spec = format!("19_{}", e.ip_type.trim_start_matches("5_"));
        out.push(ip("hws.resource.type.bandwidth", spec, Some((size, MBITS))));
    }
}

fn products(d: &Draft) -> Vec<Product> {
    let mut out = Vec::new();
    match &d.spec {
        Spec::Ecs(e) => {
            out.push(Product {
                service: "hws.service.type.ec2",
                resource: "hws.resource.type.vm",
                spec: format!("{}.linux", e.flavor),
                size: None,
                count: e.count,
            });
            out.push(disk(&e.root_disk, e.count));
            out.extend(e.data_disks.iter().map(|x| disk(x, e.count)));
            if let Some(ip) = &e.eip {
                eip(ip, e.count, &mut out);
            }
        }
        Spec::Evs(v) => out.push(disk(&v.disk, v.count)),
        Spec::Eip(ip) => eip(ip, 1, &mut out),
    }
    out
}

/// The inquiry for `d` in the customer's `project`: the path and the body.
pub fn inquiry(d: &Draft, project: &str) -> (&'static str, Value) {
    let infos: Vec<Value> = products(d)
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let mut v = json!({
                "id": (i + 1).to_string(), "cloud_service_type": p.service, "resource_type": p.resource,
                "resource_spec": p.spec, "region": d.region, "subscription_num": p.count,
            });
            if let Some(z) = &d.availability_zone {
                v["available_zone"] = Value::from(z.as_str());
            }
            if let Some((size, measure)) = p.size {
                v["resource_size"] = Value::from(size);
                v["size_measure_id"] = Value::from(measure);
            }
            match d.billing {
                Billing::YearlyMonthly { period_type, period_num, .. } => {
                    v["period_type"] = Value::from(if period_type == PeriodType::Year { 3 } else { 2 });
                    v["period_num"] = Value::from(period_num);
                }
                Billing::PayPerUse => {
                    v["usage_factor"] = Value::from("Duration");
                    v["usage_value"] = Value::from(1);
                    v["usage_measure_id"] = Value::from(HOUR);
                }
            }
            v
        })
        .collect();
    let path = if d.billing == Billing::PayPerUse { DEMAND_PATH } else { PERIOD_PATH };
    (path, json!({"project_id": project, "product_infos": infos}))
}

/// A decimal amount in currency units as minor units (cents), rounded half up.
pub(crate) fn minor(v: &Value) -> Option<i64> {
    let s = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return None,
    };
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if whole.starts_with('-') || !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let padded = format!("{frac:0<3}");
    let cents: i64 = padded[..2].parse().ok()?;
    let up = (padded.as_bytes()[2] >= b'5') as i64;
    whole.parse::<i64>().ok()?.checked_mul(100)?.checked_add(cents + up)
}

/// The price in Huawei's answer: yearly/monthly, the official amount of the period; pay-per-use, the
/// hourly amount times `hours_per_month` (the quote's estimated month). `None` if the answer is not
/// readable or in another currency than `currency`.
pub fn total(d: &Draft, answer: &Value, currency: Currency, hours_per_month: i64) -> Option<Money> {
    let cur = answer.get("currency").and_then(Value::as_str).and_then(Currency::parse)?;
    if cur != currency {
        return None;
    }
    let amount = match d.billing {
        Billing::YearlyMonthly { .. } => {
            minor(answer.pointer("/official_website_rating_result/official_website_amount")?)?
        }
        // Per hour, with sub-cent precision kept until the month is counted.
        Billing::PayPerUse => {
            let hourly = answer.get("official_website_amount")?;
            let e4 = minor_e4(hourly)?;
            (e4.checked_mul(hours_per_month)? + 5_000).div_euclid(10_000)
        }
    };
    Some(Money::new(amount, currency))
}

/// A decimal amount as minor units × 10⁴ (hourly rates need sub-cent precision), truncated past that.
fn minor_e4(v: &Value) -> Option<i64> {
    let s = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return None,
    };
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) || whole.is_empty() {
        return None;
    }
    let padded = format!("{frac:0<6}");
    whole.parse::<i64>().ok()?.checked_mul(1_000_000)?.checked_add(padded[..6].parse().ok()?)
}

#[cfg(test)]
mod tests;
