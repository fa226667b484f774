use super::*;
use serde_json::json;

#[test]
fn the_query_carries_huaweis_filter_names() {
    let f = OrderFilter {
        customer_id: Some("c".repeat(32)),
        status: Some(6),
        created_from: Some("2026-11-01T00:00:00Z".into()),
        limit: 20,
        ..OrderFilter::default()
    };
    let q = orders_query(&f, 40);
    for (k, v) in [("offset", "40"), ("limit", "20"), ("status", "6"), ("create_time_begin", "2026-11-01T00:00:00Z")] {
        assert!(q.contains(&(k, v.to_string())), "{k} in {q:?}");
    }
    assert!(!q.iter().any(|(k, _)| *k == "order_id"), "absent filters are not sent");
}

#[test]
fn orders_read_in_minor_units_and_lines_say_where_they_come_from() {
    let v = json!({"total_count": 3, "order_infos": [
        {"order_id": "CS1", "customer_id": "c1", "service_type_code": "hws.service.type.ebs", "status": 6, "source_type": 1,
         "amount_after_discount": 12.34, "currency": "USD", "create_time": "2026-11-30T10:00:00Z"},
        {"order_id": "CS2", "status": 5, "amount_after_discount": 99.0, "currency": "EUR"},
        {"status": 5},
    ]});
    let (orders, total) = read_orders(&v, Currency::USD).unwrap();
    assert_eq!((orders.len(), total), (2, 3));
    assert_eq!(orders[0].amount, Some(Money::new(1_234, Currency::USD)));
    assert_eq!(orders[1].amount, None, "another currency is not converted");
    let line = order_line(&orders[0], None);
    assert_eq!((line["origin"].as_str(), line["placed"].is_null()), (Some(ORIGIN_ELSEWHERE), true));
    assert_eq!(line["amount"]["minor"], 1_234);
    assert!(read_orders(&json!({"error_code": "CBC.0150"}), Currency::USD).is_none());
}

#[test]
fn cancelling_follows_the_session_rule_and_leaves_orders_placed_elsewhere_to_huawei() {
    use crate::orders::OrderStatus::{Cancelled, Completed, PendingPayment};
    assert_eq!(cancellation(Some(PendingPayment), true).unwrap(), Some((PendingPayment, Cancelled)));
    assert_eq!(cancellation(Some(Completed), true).unwrap_err().code, Code::OrderNotPendingPayment);
    assert_eq!(cancellation(None, true).unwrap(), None);
    assert_eq!(cancellation(None, false).unwrap_err().code, Code::NotFound);
}

#[test]
fn cursors_page_until_the_total() {
    assert_eq!(next_cursor(0, 20, 45), Some("o20".into()));
    assert_eq!(next_cursor(40, 5, 45), None);
    assert_eq!(next_cursor(20, 0, 45), None, "an empty page ends the list");
    assert_eq!(offset_of("o20"), Some(20));
    assert_eq!(offset_of("20"), None);
    assert_eq!(offset_of("ox"), None);
    assert_eq!(offset_of("o+5"), None);
    assert_eq!(offset_of("o3390732448692550900511"), None, "more than 15 digits is not a cursor");
    assert_eq!(offset_of("o999999999999999"), Some(999_999_999_999_999));
}

#[test]
fn resources_merge_by_id() {
    let r = json!({"resource_id": "vol-1", "resource_name": "data", "customer_id": "c1", "region_code": "ap-southeast-1",
        "service_type_code": "hws.service.type.ebs", "resource_type_code": "hws.resource.type.volume", "status": 2});
    let line = resource_line(&r, None);
    assert_eq!((line["origin"].as_str(), line["status"].as_i64()), (Some(ORIGIN_ELSEWHERE), Some(2)));
    assert_eq!(resources_body(&CustomerId::parse(&"a".repeat(32)).unwrap(), 0, 100)["limit"], 100);
    let (list, total) = read_resources(&json!({"resources": [r], "total_count": 7})).unwrap();
    assert_eq!((list.len(), total), (1, 7));
}
