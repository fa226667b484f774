use super::*;
use crate::customers::VerifiedStatus;
use crate::grants::Capability;
use crate::partners::Role;
use serde_json::json;

const D: [u8; 16] = [1; 16];
const R: [u8; 16] = [2; 16];
const OTHER_R: [u8; 16] = [3; 16];

fn now() -> Timestamp {
    Timestamp::parse("2026-12-01T10:00:00Z").expect("time")
}

fn actor(kind: PartnerKind, partner: [u8; 16], role: Role) -> Actor {
    Actor {
        user_id: UserId::from_bytes(&[9; 12]),
        partner_id: PartnerId::from_bytes(&partner),
        partner_kind: kind,
        distributor_id: (kind == PartnerKind::Reseller).then(|| PartnerId::from_bytes(&D)),
        role,
    }
}

fn reseller(role: Role) -> Actor {
    actor(PartnerKind::Reseller, R, role)
}

fn customer(of: [u8; 16], t: AssociationType) -> CustomerFacts {
    CustomerFacts {
        id: CustomerId::from_bytes(&[7; 16]),
        partner_id: PartnerId::from_bytes(&of),
        partner_distributor_id: Some(PartnerId::from_bytes(&D)),
        association_type: t,
        frozen: false,
        auto_frozen: false,
        verified_status: VerifiedStatus::VERIFIED,
        budget: None,
        gone_since: None,
    }
}

fn caps(c: &[Capability]) -> Capabilities {
    Capabilities::new(c.to_vec()).expect("capabilities")
}

fn ask(customer: bool, c: &[Capability]) -> AskPermission {
    AskPermission { customer_id: customer.then(|| CustomerId::from_bytes(&[7; 16])), capabilities: caps(c), note: None }
}

fn asked(a: &Actor, x: AskPermission, c: Option<&CustomerFacts>) -> Result<PermissionRequest, Code> {
    authorize_ask(a, x, c, PermissionRequestId::from_bytes(&[5; 12]), now()).map_err(|e| e.code)
}

#[test]
fn decode_reports_every_field_by_path() {
    let e = AskPermission::decode(&json!({"customer_id": "x", "capabilities": [], "note": "", "why": 1})).unwrap_err();
    let paths: Vec<String> = e.details.iter().map(|f| serde_json::to_string(&f.path).expect("path")).collect();
    assert_eq!(paths, [r#"["customer_id"]"#, r#"["capabilities"]"#, r#"["note"]"#, r#"["why"]"#]);
    let ok = AskPermission::decode(&json!({"customer_id": null, "capabilities": ["order"]})).expect("valid");
    assert_eq!(ok.customer_id, None, "null asks for every customer");
}

#[test]
fn only_a_resellers_admin_or_operator_asks_for_its_own_reseller_mode_customers() {
    use Capability::Order;
    let own = customer(R, AssociationType::Reseller);
    let r = asked(&reseller(Role::Operator), ask(true, &[Order]), Some(&own)).expect("asked");
    assert_eq!(
        (r.reseller_id, r.distributor_id, r.status),
        (PartnerId::from_bytes(&R), PartnerId::from_bytes(&D), RequestStatus::Open)
    );
    assert!(asked(&reseller(Role::Admin), ask(false, &[Order]), None).is_ok(), "for all customers");
    assert_eq!(asked(&reseller(Role::Viewer), ask(false, &[Order]), None), Err(Code::ForbiddenRole));
    let dist = actor(PartnerKind::Distributor, D, Role::Admin);
    assert_eq!(asked(&dist, ask(false, &[Order]), None), Err(Code::ForbiddenPartnerKind));
    let mut orphan = reseller(Role::Admin);
    orphan.distributor_id = None;
    assert_eq!(asked(&orphan, ask(false, &[Order]), None), Err(Code::ForbiddenPartnerKind));
    let foreign = customer(OTHER_R, AssociationType::Reseller);
    assert_eq!(asked(&reseller(Role::Admin), ask(true, &[Order]), Some(&foreign)), Err(Code::NotFound));
    assert_eq!(asked(&reseller(Role::Admin), ask(true, &[Order]), None), Err(Code::NotFound), "no such customer");
    let referral = customer(R, AssociationType::Referral);
    assert_eq!(asked(&reseller(Role::Admin), ask(true, &[Order]), Some(&referral)), Err(Code::CustomerNotResellerMode));
}

#[test]
fn closing_checks_the_party_then_the_role_then_the_state() {
    use Capability::Order;
    let mut r = asked(&reseller(Role::Operator), ask(false, &[Order]), None).expect("asked");
    let dist_admin = actor(PartnerKind::Distributor, D, Role::Admin);
    let other_dist = actor(PartnerKind::Distributor, [4; 16], Role::Admin);
    assert!(authorize_close(&dist_admin, &r, Close::Decline).is_ok());
    assert!(authorize_close(&reseller(Role::Operator), &r, Close::Withdraw).is_ok());
    let code = |a: &Actor, r: &PermissionRequest, how| authorize_close(a, r, how).map_err(|e| e.code);
    assert_eq!(code(&other_dist, &r, Close::Decline), Err(Code::NotFound));
    assert_eq!(code(&reseller(Role::Admin), &r, Close::Decline), Err(Code::NotFound), "a reseller cannot decline");
    assert_eq!(code(&actor(PartnerKind::Distributor, D, Role::Operator), &r, Close::Decline), Err(Code::ForbiddenRole));
    assert_eq!(code(&actor(PartnerKind::Reseller, OTHER_R, Role::Admin), &r, Close::Withdraw), Err(Code::NotFound));
    assert_eq!(code(&reseller(Role::Viewer), &r, Close::Withdraw), Err(Code::ForbiddenRole));
    r.status = RequestStatus::Granted;
    assert_eq!(code(&dist_admin, &r, Close::Decline), Err(Code::PermissionRequestNotOpen));
    assert!(sees(&dist_admin, &r) && sees(&reseller(Role::Viewer), &r) && !sees(&other_dist, &r));
}

#[test]
fn a_grant_covers_a_request_for_its_customer_or_all_with_every_capability_asked() {
    use Capability::{Om, Order};
    let one = asked(&reseller(Role::Operator), ask(true, &[Order]), Some(&customer(R, AssociationType::Reseller)))
        .expect("one");
    let all = asked(&reseller(Role::Operator), ask(false, &[Order, Om]), None).expect("all");
    let perm = |customer: bool, c: &[Capability]| DistributorPermission {
        id: PermissionId::from_bytes(&[6; 12]),
        distributor_id: PartnerId::from_bytes(&D),
        reseller_id: PartnerId::from_bytes(&R),
        customer_id: customer.then(|| CustomerId::from_bytes(&[7; 16])),
        capabilities: caps(c),
        granted_by: None,
        granted_at: now(),
        valid_until: None,
        revoked_at: None,
        revoke_reason: None,
    };
    assert!(covers(&perm(true, &[Order]), &one));
    assert!(covers(&perm(false, &[Order, Om]), &one), "all customers covers one");
    assert!(!covers(&perm(true, &[Om]), &one), "not the capability asked for");
    assert!(!covers(&perm(true, &[Order, Om]), &all), "one customer does not answer a request for all");
    assert!(!covers(&perm(false, &[Order]), &all), "order alone does not answer order and O&M");
    assert!(covers(&perm(false, &[Order, Om]), &all));
}
