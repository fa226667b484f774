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

#[test]
fn reveal_requests_are_validated() {
    use serde_json::json;
    let ok =
        RevealRequest::decode(&json!({"fields": ["mobile", "real_name"], "reason": "customer called"}), false).unwrap();
    assert_eq!(ok.fields, vec![Field::RealName, Field::Mobile]);
    let e = RevealRequest::decode(&json!({"fields": ["mobile", "mobile", "ssn"], "reason": "x", "extra": 1}), true)
        .unwrap_err();
    let paths: Vec<String> = e.details.iter().map(|d| serde_json::to_string(&d.path).unwrap()).collect();
    for p in [r#"["fields",2]"#, r#"["ids"]"#, r#"["reason"]"#, r#"["extra"]"#] {
        assert!(paths.contains(&p.to_string()), "{p} in {paths:?}");
    }
}

#[test]
fn reveal_rate_limit_says_when_to_retry() {
    use crate::time::Timestamp;
    let now = Timestamp::from_unix(1_000_000);
    let e = reveal_refusal(Some(now.plus(-10)), now);
    assert_eq!(e.code, crate::error::Code::RateLimited);
    assert_eq!(e.data.unwrap()["retry_after"], 50);
}

#[test]
fn a_reveal_is_all_or_nothing() {
    use crate::ids::{CustomerId, PartnerId, UserId};
    use crate::partners::{Actor, PartnerKind, Role};
    let mine = PartnerId::from_bytes(&[1; 16]);
    let other = PartnerId::from_bytes(&[2; 16]);
    let actor = Actor {
        user_id: UserId::from_bytes(&[3; 12]),
        partner_id: mine.clone(),
        partner_kind: PartnerKind::Reseller,
        distributor_id: Some(PartnerId::from_bytes(&[4; 16])),
        role: Role::Operator,
    };
    let demo = crate::demo::dataset(crate::time::Timestamp::from_unix(1_800_000_000), 0);
    let mut a = demo.customers[0].clone();
    a.facts.partner_id = mine;
    let mut b = demo.customers[1].clone();
    b.facts.partner_id = other;
    let found = vec![a.clone(), b.clone()];
    assert_eq!(reveal_targets(&actor, &[a.facts.id.clone(), a.facts.id.clone()], &found).unwrap().len(), 1);
    assert_eq!(
        reveal_targets(&actor, &[a.facts.id.clone(), b.facts.id.clone()], &found).unwrap_err().code,
        crate::error::Code::NotFound
    );
    assert!(reveal_targets(&actor, &[CustomerId::from_bytes(&[9; 16])], &found).is_err());
}

/// The masked view is written field by field (no JSON tree); its JSON is the documented one, key for
/// key and in this order, with and without a budget, frozen or not.
#[test]
fn the_masked_view_is_the_documented_json_in_order() {
    let data = crate::demo::dataset(crate::time::Timestamp::parse("2026-11-30T00:00:00Z").unwrap(), 200);
    let with_budget = data.customers.iter().find(|c| c.facts.budget.is_some()).unwrap();
    let without = data.customers.iter().find(|c| c.facts.budget.is_none()).unwrap();
    let frozen = data.customers.iter().find(|c| c.facts.frozen).unwrap();
    for c in [with_budget, without, frozen] {
        let f = &c.facts;
        let want = serde_json::json!({
            "id": f.id,
            "account_name": name(&c.account_name),
            "real_name": name(&c.real_name),
            "mobile": {"country_code": c.mobile_country_code, "number": mobile(&c.mobile)},
            "email": email(&c.email),
            "masked": ["account_name", "real_name", "mobile", "email"],
            "association": {
                "partner_id": f.partner_id,
                "partner_distributor_id": f.partner_distributor_id,
                "type": f.association_type,
                "associated_on": c.associated_on,
            },
            "account_manager": c.account_manager,
            "verified_status": f.verified_status,
            "customer_type": c.customer_type,
            "level": c.level,
            "frozen": {"frozen": f.frozen, "auto": f.auto_frozen, "reason": c.frozen_reason},
            "budget": f.budget.as_ref().map(|b| serde_json::json!({
                "type": b.budget_type, "amount": b.amount, "used": b.used,
                "auto_freeze": b.auto_freeze, "usage_percent": b.usage_percent(),
            })),
            "month_to_date_spend": c.month_to_date_spend,
            "earliest_expiry": c.earliest_expiry,
            "tags": c.tags,
            "gone_since": f.gone_since,
        });
        assert_eq!(serde_json::to_string(&c.masked_view()).unwrap(), want.to_string());
        assert!(!serde_json::to_string(&c.masked_view()).unwrap().contains(&c.mobile));
    }
}
