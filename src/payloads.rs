//! The exact Huawei Cloud request for a valid draft (`../shared/design/huawei-payloads.md`):
//! ECS `POST /v1.1/{project_id}/cloudservers`, EVS `POST /v2.1/{project_id}/cloudvolumes`, EIP
//! `POST /v1/{project_id}/publicips` (pay-per-use) or `POST /v2.0/{project_id}/publicips`
//! (yearly/monthly). Key names and value types are Huawei's, quirks included: ECS/EVS
//! `isAutoPay`/`isAutoRenew` are the strings `"true"`/`"false"`, EIP `is_auto_pay`/`is_auto_renew`
//! are booleans; ECS says `extendparam`, EVS `bssParam`, EIP `extendParam`. Absent values are
//! omitted, never `null`.

use crate::decode::{child, Decoder};
use crate::drafts::{Bandwidth, Billing, ChargeBy, Disk, Draft, Ecs, Evs, Login, NewEip, Spec};
use crate::error::{ApiError, Code, Path};
use serde::Serialize;
use serde_json::{json, Map, Value};

/// One HTTP request to a Huawei Cloud API.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HuaweiRequest {
    pub method: &'static str,
    pub path: String,
    pub body: Value,
}

/// Checks a Huawei project id (32 hex digits): `validation_failed` at `["project_id"]` otherwise.
pub fn project_id(s: &str) -> Result<&str, ApiError> {
    if s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(s);
    }
    let mut d = Decoder::new();
    d.error(child(&Path::new(), "project_id"), Code::InvalidFormat, "A Huawei Cloud project id is 32 hex digits.");
    Err(ApiError::validation(d.into_errors()))
}

/// Builds the request that creates `draft`'s resources in the customer's project `project_id`
/// (checked by [`project_id`]: `validation_failed` at `["project_id"]`).
pub fn build(draft: &Draft, project: &str) -> Result<HuaweiRequest, ApiError> {
    let project = project_id(project)?;
    Ok(match &draft.spec {
        Spec::Ecs(e) => HuaweiRequest { method: "POST", path: format!("/v1.1/{project}/cloudservers"), body: ecs(draft, e) },
        Spec::Evs(e) => HuaweiRequest { method: "POST", path: format!("/v2.1/{project}/cloudvolumes"), body: evs(draft, e) },
        Spec::Eip(e) => {
            let version = if matches!(draft.billing, Billing::PayPerUse) { "v1" } else { "v2.0" };
            HuaweiRequest { method: "POST", path: format!("/{version}/{project}/publicips"), body: eip(draft, e) }
        }
    })
}

fn flag(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

fn charging_mode(b: &Billing) -> &'static str {
    match b {
        Billing::PayPerUse => "postPaid",
        Billing::YearlyMonthly { .. } => "prePaid",
    }
}

fn obj(pairs: Vec<(&str, Option<Value>)>) -> Value {
    let mut m = Map::new();
    for (k, v) in pairs {
        if let Some(v) = v {
            m.insert(k.to_string(), v);
        }
    }
    Value::Object(m)
}

/// A root or data volume; `iops`/`throughput` only when given (pay-per-use GPSSD2/ESSD2).
fn volume(d: &Disk, data: bool) -> Value {
    obj(vec![
        ("volumetype", Some(json!(d.disk_type))),
        ("size", Some(json!(d.size))),
        ("multiattach", data.then(|| json!(d.shareable))),
        ("iops", d.iops.map(|x| json!(x))),
        ("throughput", d.throughput.map(|x| json!(x))),
    ])
}

fn ecs(draft: &Draft, e: &Ecs) -> Value {
    let extendparam = match draft.billing {
        Billing::PayPerUse => json!({"chargingMode": "postPaid", "regionID": draft.region}),
        Billing::YearlyMonthly { period_type, period_num, auto_renew, auto_pay } => json!({
            "chargingMode": "prePaid",
            "regionID": draft.region,
            "periodType": period_type.as_str(),
            "periodNum": period_num,
            "isAutoRenew": flag(auto_renew),
            "isAutoPay": flag(auto_pay),
        }),
    };
    let publicip = e.eip.as_ref().map(|ip| {
        let (bandwidth, shared) = match &ip.bandwidth {
            Bandwidth::Dedicated { size, charge_by, .. } => (
                obj(vec![
                    ("size", Some(json!(size))),
                    ("sharetype", Some(json!("PER"))),
                    // Absent means "by bandwidth"; Huawei accepts only "traffic" as a value.
                    ("chargemode", (*charge_by == ChargeBy::Traffic).then(|| json!("traffic"))),
                ]),
                false,
            ),
            Bandwidth::Shared { id } => (json!({"sharetype": "WHOLE", "id": id}), true),
        };
        json!({"eip": obj(vec![
            ("iptype", Some(json!(ip.ip_type))),
            ("bandwidth", Some(bandwidth)),
            // A shared bandwidth's billing decides; Huawei ignores prePaid there.
            ("extendparam", (!shared).then(|| json!({"chargingMode": charging_mode(&draft.billing)}))),
        ])})
    });
    let (key_name, admin_pass) = match &e.login {
        Login::KeyPair(k) => (Some(json!(k)), None),
        Login::Password(p) => (None, Some(json!(p))),
    };
    let metadata = (!e.metadata.is_empty()).then(|| Value::Object(e.metadata.iter().map(|(k, v)| (k.clone(), json!(v))).collect()));
    let server = obj(vec![
        ("availability_zone", draft.availability_zone.as_ref().map(|z| json!(z))),
        ("name", Some(json!(e.name))),
        ("imageRef", Some(json!(e.image))),
        ("flavorRef", Some(json!(e.flavor))),
        ("vpcid", Some(json!(e.vpc_id))),
        ("nics", Some(json!([{"subnet_id": e.subnet_id}]))),
        ("security_groups", (!e.security_group_ids.is_empty()).then(|| Value::Array(e.security_group_ids.iter().map(|id| json!({"id": id})).collect()))),
        ("root_volume", Some(volume(&e.root_disk, false))),
        ("data_volumes", (!e.data_disks.is_empty()).then(|| Value::Array(e.data_disks.iter().map(|d| volume(d, true)).collect()))),
        ("publicip", publicip),
        ("key_name", key_name),
        ("adminPass", admin_pass),
        ("count", Some(json!(e.count))),
        ("extendparam", Some(extendparam)),
        ("metadata", metadata),
        ("server_tags", (!e.tags.is_empty()).then(|| Value::Array(e.tags.iter().map(|(k, v)| json!({"key": k, "value": v})).collect()))),
    ]);
    json!({ "server": server })
}

fn evs(draft: &Draft, e: &Evs) -> Value {
    let bss = match draft.billing {
        Billing::PayPerUse => json!({"chargingMode": "postPaid"}),
        Billing::YearlyMonthly { period_type, period_num, auto_renew, auto_pay } => json!({
            "chargingMode": "prePaid",
            "periodType": period_type.as_str(),
            "periodNum": period_num,
            "isAutoPay": flag(auto_pay),
            "isAutoRenew": flag(auto_renew),
        }),
    };
    let volume = obj(vec![
        ("availability_zone", draft.availability_zone.as_ref().map(|z| json!(z))),
        ("volume_type", Some(json!(e.disk.disk_type))),
        ("size", Some(json!(e.disk.size))),
        ("count", Some(json!(e.count))),
        ("name", Some(json!(e.name))),
        ("multiattach", Some(json!(e.disk.shareable))),
        ("iops", e.disk.iops.map(|x| json!(x))),
        ("throughput", e.disk.throughput.map(|x| json!(x))),
    ]);
    json!({"bssParam": bss, "volume": volume})
}

fn eip(draft: &Draft, e: &NewEip) -> Value {
    let publicip = obj(vec![("type", Some(json!(e.ip_type))), ("ip_version", Some(json!(4))), ("alias", e.alias.as_ref().map(|a| json!(a)))]);
    let bandwidth = match &e.bandwidth {
        Bandwidth::Dedicated { name, size, charge_by } => obj(vec![
            ("name", name.as_ref().map(|n| json!(n))),
            ("size", Some(json!(size))),
            ("share_type", Some(json!("PER"))),
            ("charge_mode", Some(json!(if *charge_by == ChargeBy::Traffic { "traffic" } else { "bandwidth" }))),
        ]),
        Bandwidth::Shared { id } => json!({"share_type": "WHOLE", "id": id}),
    };
    let extend = match draft.billing {
        Billing::PayPerUse => None,
        Billing::YearlyMonthly { period_type, period_num, auto_renew, auto_pay } => Some(json!({
            "charge_mode": "prePaid",
            "period_type": period_type.as_str(),
            "period_num": period_num,
            "is_auto_renew": auto_renew,
            "is_auto_pay": auto_pay,
        })),
    };
    obj(vec![("publicip", Some(publicip)), ("bandwidth", Some(bandwidth)), ("extendParam", extend)])
}

#[cfg(test)]
mod tests;
