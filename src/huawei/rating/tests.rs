use super::*;
use crate::catalog::catalog;

fn draft(name: &str, billing: Option<Value>) -> Draft {
    let f: Value = serde_json::from_str(include_str!("../../../tests/fixtures/drafts.json")).unwrap();
    let mut d = f["fixtures"].as_array().unwrap().iter().find(|x| x["name"] == name).unwrap()["draft"].clone();
    if let Some(b) = billing {
        d["billing"] = b;
    }
    crate::drafts::validate(&d, catalog().unwrap()).unwrap()
}

#[test]
fn an_ecs_draft_is_priced_product_by_product() {
    let d = draft("ecs-monthly", None);
    let (path, body) = inquiry(&d, "p1");
    assert_eq!(path, PERIOD_PATH);
    let infos = body["product_infos"].as_array().unwrap();
    assert_eq!(infos[0]["resource_spec"], "s6.large.2.linux");
    assert_eq!(infos[0]["period_type"], 2);
    assert_eq!(infos[1]["resource_type"], "hws.resource.type.volume");
    assert_eq!((infos[1]["resource_size"].as_i64(), infos[1]["size_measure_id"].as_i64()), (Some(40), Some(17)));
    assert!(infos.iter().all(|i| i["region"] == "ap-southeast-1" && i["subscription_num"] == 1));
    let ids: Vec<&str> = infos.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, (1..=infos.len()).map(|i| i.to_string()).collect::<Vec<_>>());
}

#[test]
fn pay_per_use_asks_for_one_hour_and_traffic_is_not_priced() {
    let d = draft("eip-pay-per-use", None);
    let (path, body) = inquiry(&d, "p1");
    assert_eq!(path, DEMAND_PATH);
    let infos = body["product_infos"].as_array().unwrap();
    assert_eq!(infos.len(), 1, "the IP only: its bandwidth is billed by traffic");
    assert_eq!((infos[0]["usage_value"].as_i64(), infos[0]["usage_measure_id"].as_i64()), (Some(1), Some(4)));
}

#[test]
fn reads_the_amounts_exactly() {
    let usd = Currency::parse("USD").unwrap();
    let d = draft("ecs-monthly", None);
    let a = json!({"currency": "USD", "official_website_rating_result": {"official_website_amount": 38.305}});
    assert_eq!(total(&d, &a, usd, 730), Some(Money::new(3831, usd)));
    let a = json!({"currency": "USD", "official_website_rating_result": {"official_website_amount": 12}});
    assert_eq!(total(&d, &a, usd, 730), Some(Money::new(1200, usd)));
    assert_eq!(
        total(
            &d,
            &json!({"currency": "EUR", "official_website_rating_result": {"official_website_amount": 1}}),
            usd,
            730
        ),
        None
    );
    let p = draft("evs-pay-per-use", None);
    // 0.0523 USD per hour × 730 h = 38.179 USD.
    assert_eq!(
        total(&p, &json!({"currency": "USD", "official_website_amount": 0.0523}), usd, 730),
        Some(Money::new(3818, usd))
    );
    assert_eq!(total(&p, &json!({"currency": "USD", "official_website_amount": "x"}), usd, 730), None);
}
