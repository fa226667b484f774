use super::*;
use proptest::prelude::*;

#[test]
fn examples() {
    assert_eq!(name("Zhang Wei"), "Z***");
    assert_eq!(name("示例科技有限公司"), "示***");
    assert_eq!(name(""), "");
    assert_eq!(mobile("13812345678"), "138****5678");
    assert_eq!(mobile("123456"), "****56");
    assert_eq!(email("ops@example.com"), "o***@example.com");
}

proptest! {
    #[test]
    fn masked_mobile_never_contains_the_middle_digits(m in "[0-9]{8,15}") {
        let masked = mobile(&m);
        prop_assert_eq!(masked.len(), m.len());
        prop_assert!(!masked.contains(&m));
        prop_assert_eq!(&masked[..3], &m[..3]);
        prop_assert_eq!(&masked[m.len() - 4..], &m[m.len() - 4..]);
    }

    #[test]
    fn masked_name_reveals_at_most_one_character(s in "\\PC{2,40}") {
        let masked = name(&s);
        prop_assert_eq!(masked.chars().count(), 4);
        prop_assert!(masked.ends_with("***"));
    }
}
