use super::*;
use crate::prerequisites::check;

#[test]
fn dataset_is_deterministic_and_the_named_customers_are_in_their_states() {
    let now = Timestamp::parse("2026-11-26T00:00:00Z").unwrap();
    let a = dataset(now, 50);
    let b = dataset(now, 50);
    assert_eq!(
        a.users.iter().map(|u| &u.api_key).collect::<Vec<_>>(),
        b.users.iter().map(|u| &u.api_key).collect::<Vec<_>>()
    );
    assert_eq!(a.customers, b.customers);
    assert_eq!(a.customers.len(), 55);

    let skyline_op = a.users.iter().find(|u| u.email.starts_with("skyline-operator")).unwrap();
    let actor = crate::partners::Actor {
        user_id: skyline_op.id.clone(),
        partner_id: known::reseller(),
        partner_kind: PartnerKind::Reseller,
        distributor_id: Some(known::distributor()),
        role: Role::Operator,
    };
    let cust = |id: CustomerId| a.customers.iter().find(|c| c.facts.id == id).unwrap().facts.clone();
    let report = |c: &CustomerFacts| check(&actor, c, &a.permissions, &a.authorizations, now);
    assert!(report(&cust(known::ready_customer())).can_order);
    let journey = report(&cust(known::journey_customer()));
    assert_eq!(
        journey.blocking,
        vec![crate::error::Code::DistributorPermissionMissing, crate::error::Code::AuthorizationMissing]
    );
    let mut with_pending = a.authorizations.clone();
    with_pending.push(a.consents[0].authorization.clone());
    let consent = check(&actor, &cust(known::consent_customer()), &a.permissions, &with_pending, now);
    assert_eq!(consent.blocking, vec![crate::error::Code::AuthorizationPending]);
}
