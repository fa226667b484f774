use super::*;
use proptest::prelude::*;

#[test]
fn known_instants() {
    assert_eq!(Timestamp::parse("1970-01-01T00:00:00Z"), Some(Timestamp(0)));
    let t = Timestamp::parse("2026-11-26T04:54:28Z").unwrap();
    assert_eq!(t.unix(), 1_795_668_868);
    assert_eq!(t.to_string(), "2026-11-26T04:54:28Z");
    assert_eq!(Timestamp::parse("2026-11-26T12:54:28.123+08:00"), Some(t));
    assert_eq!(
        Timestamp::parse("2024-02-29T00:00:00Z").map(|t| t.to_string()).as_deref(),
        Some("2024-02-29T00:00:00Z")
    );
    assert_eq!(t.month_start().to_string(), "2026-11-01T00:00:00Z");
}

#[test]
fn rejects_malformed_and_impossible() {
    for s in [
        "",
        "2026-11-26",
        "2026-11-26 04:54:28Z",
        "2026-02-30T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-11-26T24:00:00Z",
        "2026-11-26T04:54:28",
        "2026-11-26T04:54:28Zjunk",
        "2026-11-26T04:54:28.Z",
        "+026-11-26T04:54:28Z",
        "2026-11-26T04:54:28+0800",
    ] {
        assert_eq!(Timestamp::parse(s), None, "{s}");
    }
}

proptest! {
    #[test]
    fn format_then_parse_round_trips(secs in -62_135_596_800i64..253_402_300_799i64) {
        let t = Timestamp(secs);
        prop_assert_eq!(Timestamp::parse(&t.to_string()), Some(t));
    }
}

#[test]
fn readable_names_the_minute_and_the_zone() {
    let t = Timestamp::parse("2027-12-01T10:53:57Z").expect("time");
    assert_eq!(t.readable(), "2027-12-01 10:53 UTC");
}
