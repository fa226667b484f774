//! Order drafts: what a partner wants to buy for a customer, read from JSON and checked against the
//! catalog and every rule of the Huawei Cloud APIs (`docs/huawei-payloads.md`).
//!
//! [`validate`] returns **all** errors of a draft, each with a stable code, a message and a path
//! (`["ecs", "data_disks", 2, "size"]`), or the typed [`Draft`] that [`crate::payloads`] and
//! [`crate::quotes`] take. The worker and the browser module call this one function.

use crate::catalog::{Catalog, DiskType};
use crate::decode::{child, index, Decoder, Obj};
use crate::error::{ApiError, Code, Path, PathSeg};
use crate::ids::CustomerId;
use serde_json::Value;

/// The three services that can be ordered on behalf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Ecs,
    Evs,
    Eip,
}

impl Service {
    /// Wire names, also the key of the service's section in a draft.
    pub const NAMES: &'static [&'static str] = &["ecs", "evs", "eip"];
    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ecs" => Some(Self::Ecs),
            "evs" => Some(Self::Evs),
            "eip" => Some(Self::Eip),
            _ => None,
        }
    }
    /// The product's short name, `ECS`.
    pub fn label(self) -> &'static str {
        match self {
            Self::Ecs => "ECS",
            Self::Evs => "EVS",
            Self::Eip => "EIP",
        }
    }
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ecs => "ecs",
            Self::Evs => "evs",
            Self::Eip => "eip",
        }
    }
}

/// `month` or `year` (Huawei `periodType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodType {
    Month,
    Year,
}

impl PeriodType {
    /// The wire name (also Huawei's value).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Month => "month",
            Self::Year => "year",
        }
    }
}

/// How the order is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Billing {
    /// Huawei `postPaid`.
    PayPerUse,
    /// Huawei `prePaid`.
    YearlyMonthly { period_type: PeriodType, period_num: i64, auto_renew: bool, auto_pay: bool },
}

impl Billing {
    /// The wire name of the mode.
    pub fn mode(&self) -> &'static str {
        match self {
            Self::PayPerUse => "pay_per_use",
            Self::YearlyMonthly { .. } => "yearly_monthly",
        }
    }
}

/// A disk (ECS system or data disk, or an EVS disk).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disk {
    pub disk_type: String,
    pub size: i64,
    pub shareable: bool,
    pub iops: Option<i64>,
    pub throughput: Option<i64>,
}

/// `charge_by` of a bandwidth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargeBy {
    Bandwidth,
    Traffic,
}

/// An EIP's bandwidth: dedicated (`PER`, with a size) or a shared one it joins (`WHOLE`, by id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bandwidth {
    Dedicated { name: Option<String>, size: i64, charge_by: ChargeBy },
    Shared { id: String },
}

/// How to log in to a new server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    KeyPair(String),
    Password(String),
}

/// A new EIP: its type and bandwidth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEip {
    pub ip_type: String,
    pub alias: Option<String>,
    pub bandwidth: Bandwidth,
}

/// ECS servers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ecs {
    pub name: String,
    pub count: i64,
    pub flavor: String,
    pub image: String,
    pub vpc_id: String,
    pub subnet_id: String,
    pub security_group_ids: Vec<String>,
    pub root_disk: Disk,
    pub data_disks: Vec<Disk>,
    pub eip: Option<NewEip>,
    pub login: Login,
    pub metadata: Vec<(String, String)>,
    pub tags: Vec<(String, String)>,
}

/// EVS disks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evs {
    pub name: String,
    pub count: i64,
    pub disk: Disk,
}

/// What is ordered.
#[derive(Debug, Clone, PartialEq, Eq)]
// Large on 64-bit hosts only; one per draft, never in a collection; boxing only adds an allocation.
#[allow(clippy::large_enum_variant)]
pub enum Spec {
    Ecs(Ecs),
    Evs(Evs),
    Eip(NewEip),
}

/// A draft that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub customer_id: CustomerId,
    pub region: String,
    pub availability_zone: Option<String>,
    pub billing: Billing,
    pub spec: Spec,
}

impl Draft {
    /// The ordered service.
    pub fn service(&self) -> Service {
        match self.spec {
            Spec::Ecs(_) => Service::Ecs,
            Spec::Evs(_) => Service::Evs,
            Spec::Eip(_) => Service::Eip,
        }
    }
}

/// Most data disks on one server.
pub const MAX_DATA_DISKS: usize = 23;
/// Most servers or disks in one order.
pub const MAX_COUNT: i64 = 100;
/// Bandwidth limits, Mbit/s.
pub const BANDWIDTH_MBIT: [i64; 2] = [1, 2000];
/// Special characters an ECS password may contain.
pub const PASSWORD_SPECIALS: &str = "!@$%^-_=+[{}]:,./?";
/// EIP types Huawei knows (a region sells some of them).
pub const EIP_TYPES: &[&str] = &["5_bgp", "5_sbgp", "5_telcom", "5_union", "5_ipv6"];

/// Whether `size` Mbit/s respects Huawei's steps: any up to 300, multiples of 50 up to 1000,
/// multiples of 500 above.
pub fn bandwidth_step_ok(size: i64) -> bool {
    match size {
        ..=300 => true,
        301..=1000 => size % 50 == 0,
        _ => size % 500 == 0,
    }
}

/// The allowed `period_num` range for `service` and `period_type` (ECS and EIP: 1-9 months or
/// 1-3 years; a standalone EVS disk: 1-9 months or 1 year).
pub fn period_range(service: Service, t: PeriodType) -> (i64, i64) {
    match (service, t) {
        (_, PeriodType::Month) => (1, 9),
        (Service::Evs, PeriodType::Year) => (1, 1),
        (_, PeriodType::Year) => (1, 3),
    }
}

/// The login user of an image's OS: `root` (Linux) or `Administrator` (Windows); `None` when unknown.
pub fn login_user(os_type: &str) -> Option<&'static str> {
    match os_type {
        "linux" => Some("root"),
        "windows" => Some("Administrator"),
        _ => None,
    }
}

/// Why `password` is too weak, if it is: 8-26 characters from letters, digits and
/// [`PASSWORD_SPECIALS`], with at least three of the four classes; and (Huawei's `adminPass` rule)
/// not containing the login user name of `os_type` or its reverse, nor, on Windows, three
/// consecutive characters of it (compared without regard to case).
pub fn password_problem(password: &str, os_type: Option<&str>) -> Option<&'static str> {
    if let Some(why) = password_shape_problem(password) {
        return Some(why);
    }
    let user = os_type.and_then(login_user)?;
    let lower = password.to_ascii_lowercase();
    let name = user.to_ascii_lowercase();
    let reversed: String = name.chars().rev().collect();
    if lower.contains(&name) || lower.contains(&reversed) {
        return Some(if user == "root" {
            "Must not contain the login user name (root) or its reverse."
        } else {
            "Must not contain the login user name (Administrator) or its reverse."
        });
    }
    if os_type == Some("windows") && name.as_bytes().windows(3).any(|w| lower.as_bytes().windows(3).any(|x| x == w)) {
        return Some("On Windows, must not contain three consecutive characters of Administrator.");
    }
    None
}

fn password_shape_problem(password: &str) -> Option<&'static str> {
    let n = password.chars().count();
    if !(8..=26).contains(&n) {
        return Some("Must be 8 to 26 characters long.");
    }
    if password.chars().any(|c| !(c.is_ascii_alphanumeric() || PASSWORD_SPECIALS.contains(c))) {
        return Some("May contain only letters, digits and !@$%^-_=+[{}]:,./?");
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| PASSWORD_SPECIALS.contains(c)),
    ];
    (classes.iter().filter(|x| **x).count() < 3)
        .then_some("Must contain at least three of: uppercase letters, lowercase letters, digits, special characters.")
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// ECS server names: CJK, letters, digits, `_`, `-`, `.`.
fn server_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') || is_cjk(c)
}

/// A lowercase or uppercase UUID `8-4-4-4-12`.
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter()
            .enumerate()
            .all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { *c == b'-' } else { c.is_ascii_hexdigit() })
}

fn key(path: &Path, k: &'static str) -> Path {
    crate::decode::field(path, k)
}

/// Reads and checks a draft against `catalog`: the typed draft, or `validation_failed` with every
/// field error (codes: `required`, `unknown_field`, `invalid_type`, `invalid_format`,
/// `invalid_value`, `out_of_range`, `duplicate`, `unavailable_in_region`, `unavailable_in_zone`,
/// `below_image_minimum`, `bandwidth_step`, `weak_password`, `pay_per_use_only`, `not_applicable`).
pub fn validate(v: &Value, catalog: &Catalog) -> Result<Draft, ApiError> {
    let mut d = Decoder::new();
    let draft = read(&mut d, v, catalog);
    d.finish(draft)
}

/// Where the draft is placed, once known: lets the section readers check availability.
struct Place<'c> {
    catalog: &'c Catalog,
    region: Option<&'c str>,
    zone: Option<&'c str>,
    /// Whether the draft is yearly/monthly, known from `billing.mode` even when its period is invalid.
    yearly: bool,
}

impl Place<'_> {
    /// Checks that a flavor or disk type sold per `zones` is sold at this place.
    fn check_sold(
        &self,
        d: &mut Decoder,
        zones: &crate::catalog::ByRegion<Vec<String>>,
        what: (&str, &str),
        path: &Path,
    ) -> bool {
        let what = format_args!("{} {}", what.0, what.1);
        let Some(region) = self.region else { return true };
        match zones.get(region) {
            None => {
                d.error(path.clone(), Code::UnavailableInRegion, format!("{what} is not sold in {region}."));
                false
            }
            Some(zs) => match self.zone {
                Some(z) if !zs.iter().any(|x| x == z) => {
                    d.error(
                        path.clone(),
                        Code::UnavailableInZone,
                        format!("{what} is not sold in {z}; it is in {}.", zs.join(", ")),
                    );
                    false
                }
                _ => true,
            },
        }
    }

    fn yearly(&self) -> bool {
        self.yearly
    }
}

fn read(d: &mut Decoder, v: &Value, catalog: &Catalog) -> Option<Draft> {
    let mut o = d.object(v, Path::new())?;
    let customer_id = d
        .required(&mut o, "customer_id")
        .and_then(|(v, p)| d.parsed(v, &p, "32 lowercase hex digits", CustomerId::parse));
    let service = d.required(&mut o, "service").and_then(|(v, p)| d.one_of(v, &p, Service::NAMES, Service::parse));
    let region = d.required(&mut o, "region").and_then(|(v, p)| {
        let s = d.str(v, &p)?;
        let r = catalog.region(s);
        if r.is_none() {
            d.error(p, Code::InvalidValue, format!("Unknown region; one of: {}.", catalog.region_ids().join(", ")));
        }
        r
    });
    let zone_field = if service == Some(Service::Eip) {
        d.optional(&mut o, "availability_zone")
    } else {
        d.required(&mut o, "availability_zone")
    };
    let zone = zone_field.and_then(|(v, p)| {
        let s = d.str(v, &p)?;
        match region {
            Some(r) => match r.zones.iter().find(|z| *z == s) {
                Some(z) => Some(z.as_str()),
                None => {
                    d.error(p, Code::InvalidValue, format!("Not a zone of {}; one of: {}.", r.id, r.zones.join(", ")));
                    None
                }
            },
            None => None,
        }
    });
    let yearly = match o_get(&o, "billing").and_then(|b| b.get("mode")) {
        Some(Value::String(m)) => m == "yearly_monthly",
        _ => false,
    };
    let billing = d.required(&mut o, "billing").and_then(|(v, p)| read_billing(d, v, p, service));
    let place = Place { catalog, region: region.map(|r| r.id.as_str()), zone, yearly };
    let mut spec = None;
    for s in [Service::Ecs, Service::Evs, Service::Eip] {
        if Some(s) == service {
            spec = d.required(&mut o, s.as_str()).and_then(|(v, p)| match s {
                Service::Ecs => read_ecs(d, v, p, &place).map(Spec::Ecs),
                Service::Evs => read_evs(d, v, p, &place).map(Spec::Evs),
                Service::Eip => read_eip(d, v, p, &place, true).map(Spec::Eip),
            });
        } else if let Some((_, p)) = d.optional(&mut o, s.as_str()) {
            if service.is_some() {
                d.error(
                    p,
                    Code::NotApplicable,
                    format!("The draft orders {}, not {}.", service.map_or("", Service::as_str), s.as_str()),
                );
            }
        }
    }
    d.close(o);
    Some(Draft {
        customer_id: customer_id?,
        region: region?.id.clone(),
        availability_zone: zone.map(str::to_string),
        billing: billing?,
        spec: spec?,
    })
}

fn o_get<'v>(o: &Obj<'v>, k: &str) -> Option<&'v Value> {
    o.get(k)
}

fn read_bool(d: &mut Decoder, o: &mut Obj<'_>, k: &'static str) -> Option<bool> {
    d.optional_or(o, k, false, |d, v, p| d.bool(v, &p))
}

/// Marks `k` as known and reports it as `not_applicable` when present.
fn not_applicable(d: &mut Decoder, o: &mut Obj<'_>, k: &'static str, why: &str) {
    if let Some((_, p)) = d.optional(o, k) {
        d.error(p, Code::NotApplicable, why.to_string());
    }
}

fn read_billing(d: &mut Decoder, v: &Value, path: Path, service: Option<Service>) -> Option<Billing> {
    let mut o = d.object(v, path)?;
    let mode = d.required(&mut o, "mode").and_then(|(v, p)| {
        d.one_of(v, &p, &["yearly_monthly", "pay_per_use"], |s| match s {
            "yearly_monthly" => Some(true),
            "pay_per_use" => Some(false),
            _ => None,
        })
    });
    let billing = match mode {
        Some(true) => {
            let t = d.required(&mut o, "period_type").and_then(|(v, p)| {
                d.one_of(v, &p, &["month", "year"], |s| match s {
                    "month" => Some(PeriodType::Month),
                    "year" => Some(PeriodType::Year),
                    _ => None,
                })
            });
            let n = d.required(&mut o, "period_num").and_then(|(v, p)| {
                let n = d.int(v, &p, 1, i64::MAX)?;
                let (Some(t), Some(s)) = (t, service) else { return Some(n) };
                let (lo, hi) = period_range(s, t);
                if !(lo..=hi).contains(&n) {
                    let range = if lo == hi {
                        format!("exactly {lo} {}", t.as_str())
                    } else {
                        format!("{lo} to {hi} {}s", t.as_str())
                    };
                    let what = if t == PeriodType::Month { "monthly" } else { "yearly" };
                    d.error(p, Code::OutOfRange, format!("An {} {what} subscription lasts {range}.", s.label()));
                    return None;
                }
                Some(n)
            });
            let auto_renew = read_bool(d, &mut o, "auto_renew");
            let auto_pay = read_bool(d, &mut o, "auto_pay");
            Some(Billing::YearlyMonthly {
                period_type: t?,
                period_num: n?,
                auto_renew: auto_renew?,
                auto_pay: auto_pay?,
            })
        }
        Some(false) => {
            for k in ["period_type", "period_num", "auto_renew", "auto_pay"] {
                not_applicable(d, &mut o, k, "Pay-per-use has no subscription period, renewal or payment.");
            }
            Some(Billing::PayPerUse)
        }
        None => None,
    };
    // With an unknown mode the other fields cannot be judged: only `mode` is reported.
    if mode.is_some() {
        d.close(o);
    }
    billing
}

/// A name of `min..=max` characters (`bytes`: count UTF-8 bytes instead) made of `ok` characters.
fn read_name(
    d: &mut Decoder,
    v: &Value,
    p: &Path,
    max: usize,
    bytes: bool,
    ok: impl Fn(char) -> bool,
    charset: &str,
) -> Option<String> {
    let s = d.str(v, p)?;
    let n = if bytes { s.len() } else { s.chars().count() };
    let unit = if bytes { "bytes" } else { "characters" };
    if n == 0 || n > max {
        // Lower limits exist because Huawei appends a `-0001` style suffix when count > 1.
        let why = if matches!(max, 59 | 250) { " (count > 1 adds a -0001 style suffix)" } else { "" };
        d.error(p.clone(), Code::OutOfRange, format!("Must be 1 to {max} {unit} long{why}."));
        return None;
    }
    if !s.chars().all(ok) {
        d.error(p.clone(), Code::InvalidFormat, format!("May contain only {charset}."));
        return None;
    }
    Some(s.to_string())
}

fn read_count(d: &mut Decoder, o: &mut Obj<'_>) -> Option<i64> {
    d.optional_or(o, "count", 1, |d, v, p| d.int(v, &p, 1, MAX_COUNT))
}

fn read_uuid(d: &mut Decoder, v: &Value, p: &Path) -> Option<String> {
    d.parsed(v, p, "a UUID such as 3ee86f60-8c29-4e4d-b5a1-2e5b2a6f7a8b", |s| is_uuid(s).then(|| s.to_string()))
}

/// A disk: `type`, `size` (system disks may omit it: the image's minimum), `shareable` (data disks),
/// `iops`/`throughput` (only for the types that take them, only pay-per-use).
fn read_disk(d: &mut Decoder, v: &Value, path: Path, place: &Place<'_>, system: Option<Option<i64>>) -> Option<Disk> {
    let mut o = d.object(v, path)?;
    let tp = key(o.path(), "type");
    let dt: Option<&DiskType> = d.required(&mut o, "type").and_then(|(v, p)| {
        let s = d.str(v, &p)?;
        let t = place.catalog.disk_type(s);
        if t.is_none() {
            let all: Vec<&str> = place.catalog.disk_types.iter().map(|t| t.id.as_str()).collect();
            d.error(p, Code::InvalidValue, format!("Unknown disk type; one of: {}.", all.join(", ")));
        }
        t
    });
    if let Some(t) = dt {
        place.check_sold(d, &t.zones, ("Disk type", &t.id), &tp);
    }
    if let (Some(t), true) = (dt, place.yearly()) {
        if !t.yearly_monthly {
            d.error(tp.clone(), Code::PayPerUseOnly, format!("{} disks are sold pay-per-use only.", t.id));
        }
    }
    let range = dt.map(|t| if system.is_some() { t.system_size_gb } else { t.data_size_gb });
    let (lo, hi) = range.map_or((1, 32768), |r| (r[0], r[1]));
    let size = match (d.optional(&mut o, "size"), system) {
        (Some((v, p)), _) => d.int(v, &p, lo, hi).and_then(|n| match system {
            Some(Some(min)) if n < min => {
                d.error(p, Code::BelowImageMinimum, format!("The image needs a system disk of at least {min} GB."));
                None
            }
            _ => Some(n),
        }),
        // A system disk without a size gets the image's minimum, as Huawei does.
        (None, Some(min)) => min,
        (None, None) => {
            d.error(key(o.path(), "size"), Code::Required, "`size` is required.");
            None
        }
    };
    let shareable = if system.is_some() {
        not_applicable(d, &mut o, "shareable", "A system disk cannot be shared.");
        Some(false)
    } else {
        read_bool(d, &mut o, "shareable")
    };
    let provisioned =
        |d: &mut Decoder, o: &mut Obj<'_>, k: &'static str, range: Option<Option<[i64; 2]>>| -> Option<Option<i64>> {
            match range {
                // Unknown type: only the value's form can be checked.
                None => d.optional(o, k).map(|(v, p)| d.int(v, &p, 0, i64::MAX)).map_or(Some(None), |x| x.map(Some)),
                Some(None) => {
                    not_applicable(d, o, k, &format!("Only {} take `{k}`.", provisioned_types(place.catalog, k)));
                    Some(None)
                }
                Some(Some([lo, hi])) => match d.optional(o, k) {
                    Some((v, p)) => d.int(v, &p, lo, hi).map(Some),
                    None if place.yearly() => Some(None),
                    None => {
                        d.error(
                            key(o.path(), k),
                            Code::Required,
                            format!("`{k}` is required for this disk type ({lo} to {hi})."),
                        );
                        None
                    }
                },
            }
        };
    let iops = provisioned(d, &mut o, "iops", dt.map(|t| t.iops));
    let throughput = provisioned(d, &mut o, "throughput", dt.map(|t| t.throughput_mib_s));
    d.close(o);
    Some(Disk { disk_type: dt?.id.clone(), size: size?, shareable: shareable?, iops: iops?, throughput: throughput? })
}

fn provisioned_types(c: &Catalog, k: &str) -> String {
    let v: Vec<&str> = c
        .disk_types
        .iter()
        .filter(|t| if k == "iops" { t.iops.is_some() } else { t.throughput_mib_s.is_some() })
        .map(|t| t.id.as_str())
        .collect();
    v.join(" and ")
}

/// Reads a bandwidth; `yearly`: the EIP is yearly/monthly, which Huawei bills by bandwidth only.
fn read_bandwidth(d: &mut Decoder, v: &Value, path: Path, named: bool, yearly: bool) -> Option<Bandwidth> {
    let mut o = d.object(v, path)?;
    let share = d.required(&mut o, "share_type").and_then(|(v, p)| {
        d.one_of(v, &p, &["PER", "WHOLE"], |s| match s {
            "PER" => Some(true),
            "WHOLE" => Some(false),
            _ => None,
        })
    });
    let bw = match share {
        Some(true) => {
            not_applicable(d, &mut o, "id", "Only a shared (WHOLE) bandwidth is named by id.");
            let name = if named {
                d.required(&mut o, "name")
                    .and_then(|(v, p)| {
                        read_name(
                            d,
                            v,
                            &p,
                            64,
                            false,
                            |c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') || is_cjk(c),
                            "letters, digits, CJK characters, `_`, `-` and `.`",
                        )
                    })
                    .map(Some)
            } else {
                Some(None)
            };
            let size = d.required(&mut o, "size").and_then(|(v, p)| {
                let n = d.int(v, &p, BANDWIDTH_MBIT[0], BANDWIDTH_MBIT[1])?;
                if !bandwidth_step_ok(n) {
                    let step = if n <= 1000 { 50 } else { 500 };
                    d.error(
                        p,
                        Code::BandwidthStep,
                        format!(
                            "Above {} Mbit/s bandwidth goes in steps of {step} Mbit/s.",
                            if n <= 1000 { 300 } else { 1000 }
                        ),
                    );
                    return None;
                }
                Some(n)
            });
            let charge_by = match d.optional(&mut o, "charge_by") {
                Some((v, p)) => d
                    .one_of(v, &p, &["bandwidth", "traffic"], |s| match s {
                        "bandwidth" => Some(ChargeBy::Bandwidth),
                        "traffic" => Some(ChargeBy::Traffic),
                        _ => None,
                    })
                    .and_then(|c| {
                        if yearly && c == ChargeBy::Traffic {
                            d.error(
                                p,
                                Code::PayPerUseOnly,
                                "A yearly/monthly EIP is billed by bandwidth; traffic billing is pay-per-use only.",
                            );
                            return None;
                        }
                        Some(c)
                    }),
                None => Some(ChargeBy::Bandwidth),
            };
            Some(Bandwidth::Dedicated { name: name?, size: size?, charge_by: charge_by? })
        }
        Some(false) => {
            let id = d.required(&mut o, "id").and_then(|(v, p)| read_uuid(d, v, &p));
            for k in ["size", "charge_by", "name"] {
                not_applicable(d, &mut o, k, "A shared (WHOLE) bandwidth brings its own size, name and billing.");
            }
            id.map(|id| Bandwidth::Shared { id })
        }
        None => None,
    };
    // With an unknown share type the other fields cannot be judged: only `share_type` is reported.
    if share.is_some() {
        d.close(o);
    }
    bw
}

/// An EIP: `type` sold in the region, `alias` (standalone EIP only), `bandwidth`.
fn read_eip(d: &mut Decoder, v: &Value, path: Path, place: &Place<'_>, standalone: bool) -> Option<NewEip> {
    let mut o = d.object(v, path)?;
    let ip_type = d.required(&mut o, "type").and_then(|(v, p)| {
        let s = d.one_of(v, &p, EIP_TYPES, |s| EIP_TYPES.contains(&s).then(|| s.to_string()))?;
        let region = place.region?;
        match place.catalog.eip(region) {
            Some(e) if e.types.contains(&s) => Some(s),
            other => {
                let sold = other.map(|e| e.types.join(", ")).unwrap_or_default();
                d.error(
                    p,
                    Code::UnavailableInRegion,
                    format!("EIP type {s} is not sold in {region}; it sells {sold}."),
                );
                None
            }
        }
    });
    let alias = if standalone {
        match d.optional(&mut o, "alias") {
            Some((v, p)) => read_name(
                d,
                v,
                &p,
                64,
                false,
                |c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') || is_cjk(c),
                "letters, digits, CJK characters, `_`, `-` and `.`",
            )
            .map(Some),
            None => Some(None),
        }
    } else {
        Some(None)
    };
    let bandwidth =
        d.required(&mut o, "bandwidth").and_then(|(v, p)| read_bandwidth(d, v, p, standalone, place.yearly()));
    d.close(o);
    Some(NewEip { ip_type: ip_type?, alias: alias?, bandwidth: bandwidth? })
}

fn read_ecs(d: &mut Decoder, v: &Value, path: Path, place: &Place<'_>) -> Option<Ecs> {
    let mut o = d.object(v, path)?;
    let count = read_count(d, &mut o);
    let max_name = if count.unwrap_or(1) > 1 { 59 } else { 64 };
    let name = d.required(&mut o, "name").and_then(|(v, p)| {
        read_name(d, v, &p, max_name, false, server_name_char, "letters, digits, CJK characters, `_`, `-` and `.`")
    });
    let flavor = d.required(&mut o, "flavor").and_then(|(v, p)| {
        let s = d.str(v, &p)?;
        match place.catalog.flavor(s) {
            Some(f) => place.check_sold(d, &f.zones, ("Flavor", &f.id), &p).then(|| f.id.clone()),
            None => {
                d.error(p, Code::InvalidValue, "Unknown flavor; see GET /v1/catalog.");
                None
            }
        }
    });
    let image = d.required(&mut o, "image").and_then(|(v, p)| {
        let s = d.str(v, &p)?;
        let i = place.catalog.image(s);
        if i.is_none() {
            d.error(p, Code::InvalidValue, "Unknown image; see GET /v1/catalog.");
        }
        i
    });
    let vpc_id = d.required(&mut o, "vpc_id").and_then(|(v, p)| read_uuid(d, v, &p));
    let subnet_id = d.required(&mut o, "subnet_id").and_then(|(v, p)| read_uuid(d, v, &p));
    let sgs = match d.optional(&mut o, "security_group_ids") {
        Some((v, p)) => d.array(v, &p, 10, |d, v, p| read_uuid(d, v, &p)).map(|ids| {
            for (i, id) in ids.iter().enumerate() {
                if ids[..i].contains(id) {
                    d.error(index(&p, i), Code::Duplicate, "This security group is listed twice.");
                }
            }
            ids
        }),
        None => Some(Vec::new()),
    };
    // Without a known image the minimum is unknown; Huawei's floor is 1 GB.
    let min_disk = image.map_or(1, |i| i.min_disk_gb);
    let root = d.required(&mut o, "root_disk").and_then(|(v, p)| read_disk(d, v, p, place, Some(Some(min_disk))));
    let data = d.optional_or(&mut o, "data_disks", Vec::new(), |d, v, p| {
        d.array(v, &p, MAX_DATA_DISKS, |d, v, p| read_disk(d, v, p, place, None))
    });
    let eip = d.optional_or(&mut o, "eip", None, |d, v, p| read_eip(d, v, p, place, false).map(Some));
    let login = d.required(&mut o, "login").and_then(|(v, p)| read_login(d, v, p, image.map(|i| i.os_type.as_str())));
    let metadata_path = key(o.path(), "metadata");
    let metadata = d.optional_or(&mut o, "metadata", Vec::new(), |d, v, p| read_metadata(d, v, &p));
    let tags = d.optional_or(&mut o, "tags", Vec::new(), |d, v, p| read_tags(d, v, &p));
    if let (Some(Login::KeyPair(_)), Some(m), true) = (&login, &metadata, place.yearly()) {
        if !m.iter().any(|(k, _)| k == "op_svc_userid") {
            d.error(
                key(&metadata_path, "op_svc_userid"),
                Code::Required,
                "A yearly/monthly server that logs in with a key pair needs `metadata.op_svc_userid` (the customer's user id).",
            );
        }
    }
    d.close(o);
    let root_disk = root?;
    Some(Ecs {
        name: name?,
        count: count?,
        flavor: flavor?,
        image: image?.id.clone(),
        vpc_id: vpc_id?,
        subnet_id: subnet_id?,
        security_group_ids: sgs?,
        root_disk,
        data_disks: data?,
        eip: eip?,
        login: login?,
        metadata: metadata?,
        tags: tags?,
    })
}

fn read_login(d: &mut Decoder, v: &Value, path: Path, os_type: Option<&str>) -> Option<Login> {
    let mut o = d.object(v, path)?;
    let key_name = d.optional(&mut o, "key_name").map(|(v, p)| {
        read_name(
            d,
            v,
            &p,
            64,
            false,
            |c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'),
            "letters, digits, `_` and `-`",
        )
    });
    let password = d.optional(&mut o, "password").map(|(v, p)| {
        let s = d.str(v, &p)?;
        match password_problem(s, os_type) {
            Some(why) => {
                d.error(p, Code::WeakPassword, why);
                None
            }
            None => Some(s.to_string()),
        }
    });
    let lp = o.path().clone();
    d.close(o);
    match (key_name, password) {
        (Some(k), None) => k.map(Login::KeyPair),
        (None, Some(p)) => p.map(Login::Password),
        (None, None) => {
            d.error(lp, Code::Required, "Log in with a key pair (`key_name`) or a `password`.");
            None
        }
        (Some(_), Some(_)) => {
            d.error(key(&lp, "password"), Code::NotApplicable, "Give either `key_name` or `password`, not both.");
            None
        }
    }
}

fn read_metadata(d: &mut Decoder, v: &Value, path: &Path) -> Option<Vec<(String, String)>> {
    let Value::Object(map) = v else {
        d.wrong_type(path.clone(), "an object", v);
        return None;
    };
    if map.len() > 10 {
        d.error(path.clone(), Code::OutOfRange, "At most 10 metadata pairs.");
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for (k, v) in map {
        let p = child(path, k);
        let key_ok = !k.is_empty()
            && k.len() <= 255
            && k.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'));
        if !key_ok {
            d.error(
                p.clone(),
                Code::InvalidFormat,
                "Metadata keys are 1 to 255 characters of letters, digits, - _ : .",
            );
            ok = false;
        } else if k == "agency_name" {
            d.error(p.clone(), Code::InvalidValue, "`agency_name` is reserved by Huawei Cloud.");
            ok = false;
        }
        match v {
            Value::String(s) if s.chars().count() <= 255 => {
                if k == "op_svc_userid" && !(s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())) {
                    d.error(p, Code::InvalidFormat, "The customer's user id is 32 hex digits.");
                    ok = false;
                } else {
                    out.push((k.clone(), s.clone()));
                }
            }
            Value::String(_) => {
                d.error(p, Code::OutOfRange, "Metadata values are at most 255 characters.");
                ok = false;
            }
            other => {
                d.wrong_type(p, "a string", other);
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

fn read_tags(d: &mut Decoder, v: &Value, path: &Path) -> Option<Vec<(String, String)>> {
    let tags = d.array(v, path, 10, |d, v, p| {
        let mut o = d.object(v, p)?;
        let tag_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '@' | ' ');
        let k = d
            .required(&mut o, "key")
            .and_then(|(v, p)| read_name(d, v, &p, 36, false, tag_char, "letters, digits, spaces, _ - . @"));
        let val = d.required(&mut o, "value").and_then(|(v, p)| {
            let s = d.str(v, &p)?;
            if s.chars().count() > 43 || !s.chars().all(tag_char) {
                d.error(
                    p,
                    Code::InvalidFormat,
                    "Tag values are at most 43 characters of letters, digits, spaces, _ - . @",
                );
                return None;
            }
            Some(s.to_string())
        });
        d.close(o);
        Some((k?, val?))
    })?;
    let mut ok = true;
    for (i, (k, _)) in tags.iter().enumerate() {
        if tags[..i].iter().any(|(x, _)| x == k) {
            let mut p = index(path, i);
            p.push(PathSeg::Key("key".into()));
            d.error(p, Code::Duplicate, "Each tag key appears once.");
            ok = false;
        }
    }
    ok.then_some(tags)
}

fn read_evs(d: &mut Decoder, v: &Value, path: Path, place: &Place<'_>) -> Option<Evs> {
    let mut o = d.object(v, path)?;
    let count = read_count(d, &mut o);
    let max = if count.unwrap_or(1) > 1 { 250 } else { 255 };
    let name = d
        .required(&mut o, "name")
        .and_then(|(v, p)| read_name(d, v, &p, max, true, |c| !c.is_control(), "printable characters"));
    // The disk fields sit beside `name` and `count`: read them as one disk object, which also reports
    // any unknown field (once: this object is not closed).
    let rest = o.path().clone();
    let disk = v.as_object().map(|m| {
        let sub: serde_json::Map<String, Value> = m
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "name" | "count"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Value::Object(sub)
    });
    let disk = disk.and_then(|dv| read_disk(d, &dv, rest, place, None));
    Some(Evs { name: name?, count: count?, disk: disk? })
}

#[cfg(test)]
mod tests;
