//! The exact Huawei Cloud request for a valid draft (`docs/huawei-payloads.md`):
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

/// One HTTP request to a Huawei Cloud API. The body borrows from the draft; it serializes to the
/// exact JSON the API takes (absent values are skipped, never `null`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HuaweiRequest<'a> {
    pub method: &'static str,
    pub path: String,
    pub body: Body<'a>,
}

/// The body of one of the three create requests.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
// Large on 64-bit hosts only; one per request, never in a collection; boxing only adds an allocation.
#[allow(clippy::large_enum_variant)]
pub enum Body<'a> {
    Ecs(EcsBody<'a>),
    Evs(EvsBody<'a>),
    Eip(EipBody<'a>),
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
pub fn build<'a>(draft: &'a Draft, project: &str) -> Result<HuaweiRequest<'a>, ApiError> {
    let project = project_id(project)?;
    Ok(match &draft.spec {
        Spec::Ecs(e) => HuaweiRequest {
            method: "POST",
            path: format!("/v1.1/{project}/cloudservers"),
            body: Body::Ecs(ecs(draft, e)),
        },
        Spec::Evs(e) => HuaweiRequest {
            method: "POST",
            path: format!("/v2.1/{project}/cloudvolumes"),
            body: Body::Evs(evs(draft, e)),
        },
        Spec::Eip(e) => {
            let version = if matches!(draft.billing, Billing::PayPerUse) { "v1" } else { "v2.0" };
            HuaweiRequest {
                method: "POST",
                path: format!("/{version}/{project}/publicips"),
                body: Body::Eip(eip(draft, e)),
            }
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

// --- ECS (1.3 - 1.6) -------------------------------------------------------------------------------

/// `POST /v1.1/{project_id}/cloudservers`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EcsBody<'a> {
    pub server: Server<'a>,
}

/// `server` (PrePaidServer).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Server<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<&'a str>,
    pub name: &'a str,
    #[serde(rename = "imageRef")]
    pub image_ref: &'a str,
    #[serde(rename = "flavorRef")]
    pub flavor_ref: &'a str,
    pub vpcid: &'a str,
    pub nics: [Nic<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub security_groups: Vec<IdRef<'a>>,
    pub root_volume: Volume<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub data_volumes: Vec<Volume<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publicip: Option<PublicIp<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_name: Option<&'a str>,
    #[serde(rename = "adminPass", skip_serializing_if = "Option::is_none")]
    pub admin_pass: Option<&'a str>,
    pub count: i64,
    pub extendparam: ServerExtend<'a>,
    #[serde(skip_serializing_if = "Pairs::is_empty")]
    pub metadata: Pairs<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub server_tags: Vec<Tag<'a>>,
}

/// `{subnet_id}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Nic<'a> {
    pub subnet_id: &'a str,
}

/// `{id}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdRef<'a> {
    pub id: &'a str,
}

/// `{key, value}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tag<'a> {
    pub key: &'a str,
    pub value: &'a str,
}

/// A string-to-string map in draft order.
#[derive(Debug, Clone, PartialEq)]
pub struct Pairs<'a>(pub &'a [(String, String)]);

impl Pairs<'_> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Pairs<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// `root_volume` / `data_volumes[]`: `multiattach` on data disks only; `iops`/`throughput` only when given.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Volume<'a> {
    pub volumetype: &'a str,
    pub size: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiattach: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iops: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throughput: Option<i64>,
}

/// `extendparam` (PrePaidServerExtendParam): the flags are the strings `"true"`/`"false"`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerExtend<'a> {
    pub charging_mode: &'static str,
    #[serde(rename = "regionID")]
    pub region_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period_num: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_auto_renew: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_auto_pay: Option<&'static str>,
}

/// `publicip: {eip: {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicIp<'a> {
    pub eip: ServerEip<'a>,
}

/// `publicip.eip`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerEip<'a> {
    pub iptype: &'a str,
    pub bandwidth: ServerBandwidth<'a>,
    /// A shared bandwidth's billing decides; Huawei ignores prePaid there, so it is left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extendparam: Option<ChargingMode>,
}

/// `{chargingMode}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChargingMode {
    #[serde(rename = "chargingMode")]
    pub charging_mode: &'static str,
}

/// `publicip.eip.bandwidth`: `chargemode` absent means by bandwidth; Huawei accepts only "traffic".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerBandwidth<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    pub sharetype: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chargemode: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
}

fn volume(d: &Disk, data: bool) -> Volume<'_> {
    Volume {
        volumetype: &d.disk_type,
        size: d.size,
        multiattach: data.then_some(d.shareable),
        iops: d.iops,
        throughput: d.throughput,
    }
}

fn ecs<'a>(draft: &'a Draft, e: &'a Ecs) -> EcsBody<'a> {
    let (period_type, period_num, is_auto_renew, is_auto_pay) = match draft.billing {
        Billing::PayPerUse => (None, None, None, None),
        Billing::YearlyMonthly { period_type, period_num, auto_renew, auto_pay } => {
            (Some(period_type.as_str()), Some(period_num), Some(flag(auto_renew)), Some(flag(auto_pay)))
        }
    };
    let publicip = e.eip.as_ref().map(|ip| {
        let (bandwidth, extendparam) = match &ip.bandwidth {
            Bandwidth::Dedicated { size, charge_by, .. } => (
                ServerBandwidth {
                    size: Some(*size),
                    sharetype: "PER",
                    chargemode: (*charge_by == ChargeBy::Traffic).then_some("traffic"),
                    id: None,
                },
                Some(ChargingMode { charging_mode: charging_mode(&draft.billing) }),
            ),
            Bandwidth::Shared { id } => {
                (ServerBandwidth { size: None, sharetype: "WHOLE", chargemode: None, id: Some(id) }, None)
            }
        };
        PublicIp { eip: ServerEip { iptype: &ip.ip_type, bandwidth, extendparam } }
    });
    let (key_name, admin_pass) = match &e.login {
        Login::KeyPair(k) => (Some(k.as_str()), None),
        Login::Password(p) => (None, Some(p.as_str())),
    };
    EcsBody {
        server: Server {
            availability_zone: draft.availability_zone.as_deref(),
            name: &e.name,
            image_ref: &e.image,
            flavor_ref: &e.flavor,
            vpcid: &e.vpc_id,
            nics: [Nic { subnet_id: &e.subnet_id }],
            security_groups: e.security_group_ids.iter().map(|id| IdRef { id }).collect(),
            root_volume: volume(&e.root_disk, false),
            data_volumes: e.data_disks.iter().map(|d| volume(d, true)).collect(),
            publicip,
            key_name,
            admin_pass,
            count: e.count,
            extendparam: ServerExtend {
                charging_mode: charging_mode(&draft.billing),
                region_id: &draft.region,
                period_type,
                period_num,
                is_auto_renew,
                is_auto_pay,
            },
            metadata: Pairs(&e.metadata),
            server_tags: e.tags.iter().map(|(key, value)| Tag { key, value }).collect(),
        },
    }
}

// --- EVS (2.2, 2.3) --------------------------------------------------------------------------------

/// `POST /v2.1/{project_id}/cloudvolumes`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvsBody<'a> {
    #[serde(rename = "bssParam")]
    pub bss_param: BssParam,
    pub volume: EvsVolume<'a>,
}

/// `bssParam`: the flags are the strings `"true"`/`"false"`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BssParam {
    pub charging_mode: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period_num: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_auto_pay: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_auto_renew: Option<&'static str>,
}

/// `volume` (CreateVolumeOption).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvsVolume<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<&'a str>,
    pub volume_type: &'a str,
    pub size: i64,
    pub count: i64,
    pub name: &'a str,
    pub multiattach: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iops: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throughput: Option<i64>,
}

fn evs<'a>(draft: &'a Draft, e: &'a Evs) -> EvsBody<'a> {
    let bss_param = match draft.billing {
        Billing::PayPerUse => BssParam {
            charging_mode: "postPaid",
            period_type: None,
            period_num: None,
            is_auto_pay: None,
            is_auto_renew: None,
        },
        Billing::YearlyMonthly { period_type, period_num, auto_renew, auto_pay } => BssParam {
            charging_mode: "prePaid",
            period_type: Some(period_type.as_str()),
            period_num: Some(period_num),
            is_auto_pay: Some(flag(auto_pay)),
            is_auto_renew: Some(flag(auto_renew)),
        },
    };
    let d = &e.disk;
    EvsBody {
        bss_param,
        volume: EvsVolume {
            availability_zone: draft.availability_zone.as_deref(),
            volume_type: &d.disk_type,
            size: d.size,
            count: e.count,
            name: &e.name,
            multiattach: d.shareable,
            iops: d.iops,
            throughput: d.throughput,
        },
    }
}

// --- EIP (3.1 - 3.3) -------------------------------------------------------------------------------

/// `POST /v1/{project_id}/publicips` (pay-per-use) or `/v2.0/...` (yearly/monthly, with `extendParam`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EipBody<'a> {
    pub publicip: PublicIpOption<'a>,
    pub bandwidth: BandwidthOption<'a>,
    #[serde(rename = "extendParam", skip_serializing_if = "Option::is_none")]
    pub extend_param: Option<EipExtend>,
}

/// `publicip`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicIpOption<'a> {
    #[serde(rename = "type")]
    pub ip_type: &'a str,
    pub ip_version: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<&'a str>,
}

/// `bandwidth`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandwidthOption<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    pub share_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub charge_mode: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a str>,
}

/// `extendParam`: snake_case keys and JSON booleans, unlike ECS and EVS.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EipExtend {
    pub charge_mode: &'static str,
    pub period_type: &'static str,
    pub period_num: i64,
    pub is_auto_renew: bool,
    pub is_auto_pay: bool,
}

fn eip<'a>(draft: &'a Draft, e: &'a NewEip) -> EipBody<'a> {
    let bandwidth = match &e.bandwidth {
        Bandwidth::Dedicated { name, size, charge_by } => BandwidthOption {
            name: name.as_deref(),
            size: Some(*size),
            share_type: "PER",
            charge_mode: Some(if *charge_by == ChargeBy::Traffic { "traffic" } else { "bandwidth" }),
            id: None,
        },
        Bandwidth::Shared { id } => {
            BandwidthOption { name: None, size: None, share_type: "WHOLE", charge_mode: None, id: Some(id) }
        }
    };
    let extend_param = match draft.billing {
        Billing::PayPerUse => None,
        Billing::YearlyMonthly { period_type, period_num, auto_renew, auto_pay } => Some(EipExtend {
            charge_mode: "prePaid",
            period_type: period_type.as_str(),
            period_num,
            is_auto_renew: auto_renew,
            is_auto_pay: auto_pay,
        }),
    };
    EipBody {
        publicip: PublicIpOption { ip_type: &e.ip_type, ip_version: 4, alias: e.alias.as_deref() },
        bandwidth,
        extend_param,
    }
}

#[cfg(test)]
mod tests;
