use super::*;
use crate::money::Currency;

#[test]
fn budget_usage_rounds_down_and_zero_budget_is_full() {
    let usd = Currency::parse("USD").unwrap();
    let b = |amount, used| Budget { budget_type: BudgetType::Monthly, amount: Money::new(amount, usd), used: Money::new(used, usd), auto_freeze: false };
    assert_eq!(b(10_000, 7_499).usage_percent(), 74);
    assert_eq!(b(10_000, 7_500).usage_percent(), 75);
    assert_eq!(b(10_000, 12_000).usage_percent(), 120);
    assert_eq!(b(0, 0).usage_percent(), 100);
}
