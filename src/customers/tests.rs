use super::*;
use crate::money::Currency;

#[test]
fn budget_usage_rounds_down_and_zero_budget_is_full() {
    let usd = Currency::parse("USD").unwrap();
    let b = |amount, used| Budget {
        budget_type: BudgetType::Monthly,
        amount: Money::new(amount, usd),
        used: Money::new(used, usd),
        auto_freeze: false,
    };
    assert_eq!(b(10_000, 7_499).usage_percent(), 74);
    assert_eq!(b(10_000, 7_500).usage_percent(), 75);
    assert_eq!(b(10_000, 12_000).usage_percent(), 120);
    assert_eq!(b(0, 0).usage_percent(), 100);
    // The levels the check warns at and Customer Management shows, on whole percents rounded down.
    let levels: Vec<i64> = [7_499, 7_500, 8_999, 9_000, 9_999, 10_000, 12_000].map(|u| b(10_000, u).level()).to_vec();
    assert_eq!(levels, [0, 75, 75, 90, 90, 100, 100]);
    assert_eq!(b(0, 0).level(), 100);
}

#[test]
fn fold_equals_unicode_lowercase_over_the_blocks_names_use() {
    use crate::customers::query::{fold, fold_char};
    let blocks = [0x0000..0x0180u32, 0x0384..0x03CF, 0x0400..0x0460, 0x3400..0x4DC0, 0x4E00..0xA000];
    let mut checked = 0;
    for c in blocks.into_iter().flatten().filter_map(char::from_u32) {
        let mut l = c.to_lowercase();
        let (Some(first), None) = (l.next(), l.next()) else { continue }; // İ lowercases to two characters
        assert_eq!(fold_char(c), first, "U+{:04X} {c}", c as u32);
        checked += 1;
    }
    assert!(checked > 20_000);
    assert_eq!(fold("Müller ÆØÅ Ωμέγα Москва 示例科技"), "müller æøå ωμέγα москва 示例科技");
}
