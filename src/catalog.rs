//! The catalog: regions and zones, ECS flavors, public images, EVS disk types and EIP prices.
//!
//! One versioned data file (`src/catalog/catalog.json`) compiled into both the worker and the
//! browser module, parsed once per isolate by [`catalog`]. Prices are integers in the currency's
//! minor unit × 10⁴ ([`Rate`]): hourly and per-GB rates need sub-cent precision; quotes round each
//! line to whole minor units.

use crate::decode::{child, Decoder};
use crate::error::{ApiError, Code, Path};
use crate::money::Currency;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The compiled-in catalog file.
pub const CATALOG_JSON: &str = include_str!("catalog/catalog.json");

/// A price in minor units × 10⁴ (e.g. 0.0480 USD/hour = 4.80 cents = `48000`).
pub type Rate = i64;

/// The reference data an order draft is checked and priced against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub id: String,
    pub name: String,
    pub zones: Vec<String>,
}

/// Monthly and hourly price of one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlavorPrice {
    pub month_minor_e4: Rate,
    pub hour_minor_e4: Rate,
}

/// An ECS flavor (`flavorRef`), sold in the listed zones of each region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flavor {
    pub id: String,
    pub family: String,
    pub family_name: String,
    pub vcpus: i64,
    pub memory_gib: i64,
    /// Region id → the zones where the flavor is sold.
    pub zones: BTreeMap<String, Vec<String>>,
    /// Region id → price per instance.
    pub prices: BTreeMap<String, FlavorPrice>,
}

/// A public image (`imageRef`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Image {
    pub id: String,
    pub name: String,
    pub os_type: String,
    /// The smallest system disk the image boots from.
    pub min_disk_gb: i64,
}

/// Per-GB prices of a disk type in one region (and per IOPS / MiB/s for provisioned types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiskPrice {
    /// Absent for types sold pay-per-use only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month_minor_e4: Option<Rate>,
    pub hour_minor_e4: Rate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iops_hour_minor_e4: Option<Rate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throughput_hour_minor_e4: Option<Rate>,
}

/// An EVS disk type (`volumetype` / `volume_type`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiskType {
    pub id: String,
    pub name: String,
    /// Allowed size of a system disk, GB, inclusive.
    pub system_size_gb: [i64; 2],
    /// Allowed size of a data disk, GB, inclusive.
    pub data_size_gb: [i64; 2],
    /// Whether the type can be bought yearly/monthly (GPSSD2 and ESSD2 cannot).
    pub yearly_monthly: bool,
    pub zones: BTreeMap<String, Vec<String>>,
    pub prices: BTreeMap<String, DiskPrice>,
    /// Provisioned IOPS range, for types that take `iops`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iops: Option<[i64; 2]>,
    /// Provisioned throughput range (MiB/s), for types that take `throughput`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throughput_mib_s: Option<[i64; 2]>,
}

/// One bandwidth price tier: the price of each Mbit/s up to `up_to_mbit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandwidthTier {
    pub up_to_mbit: i64,
    pub month_minor_e4: Rate,
    pub hour_minor_e4: Rate,
}

/// EIP types and prices in one region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
        .get_or_init(|| serde_json::from_str(CATALOG_JSON).ok())
        .as_ref()
        .ok_or_else(|| ApiError::with_message(Code::Internal, "The catalog data does not parse."))
}

impl Catalog {
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
            d.error(child(&Path::new(), "region"), Code::InvalidValue, format!("Unknown region; one of: {}.", self.region_ids().join(", ")));
            return Err(ApiError::validation(d.into_errors()));
        }
        let keep = |m: &BTreeMap<String, Vec<String>>| m.iter().filter(|(k, _)| *k == region).map(|(k, v)| (k.clone(), v.clone())).collect();
        let mut c = self.clone();
        c.regions.retain(|r| r.id == region);
        c.flavors = self
            .flavors
            .iter()
            .filter(|f| f.zones.contains_key(region))
            .map(|f| Flavor { zones: keep(&f.zones), prices: f.prices.iter().filter(|(k, _)| *k == region).map(|(k, v)| (k.clone(), *v)).collect(), ..f.clone() })
            .collect();
        c.disk_types = self
            .disk_types
            .iter()
            .filter(|d| d.zones.contains_key(region))
            .map(|d| DiskType { zones: keep(&d.zones), prices: d.prices.iter().filter(|(k, _)| *k == region).map(|(k, v)| (k.clone(), *v)).collect(), ..d.clone() })
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
