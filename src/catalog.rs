//! The catalog: regions and zones, ECS flavors, public images, EVS disk types and EIP prices.
//!
//! One versioned data file (`src/catalog/catalog.json`) compiled into both the worker and the
//! browser module, parsed once per isolate by [`catalog`]. Prices are integers in the currency's
//! minor unit × 10⁴ ([`Rate`]): hourly and per-GB rates need sub-cent precision; quotes round each
//! line to whole minor units.

use crate::decode::{child, Decoder};
use crate::error::{ApiError, Code, Path};
use crate::money::Currency;
use serde::Serialize;
use serde_json::Value;
use std::sync::OnceLock;

/// The compiled-in catalog file.
pub const CATALOG_JSON: &str = include_str!("catalog/catalog.json");

/// A price in minor units × 10⁴ (e.g. 0.0480 USD/hour = 4.80 cents = `48000`).
pub type Rate = i64;

/// Values per region id, in file order, serialized as a JSON object. A small vector rather than a
/// `BTreeMap`: three regions, and each map type would add its own copy of the tree code to the
/// browser module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByRegion<T>(pub Vec<(String, T)>);

impl<T: Clone> ByRegion<T> {
    /// The value for `region`.
    pub fn get(&self, region: &str) -> Option<&T> {
        self.0.iter().find(|(r, _)| r == region).map(|(_, v)| v)
    }
    /// Whether `region` has a value.
    pub fn contains_key(&self, region: &str) -> bool {
        self.get(region).is_some()
    }
    /// The region ids.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(r, _)| r)
    }
    /// The values.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.0.iter().map(|(_, v)| v)
    }
    /// How many regions.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// True when no region has a value.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Only `region`'s entry.
    pub fn only(&self, region: &str) -> Self {
        ByRegion(self.0.iter().filter(|(r, _)| r == region).cloned().collect())
    }
}

impl<T: Serialize> Serialize for ByRegion<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// The reference data an order draft is checked and priced against.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Catalog {
    pub version: String,
    pub currency: Currency,
    pub notes: String,
    /// A year of a yearly/monthly subscription is billed as this many months.
    pub yearly_billed_months: i64,
    /// Hours in the estimated month of a pay-per-use quote.
    pub hours_per_month: i64,
    pub regions: Vec<Region>,
    pub flavors: Vec<Flavor>,
    pub images: Vec<Image>,
    pub disk_types: Vec<DiskType>,
    pub eip: Vec<EipRegion>,
}

/// A region with its availability zones.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Region {
    pub id: String,
    pub name: String,
    pub zones: Vec<String>,
}

/// Monthly and hourly price of one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FlavorPrice {
    pub month_minor_e4: Rate,
    pub hour_minor_e4: Rate,
}

/// An ECS flavor (`flavorRef`), sold in the listed zones of each region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flavor {
    pub id: String,
    pub family: String,
    pub family_name: String,
    pub vcpus: i64,
    pub memory_gib: i64,
    /// Region id → the zones where the flavor is sold.
    pub zones: ByRegion<Vec<String>>,
    /// Region id → price per instance.
    pub prices: ByRegion<FlavorPrice>,
}

/// A public image (`imageRef`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Image {
    pub id: String,
    pub name: String,
    pub os_type: String,
    /// The smallest system disk the image boots from.
    pub min_disk_gb: i64,
}

/// Per-GB prices of a disk type in one region (and per IOPS / MiB/s for provisioned types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DiskPrice {
    /// Absent for types sold pay-per-use only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub month_minor_e4: Option<Rate>,
    pub hour_minor_e4: Rate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iops_hour_minor_e4: Option<Rate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throughput_hour_minor_e4: Option<Rate>,
}

/// An EVS disk type (`volumetype` / `volume_type`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiskType {
    pub id: String,
    pub name: String,
    /// Allowed size of a system disk, GB, inclusive.
    pub system_size_gb: [i64; 2],
    /// Allowed size of a data disk, GB, inclusive.
    pub data_size_gb: [i64; 2],
    /// Whether the type can be bought yearly/monthly (GPSSD2 and ESSD2 cannot).
    pub yearly_monthly: bool,
    pub zones: ByRegion<Vec<String>>,
    pub prices: ByRegion<DiskPrice>,
    /// Provisioned IOPS range, for types that take `iops`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iops: Option<[i64; 2]>,
    /// Provisioned throughput range (MiB/s), for types that take `throughput`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throughput_mib_s: Option<[i64; 2]>,
}

/// One bandwidth price tier: the price of each Mbit/s up to `up_to_mbit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BandwidthTier {
    pub up_to_mbit: i64,
    pub month_minor_e4: Rate,
    pub hour_minor_e4: Rate,
}

/// EIP types and prices in one region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EipRegion {
    pub region: String,
    /// `publicip.type` values sold here (`5_bgp`, `5_sbgp`).
    pub types: Vec<String>,
    /// Dedicated bandwidth price tiers, ascending.
    pub bandwidth_tiers: Vec<BandwidthTier>,
    /// Per GB of outbound traffic, when billed by traffic.
    pub traffic_gb_minor_e4: Rate,
    /// The address itself, when its bandwidth is billed by traffic or shared.
    pub ip_hour_minor_e4: Rate,
    pub ip_month_minor_e4: Rate,
}

static CATALOG: OnceLock<Option<Catalog>> = OnceLock::new();

/// The compiled-in catalog, parsed on first use and reused for the life of the isolate.
/// Fails with `internal` only if the data file does not parse (a host test guarantees it does).
pub fn catalog() -> Result<&'static Catalog, ApiError> {
    CATALOG
        .get_or_init(|| serde_json::from_str::<Value>(CATALOG_JSON).ok().and_then(|v| Catalog::read(&v)))
        .as_ref()
        .ok_or_else(|| ApiError::with_message(Code::Internal, "The catalog data does not parse."))
}

// Reading trusted reference data from a `Value` by hand: serde's derived deserializers would add
// about 60 KB to the browser module (their error paths format floats); `None` = malformed file.
fn s(v: &Value, k: &str) -> Option<String> {
    v.get(k)?.as_str().map(str::to_string)
}
fn i(v: &Value, k: &str) -> Option<i64> {
    v.get(k)?.as_i64()
}
fn oi(v: &Value, k: &str) -> Option<Option<i64>> {
    match v.get(k) {
        None => Some(None),
        Some(x) => x.as_i64().map(Some),
    }
}
fn list<T>(v: &Value, k: &str, f: impl Fn(&Value) -> Option<T>) -> Option<Vec<T>> {
    v.get(k)?.as_array()?.iter().map(f).collect()
}
fn strs(v: &Value, k: &str) -> Option<Vec<String>> {
    list(v, k, |x| x.as_str().map(str::to_string))
}
fn pair(v: &Value, k: &str) -> Option<[i64; 2]> {
    let a = v.get(k)?.as_array()?;
    match a.as_slice() {
        [lo, hi] => Some([lo.as_i64()?, hi.as_i64()?]),
        _ => None,
    }
}
fn opt_pair(v: &Value, k: &str) -> Option<Option<[i64; 2]>> {
    match v.get(k) {
        None => Some(None),
        Some(_) => pair(v, k).map(Some),
    }
}
fn by_region<T>(v: &Value, k: &str, f: impl Fn(&Value) -> Option<T>) -> Option<ByRegion<T>> {
    v.get(k)?.as_object()?.iter().map(|(r, x)| Some((r.clone(), f(x)?))).collect::<Option<Vec<_>>>().map(ByRegion)
}
fn zones(v: &Value) -> Option<ByRegion<Vec<String>>> {
    by_region(v, "zones", |x| x.as_array()?.iter().map(|z| z.as_str().map(str::to_string)).collect())
}

impl Catalog {
    /// Reads the data file's JSON; `None` when anything is missing or of the wrong type.
    fn read(v: &Value) -> Option<Catalog> {
        Some(Catalog {
            version: s(v, "version")?,
            currency: Currency::parse(v.get("currency")?.as_str()?)?,
            notes: s(v, "notes")?,
            yearly_billed_months: i(v, "yearly_billed_months")?,
            hours_per_month: i(v, "hours_per_month")?,
            regions: list(v, "regions", |r| {
                Some(Region { id: s(r, "id")?, name: s(r, "name")?, zones: strs(r, "zones")? })
            })?,
            flavors: list(v, "flavors", |f| {
                Some(Flavor {
                    id: s(f, "id")?,
                    family: s(f, "family")?,
                    family_name: s(f, "family_name")?,
                    vcpus: i(f, "vcpus")?,
                    memory_gib: i(f, "memory_gib")?,
                    zones: zones(f)?,
                    prices: by_region(f, "prices", |p| {
                        Some(FlavorPrice {
                            month_minor_e4: i(p, "month_minor_e4")?,
                            hour_minor_e4: i(p, "hour_minor_e4")?,
                        })
                    })?,
                })
            })?,
            images: list(v, "images", |m| {
                Some(Image {
                    id: s(m, "id")?,
                    name: s(m, "name")?,
                    os_type: s(m, "os_type")?,
                    min_disk_gb: i(m, "min_disk_gb")?,
                })
            })?,
            disk_types: list(v, "disk_types", |d| {
                Some(DiskType {
                    id: s(d, "id")?,
                    name: s(d, "name")?,
                    system_size_gb: pair(d, "system_size_gb")?,
                    data_size_gb: pair(d, "data_size_gb")?,
                    yearly_monthly: d.get("yearly_monthly")?.as_bool()?,
                    zones: zones(d)?,
                    prices: by_region(d, "prices", |p| {
                        Some(DiskPrice {
                            month_minor_e4: oi(p, "month_minor_e4")?,
                            hour_minor_e4: i(p, "hour_minor_e4")?,
                            iops_hour_minor_e4: oi(p, "iops_hour_minor_e4")?,
                            throughput_hour_minor_e4: oi(p, "throughput_hour_minor_e4")?,
                        })
                    })?,
                    iops: opt_pair(d, "iops")?,
                    throughput_mib_s: opt_pair(d, "throughput_mib_s")?,
                })
            })?,
            eip: list(v, "eip", |e| {
                Some(EipRegion {
                    region: s(e, "region")?,
                    types: strs(e, "types")?,
                    bandwidth_tiers: list(e, "bandwidth_tiers", |t| {
                        Some(BandwidthTier {
                            up_to_mbit: i(t, "up_to_mbit")?,
                            month_minor_e4: i(t, "month_minor_e4")?,
                            hour_minor_e4: i(t, "hour_minor_e4")?,
                        })
                    })?,
                    traffic_gb_minor_e4: i(e, "traffic_gb_minor_e4")?,
                    ip_hour_minor_e4: i(e, "ip_hour_minor_e4")?,
                    ip_month_minor_e4: i(e, "ip_month_minor_e4")?,
                })
            })?,
        })
    }

    /// The region `id`.
    pub fn region(&self, id: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.id == id)
    }
    /// The flavor `id`.
    pub fn flavor(&self, id: &str) -> Option<&Flavor> {
        self.flavors.iter().find(|f| f.id == id)
    }
    /// The image `id`.
    pub fn image(&self, id: &str) -> Option<&Image> {
        self.images.iter().find(|i| i.id == id)
    }
    /// The disk type `id`.
    pub fn disk_type(&self, id: &str) -> Option<&DiskType> {
        self.disk_types.iter().find(|d| d.id == id)
    }
    /// EIP types and prices of `region`.
    pub fn eip(&self, region: &str) -> Option<&EipRegion> {
        self.eip.iter().find(|e| e.region == region)
    }

    /// The catalog as one region sees it: only that region, the flavors and disk types sold there
    /// (with that region's zones and prices), its EIP entry. `validation_failed` at `["region"]`
    /// for an unknown region.
    pub fn for_region(&self, region: &str) -> Result<Catalog, ApiError> {
        if self.region(region).is_none() {
            let mut d = Decoder::new();
            d.error(
                child(&Path::new(), "region"),
                Code::InvalidValue,
                format!("Unknown region; one of: {}.", self.region_ids().join(", ")),
            );
            return Err(ApiError::validation(d.into_errors()));
        }
        let mut c = self.clone();
        c.regions.retain(|r| r.id == region);
        c.flavors = self
            .flavors
            .iter()
            .filter(|f| f.zones.contains_key(region))
            .map(|f| Flavor { zones: f.zones.only(region), prices: f.prices.only(region), ..f.clone() })
            .collect();
        c.disk_types = self
            .disk_types
            .iter()
            .filter(|d| d.zones.contains_key(region))
            .map(|d| DiskType { zones: d.zones.only(region), prices: d.prices.only(region), ..d.clone() })
            .collect();
        c.eip.retain(|e| e.region == region);
        Ok(c)
    }

    /// Every region id, in catalog order.
    pub fn region_ids(&self) -> Vec<&str> {
        self.regions.iter().map(|r| r.id.as_str()).collect()
    }
}

#[cfg(test)]
mod tests;
