use super::*;

fn cat() -> &'static Catalog {
    match catalog() {
        Ok(c) => c,
        Err(e) => panic!("catalog does not parse: {e:?}"),
    }
}

#[test]
fn the_data_file_parses_and_has_what_the_issue_asks_for() {
    let c = cat();
    assert!(c.regions.len() >= 3);
    assert!(c.flavors.len() >= 12);
    let families: std::collections::BTreeSet<_> = c.flavors.iter().map(|f| &f.family).collect();
    assert!(families.len() >= 3, "{families:?}");
    assert!(c.images.len() >= 6);
    for t in ["SATA", "SAS", "SSD", "GPSSD", "ESSD"] {
        assert!(c.disk_type(t).is_some(), "{t}");
    }
    for r in &c.regions {
        let e = c.eip(&r.id).unwrap_or_else(|| panic!("no EIP prices in {}", r.id));
        assert!(e.types.iter().any(|t| t == "5_bgp"));
    }
    assert!(c.eip.iter().any(|e| e.types.iter().any(|t| t == "5_sbgp")));
}

#[test]
fn every_zone_and_price_refers_to_a_real_region_and_zone() {
    let c = cat();
    let zone_ok = |region: &str, zone: &str| c.region(region).is_some_and(|r| r.zones.iter().any(|z| z == zone));
    for f in &c.flavors {
        assert_eq!(
            f.zones.keys().collect::<Vec<_>>(),
            f.prices.keys().collect::<Vec<_>>(),
            "{} sells where it has prices",
            f.id
        );
        for (r, zs) in &f.zones.0 {
            assert!(!zs.is_empty() && zs.iter().all(|z| zone_ok(r, z)), "{} in {r}", f.id);
        }
        assert!(f.prices.values().all(|p| p.month_minor_e4 > 0 && p.hour_minor_e4 > 0));
    }
    for d in &c.disk_types {
        assert_eq!(d.zones.keys().collect::<Vec<_>>(), d.prices.keys().collect::<Vec<_>>(), "{}", d.id);
        for (r, zs) in &d.zones.0 {
            assert!(!zs.is_empty() && zs.iter().all(|z| zone_ok(r, z)), "{} in {r}", d.id);
        }
        for p in d.prices.values() {
            assert_eq!(
                p.month_minor_e4.is_some(),
                d.yearly_monthly,
                "{}: a monthly price exactly when sold yearly/monthly",
                d.id
            );
            assert_eq!(p.iops_hour_minor_e4.is_some(), d.iops.is_some(), "{}", d.id);
            assert_eq!(p.throughput_hour_minor_e4.is_some(), d.throughput_mib_s.is_some(), "{}", d.id);
        }
        assert!(d.data_size_gb == [10, 32768] && d.system_size_gb == [1, 1024], "{}: the Huawei size limits", d.id);
    }
    for e in &c.eip {
        assert!(c.region(&e.region).is_some());
        assert!(e.bandwidth_tiers.windows(2).all(|w| w[0].up_to_mbit < w[1].up_to_mbit));
        assert_eq!(e.bandwidth_tiers.last().map(|t| t.up_to_mbit), Some(2000));
    }
    let ids: std::collections::BTreeSet<_> = c.images.iter().map(|i| &i.id).collect();
    assert_eq!(ids.len(), c.images.len(), "image ids are unique");
}

#[test]
fn a_region_view_keeps_only_that_region() {
    let c = cat();
    let v = c.for_region("ap-southeast-2").unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(v.region_ids(), vec!["ap-southeast-2"]);
    assert!(v.flavors.iter().all(|f| f.zones.keys().eq(["ap-southeast-2"].iter().copied()) && f.prices.len() == 1));
    assert!(v.flavors.len() < c.flavors.len(), "m7 is not sold in Bangkok");
    assert_eq!(v.eip.len(), 1);
    let e = c.for_region("mars-1").err().map(|e| e.to_body());
    assert_eq!(e.as_ref().and_then(|b| b["error"]["details"][0]["path"][0].as_str()), Some("region"));
}

#[test]
fn the_hand_reader_keeps_every_value_of_the_file() {
    let file: serde_json::Value = serde_json::from_str(CATALOG_JSON).unwrap_or_default();
    let back = serde_json::to_value(cat()).unwrap_or_default();
    assert_eq!(back, file, "reading then serializing gives the file back, key for key");
}
