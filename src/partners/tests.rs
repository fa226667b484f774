use super::*;

#[test]
fn role_table() {
    use Ability::*;
    let table = [
        (Role::Admin, [true, true, true, true, true]),
        (Role::Operator, [true, true, true, false, false]),
        (Role::Viewer, [true, false, false, false, false]),
    ];
    for (role, expect) in table {
        let got = [Read, RequestAuthorization, PlaceOrder, ManagePermissions, ManageApiKeys].map(|a| role.may(a));
        assert_eq!(got, expect, "{role:?}");
    }
}

#[test]
fn key_secrets_and_their_hash() {
    let k = api_key_secret(&[0xab; 20]);
    assert!(k.starts_with(API_KEY_PREFIX) && k.len() == 44);
    assert_eq!(api_key_hash(&k).len(), 64);
    assert_ne!(api_key_hash(&k), api_key_hash(&api_key_secret(&[0xac; 20])));
}

#[test]
fn distributor_sees_its_resellers_customers_only() {
    let d = PartnerId::parse(&"d".repeat(32)).unwrap();
    let r = PartnerId::parse(&"e".repeat(32)).unwrap();
    let other = PartnerId::parse(&"f".repeat(32)).unwrap();
    let actor = Actor {
        user_id: UserId::from_bytes(&[1; 12]),
        partner_id: d.clone(),
        partner_kind: PartnerKind::Distributor,
        distributor_id: None,
        role: Role::Viewer,
    };
    assert!(actor.sees(&d, None));
    assert!(actor.sees(&r, Some(&d)));
    assert!(!actor.sees(&r, Some(&other)));
    let reseller =
        Actor { partner_id: r.clone(), partner_kind: PartnerKind::Reseller, distributor_id: Some(d.clone()), ..actor };
    assert!(reseller.sees(&r, Some(&d)));
    assert!(!reseller.sees(&d, None));
}

#[test]
fn only_distributor_admins_manage_permissions() {
    let base = Actor {
        user_id: UserId::from_bytes(&[1; 12]),
        partner_id: PartnerId::from_bytes(&[2; 16]),
        partner_kind: PartnerKind::Distributor,
        distributor_id: None,
        role: Role::Admin,
    };
    assert_eq!(base.abilities()["manage_permissions"], true);
    let reseller_admin = Actor {
        partner_kind: PartnerKind::Reseller,
        distributor_id: Some(PartnerId::from_bytes(&[3; 16])),
        ..base.clone()
    };
    assert_eq!(reseller_admin.abilities()["manage_permissions"], false);
    assert_eq!(reseller_admin.abilities()["manage_api_keys"], true);
    assert_eq!(base.require_kind(PartnerKind::Reseller).unwrap_err().code, crate::error::Code::ForbiddenPartnerKind);
}

#[test]
fn only_resellers_need_a_distributor_permission_and_keys_are_for_own_users() {
    let dist = Actor {
        user_id: UserId::from_bytes(&[1; 12]),
        partner_id: PartnerId::from_bytes(&[2; 16]),
        partner_kind: PartnerKind::Distributor,
        distributor_id: None,
        role: Role::Admin,
    };
    let reseller = Actor {
        partner_kind: PartnerKind::Reseller,
        distributor_id: Some(PartnerId::from_bytes(&[3; 16])),
        ..dist.clone()
    };
    assert!(!dist.needs_distributor_permission());
    assert!(reseller.needs_distributor_permission());
    assert!(dist.require_own_user(Some(dist.partner_id.as_str())).is_ok());
    let e = dist.require_own_user(Some(PartnerId::from_bytes(&[9; 16]).as_str())).unwrap_err();
    assert_eq!(e.code, Code::NotFound, "another partner's user is not visible");
    assert!(dist.require_own_user(None).is_err());
}
