use super::*;
use crate::customers::{Budget, BudgetType, VerifiedStatus};
use crate::grants::{AuthStatus, Capabilities, CONSENT_LINK_TTL};
use crate::money::{Currency, Money};
use crate::time::DAY;
use proptest::prelude::*;
use std::collections::BTreeSet;

fn pid(n: u8) -> PartnerId {
    PartnerId::from_bytes(&[n; 16])
}
fn now() -> Timestamp {
    Timestamp::parse("2026-11-26T10:00:00Z").unwrap()
}
const DIST: u8 = 1;
const RESELLER: u8 = 2;
const OTHER_DIST: u8 = 8;
const OTHER_RESELLER: u8 = 9;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Assoc {
    Own,
    OwnReseller,
    Foreign,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum PermState {
    Active,
    Expired,
    Revoked,
}

#[derive(Debug, Clone)]
struct PermSpec {
    state: PermState,
    has_order: bool,
    for_customer: bool,
    wrong_reseller: bool,
}

#[derive(Debug, Clone)]
struct AuthSpec {
    status: AuthStatus,
    expired: bool,
    lapsed: bool,
    has_order: bool,
    other_partner: bool,
}

#[derive(Debug, Clone)]
struct Scenario {
    actor_kind: PartnerKind,
    role: Role,
    assoc: Assoc,
    assoc_type: AssociationType,
    perms: Vec<PermSpec>,
    auths: Vec<AuthSpec>,
    frozen: bool,
    auto_frozen: bool,
    verified: i64,
    budget_pct: Option<i64>,
}

fn caps(order: bool) -> Capabilities {
    Capabilities::new(if order { vec![Capability::Order, Capability::Om] } else { vec![Capability::Om] }).unwrap()
}

impl Scenario {
    fn actor(&self) -> Actor {
        let (partner_id, distributor_id) = match self.actor_kind {
            PartnerKind::Distributor => (pid(DIST), None),
            PartnerKind::Reseller => (pid(RESELLER), Some(pid(DIST))),
        };
        Actor {
            user_id: UserId::from_bytes(&[7; 12]),
            partner_id,
            partner_kind: self.actor_kind,
            distributor_id,
            role: self.role,
        }
    }

    fn customer(&self) -> CustomerFacts {
        let actor = self.actor();
        let (partner_id, partner_distributor_id) = match (self.assoc, self.actor_kind) {
            (Assoc::Own, _) => (actor.partner_id.clone(), actor.distributor_id.clone()),
            (Assoc::OwnReseller, PartnerKind::Distributor) => (pid(RESELLER), Some(pid(DIST))),
            (Assoc::OwnReseller, PartnerKind::Reseller) | (Assoc::Foreign, _) => {
                (pid(OTHER_RESELLER), Some(pid(OTHER_DIST)))
            }
        };
        let usd = Currency::parse("USD").unwrap();
        CustomerFacts {
            id: CustomerId::from_bytes(&[5; 16]),
            partner_id,
            partner_distributor_id,
            association_type: self.assoc_type,
            frozen: self.frozen || self.auto_frozen,
            auto_frozen: self.auto_frozen,
            verified_status: VerifiedStatus::parse(self.verified).unwrap(),
            budget: self.budget_pct.map(|p| Budget {
                budget_type: BudgetType::Monthly,
                amount: Money::new(100_000, usd),
                used: Money::new(p * 1000, usd),
                auto_freeze: false,
            }),
            gone_since: None,
        }
    }

    fn permissions(&self) -> Vec<DistributorPermission> {
        let c = self.customer();
        self.perms
            .iter()
            .enumerate()
            .map(|(i, s)| DistributorPermission {
                id: PermissionId::from_bytes(&[i as u8; 12]),
                distributor_id: pid(DIST),
                reseller_id: if s.wrong_reseller { pid(OTHER_RESELLER) } else { pid(RESELLER) },
                customer_id: s.for_customer.then(|| c.id.clone()),
                capabilities: caps(s.has_order),
                granted_by: None,
                granted_at: now().plus(-(i as i64 + 1) * DAY),
                valid_until: (s.state == PermState::Expired).then(|| now().plus(-1)),
                revoked_at: (s.state == PermState::Revoked).then(|| now().plus(-60)),
                revoke_reason: None,
            })
            .collect()
    }

    fn authorizations(&self) -> Vec<CustomerAuthorization> {
        let c = self.customer();
        let actor = self.actor();
        self.auths
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let requested_at =
                    if s.lapsed { now().plus(-CONSENT_LINK_TTL - DAY) } else { now().plus(-(i as i64 + 1) * 3600) };
                let decided = (s.status != AuthStatus::Pending).then(|| requested_at.plus(60));
                CustomerAuthorization {
                    id: AuthorizationId::from_bytes(&[i as u8 + 100; 12]),
                    partner_id: if s.other_partner { pid(OTHER_RESELLER) } else { actor.partner_id.clone() },
                    customer_id: c.id.clone(),
                    capabilities: caps(s.has_order),
                    requested_by: None,
                    requested_at,
                    valid_days: 30,
                    status: s.status,
                    decided_at: decided,
                    expires_at: (s.status == AuthStatus::Approved).then(|| {
                        if s.expired {
                            now().plus(-1)
                        } else {
                            now().plus(DAY)
                        }
                    }),
                    revoked_at: (s.status == AuthStatus::Revoked).then(|| now().plus(-1)),
                    reason: None,
                }
            })
            .collect()
    }

    fn report(&self) -> Report {
        check(&self.actor(), &self.customer(), &self.permissions(), &self.authorizations(), now())
    }

    /// The oracle: which checks must fail, computed directly from the scenario.
    fn expected_failures(&self) -> BTreeSet<&'static str> {
        let mut f = BTreeSet::new();
        if self.assoc == Assoc::Foreign
            || (self.assoc == Assoc::OwnReseller && self.actor_kind == PartnerKind::Reseller)
        {
            f.insert("association");
        }
        if self.assoc_type == AssociationType::Referral {
            f.insert("reseller_mode");
        }
        if self.role == Role::Viewer {
            f.insert("role");
        }
        if self.actor_kind == PartnerKind::Reseller
            && !self.perms.iter().any(|p| p.state == PermState::Active && p.has_order && !p.wrong_reseller)
        {
            f.insert("distributor_permission");
        }
        let auth_ok = self
            .auths
            .iter()
            .any(|a| a.status == AuthStatus::Approved && !a.expired && a.has_order && !a.other_partner);
        if !auth_ok {
            f.insert("customer_authorization");
        }
        if self.frozen || self.auto_frozen {
            f.insert("not_frozen");
        }
        if self.verified != 2 {
            f.insert("real_name_verified");
        }
        if self.budget_pct.is_some_and(|p| p >= 100) {
            f.insert("budget");
        }
        f
    }
}

fn failing(r: &Report) -> BTreeSet<&'static str> {
    r.checks.iter().filter(|c| c.status == Status::Fail).map(|c| name_of(c.check)).collect()
}

fn name_of(c: CheckName) -> &'static str {
    match c {
        CheckName::Association => "association",
        CheckName::ResellerMode => "reseller_mode",
        CheckName::Role => "role",
        CheckName::DistributorPermission => "distributor_permission",
        CheckName::CustomerAuthorization => "customer_authorization",
        CheckName::NotFrozen => "not_frozen",
        CheckName::RealNameVerified => "real_name_verified",
        CheckName::Budget => "budget",
    }
}

fn perm_spec() -> impl Strategy<Value = PermSpec> {
    (
        prop_oneof![Just(PermState::Active), Just(PermState::Expired), Just(PermState::Revoked)],
        any::<bool>(),
        any::<bool>(),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(state, has_order, for_customer, wrong_reseller)| PermSpec {
            state,
            has_order,
            for_customer,
            wrong_reseller,
        })
}

fn auth_spec() -> impl Strategy<Value = AuthSpec> {
    let status = prop_oneof![
        Just(AuthStatus::Pending),
        Just(AuthStatus::Approved),
        Just(AuthStatus::Rejected),
        Just(AuthStatus::Withdrawn),
        Just(AuthStatus::Revoked)
    ];
    (
        status,
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.8),
        prop::bool::weighted(0.15),
    )
        .prop_map(|(status, expired, lapsed, has_order, other_partner)| AuthSpec {
            status,
            expired,
            lapsed,
            has_order,
            other_partner,
        })
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        prop_oneof![Just(PartnerKind::Distributor), Just(PartnerKind::Reseller)],
        prop_oneof![Just(Role::Admin), Just(Role::Operator), Just(Role::Viewer)],
        prop_oneof![3 => Just(Assoc::Own), 1 => Just(Assoc::OwnReseller), 1 => Just(Assoc::Foreign)],
        prop_oneof![4 => Just(AssociationType::Reseller), 1 => Just(AssociationType::Referral)],
        prop::collection::vec(perm_spec(), 0..4),
        prop::collection::vec(auth_spec(), 0..4),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.1),
        prop_oneof![4 => Just(2i64), 1 => -1i64..=3],
        prop::option::of(0i64..=150),
    )
        .prop_map(
            |(actor_kind, role, assoc, assoc_type, perms, auths, frozen, auto_frozen, verified, budget_pct)| Scenario {
                actor_kind,
                role,
                assoc,
                assoc_type,
                perms,
                auths,
                frozen,
                auto_frozen,
                verified,
                budget_pct,
            },
        )
}

/// Ways to make a scenario strictly worse: each adds one failing condition.
#[derive(Debug, Clone, Copy)]
enum Worsen {
    Freeze,
    AutoFreeze,
    Unverify,
    Viewer,
    ExhaustBudget,
    RevokePermissions,
    RevokeAuthorizations,
    Referral,
    Foreign,
}

fn worsen(s: &Scenario, w: Worsen) -> Scenario {
    let mut s = s.clone();
    match w {
        Worsen::Freeze => s.frozen = true,
        Worsen::AutoFreeze => s.auto_frozen = true,
        Worsen::Unverify => s.verified = -1,
        Worsen::Viewer => s.role = Role::Viewer,
        Worsen::ExhaustBudget => s.budget_pct = Some(100),
        Worsen::RevokePermissions => s.perms.iter_mut().for_each(|p| p.state = PermState::Revoked),
        Worsen::RevokeAuthorizations => s.auths.iter_mut().for_each(|a| {
            if a.status == AuthStatus::Approved {
                a.status = AuthStatus::Revoked
            }
        }),
        Worsen::Referral => s.assoc_type = AssociationType::Referral,
        Worsen::Foreign => s.assoc = Assoc::Foreign,
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn report_lists_exactly_the_failing_checks(s in scenario()) {
        let r = s.report();
        prop_assert_eq!(failing(&r), s.expected_failures());
        prop_assert_eq!(r.checks.iter().map(|c| c.check).collect::<Vec<_>>(), ALL_CHECKS.to_vec());
        prop_assert_eq!(r.can_order, r.blocking.is_empty());
        prop_assert_eq!(r.blocking.len(), failing(&r).len());
        for c in &r.checks {
            prop_assert_eq!(c.code.is_some(), matches!(c.status, Status::Fail | Status::Warn), "{:?}", c);
            prop_assert_eq!(c.remedy.is_some(), matches!(c.status, Status::Fail | Status::Warn), "{:?}", c);
            prop_assert!(!c.message.is_empty());
        }
        // A passing report names the grants it relies on.
        if r.can_order {
            prop_assert!(r.relied_on.authorization.is_some());
            prop_assert_eq!(r.relied_on.distributor_permission.is_some(), s.actor_kind == PartnerKind::Reseller);
        }
    }

    #[test]
    fn adding_a_failing_condition_never_helps(s in scenario(), w in prop_oneof![
        Just(Worsen::Freeze), Just(Worsen::AutoFreeze), Just(Worsen::Unverify), Just(Worsen::Viewer), Just(Worsen::ExhaustBudget),
        Just(Worsen::RevokePermissions), Just(Worsen::RevokeAuthorizations), Just(Worsen::Referral), Just(Worsen::Foreign)]) {
        let before = s.report();
        let after = worsen(&s, w).report();
        prop_assert!(failing(&before).is_subset(&failing(&after)), "{:?}: {:?} -> {:?}", w, failing(&before), failing(&after));
        if !before.can_order {
            prop_assert!(!after.can_order);
        }
    }

    #[test]
    fn budget_warnings_pass_with_a_level(pct in 0i64..=150) {
        let s = Scenario { budget_pct: Some(pct), ..happy_reseller() };
        let r = s.report();
        let b = r.checks.iter().find(|c| c.check == CheckName::Budget).unwrap();
        let (status, level) = match pct { 0..=74 => (Status::Pass, None), 75..=89 => (Status::Warn, Some(75)), 90..=99 => (Status::Warn, Some(90)), _ => (Status::Fail, None) };
        prop_assert_eq!(b.status, status);
        prop_assert_eq!(b.level, level);
        prop_assert_eq!(r.can_order, pct < 100);
    }

    #[test]
    fn input_survives_json_round_trip(s in scenario()) {
        let input = PrerequisiteInput { now: now(), actor: s.actor(), customer: s.customer(), distributor_permissions: s.permissions(), authorizations: s.authorizations() };
        let back = PrerequisiteInput::decode(&input_json(&input)).unwrap();
        prop_assert_eq!(back.run(), input.run());
    }
}

fn happy_reseller() -> Scenario {
    Scenario {
        actor_kind: PartnerKind::Reseller,
        role: Role::Operator,
        assoc: Assoc::Own,
        assoc_type: AssociationType::Reseller,
        perms: vec![PermSpec { state: PermState::Active, has_order: true, for_customer: false, wrong_reseller: false }],
        auths: vec![AuthSpec {
            status: AuthStatus::Approved,
            expired: false,
            lapsed: false,
            has_order: true,
            other_partner: false,
        }],
        frozen: false,
        auto_frozen: false,
        verified: 2,
        budget_pct: None,
    }
}

fn code_of(r: &Report, c: CheckName) -> Option<Code> {
    r.checks.iter().find(|x| x.check == c).and_then(|x| x.code)
}

#[test]
fn happy_path_passes_and_names_its_grants() {
    let r = happy_reseller().report();
    assert!(r.can_order, "{r:#?}");
    assert!(r.relied_on.distributor_permission.is_some() && r.relied_on.authorization.is_some());
}

#[test]
fn each_grant_state_has_its_own_code() {
    use CheckName::{CustomerAuthorization as CA, DistributorPermission as DP};
    let base = happy_reseller();
    let with_perm = |state, has_order| Scenario {
        perms: vec![PermSpec { state, has_order, for_customer: true, wrong_reseller: false }],
        ..base.clone()
    };
    assert_eq!(
        code_of(&Scenario { perms: vec![], ..base.clone() }.report(), DP),
        Some(Code::DistributorPermissionMissing)
    );
    assert_eq!(code_of(&with_perm(PermState::Expired, true).report(), DP), Some(Code::DistributorPermissionExpired));
    assert_eq!(code_of(&with_perm(PermState::Revoked, true).report(), DP), Some(Code::DistributorPermissionRevoked));
    assert_eq!(code_of(&with_perm(PermState::Active, false).report(), DP), Some(Code::DistributorPermissionLacksOrder));

    let with_auth = |status, expired, lapsed, has_order| Scenario {
        auths: vec![AuthSpec { status, expired, lapsed, has_order, other_partner: false }],
        ..base.clone()
    };
    assert_eq!(code_of(&Scenario { auths: vec![], ..base.clone() }.report(), CA), Some(Code::AuthorizationMissing));
    assert_eq!(
        code_of(&with_auth(AuthStatus::Pending, false, false, true).report(), CA),
        Some(Code::AuthorizationPending)
    );
    assert_eq!(
        code_of(&with_auth(AuthStatus::Pending, false, true, true).report(), CA),
        Some(Code::AuthorizationMissing)
    );
    assert_eq!(
        code_of(&with_auth(AuthStatus::Rejected, false, false, true).report(), CA),
        Some(Code::AuthorizationRejected)
    );
    assert_eq!(
        code_of(&with_auth(AuthStatus::Revoked, false, false, true).report(), CA),
        Some(Code::AuthorizationRevoked)
    );
    assert_eq!(
        code_of(&with_auth(AuthStatus::Approved, true, false, true).report(), CA),
        Some(Code::AuthorizationExpired)
    );
    assert_eq!(
        code_of(&with_auth(AuthStatus::Approved, false, false, false).report(), CA),
        Some(Code::AuthorizationLacksOrder)
    );
    assert_eq!(
        code_of(&with_auth(AuthStatus::Withdrawn, false, false, true).report(), CA),
        Some(Code::AuthorizationMissing)
    );

    let frozen = Scenario { frozen: true, ..base.clone() }.report();
    assert_eq!(code_of(&frozen, CheckName::NotFrozen), Some(Code::CustomerFrozen));
    let auto = Scenario { auto_frozen: true, ..base.clone() }.report();
    assert_eq!(code_of(&auto, CheckName::NotFrozen), Some(Code::CustomerAutoFrozen));
}

#[test]
fn distributor_skips_permission_and_acts_for_resellers_customers() {
    let s =
        Scenario { actor_kind: PartnerKind::Distributor, assoc: Assoc::OwnReseller, perms: vec![], ..happy_reseller() };
    let r = s.report();
    assert!(r.can_order, "{r:#?}");
    let p = r.checks.iter().find(|c| c.check == CheckName::DistributorPermission).unwrap();
    assert_eq!(p.status, Status::Skip);
}

#[test]
fn every_failure_is_listed_not_just_the_first() {
    let s = Scenario {
        role: Role::Viewer,
        perms: vec![],
        auths: vec![],
        frozen: true,
        verified: 0,
        budget_pct: Some(120),
        assoc_type: AssociationType::Referral,
        ..happy_reseller()
    };
    let r = s.report();
    assert_eq!(
        r.blocking,
        vec![
            Code::AssociationNotResellerMode,
            Code::RoleCannotOrder,
            Code::DistributorPermissionMissing,
            Code::AuthorizationMissing,
            Code::CustomerFrozen,
            Code::CustomerNotVerified,
            Code::BudgetExhausted,
        ]
    );
}

#[test]
fn decode_rejects_bad_input_with_paths() {
    let e = PrerequisiteInput::decode(
        &serde_json::json!({"now": "yesterday", "actor": {"user_id": "u"}, "customer": 3, "extra": 1}),
    )
    .unwrap_err();
    assert_eq!(e.code, Code::ValidationFailed);
    let paths: Vec<String> = e.details.iter().map(|f| serde_json::to_string(&f.path).unwrap()).collect();
    for p in [
        r#"["now"]"#,
        r#"["actor","user_id"]"#,
        r#"["actor","partner_id"]"#,
        r#"["actor","role"]"#,
        r#"["customer"]"#,
        r#"["extra"]"#,
    ] {
        assert!(paths.contains(&p.to_string()), "{p} not in {paths:?}");
    }
}

#[test]
fn report_json_shape() {
    let r = happy_reseller().report();
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["can_order"], true);
    assert_eq!(v["checks"][0]["check"], "association");
    assert_eq!(v["checks"][0]["status"], "pass");
    assert!(v["checks"][0]["code"].is_null());
    assert_eq!(v["evaluated_at"], "2026-11-26T10:00:00Z");
}

/// The shared fixtures: the browser module's wasm-bindgen tests and the page test run the same file.
#[test]
fn shared_fixtures_give_the_expected_verdicts() {
    let f: serde_json::Value = serde_json::from_str(include_str!("../../tests/fixtures/prerequisites.json")).unwrap();
    for case in f["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let report = serde_json::to_value(
            PrerequisiteInput::decode(&case["input"]).unwrap_or_else(|e| panic!("{name}: {e:?}")).run(),
        )
        .unwrap();
        assert_eq!(report["can_order"], case["expect"]["can_order"], "{name}");
        assert_eq!(report["blocking"], case["expect"]["blocking"], "{name}");
        assert_eq!(report["warnings"], case["expect"]["warnings"], "{name}");
    }
    for case in f["errors"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let e = PrerequisiteInput::decode(&case["input"]).expect_err(name);
        let body = e.to_body();
        assert_eq!(body["error"]["code"], case["expect_error"]["code"], "{name}");
        let paths: Vec<&serde_json::Value> =
            body["error"]["details"].as_array().unwrap().iter().map(|d| &d["path"]).collect();
        for p in case["expect_error"]["paths"].as_array().unwrap() {
            assert!(paths.contains(&p), "{name}: {p} not in {paths:?}");
        }
    }
}

/// The browser module's TypeScript interfaces name exactly the keys the Rust types serialize.
#[test]
fn typescript_types_match_the_json() {
    use crate::testutil::{json_keys, ts_keys as keys_of};
    let s = Scenario { budget_pct: Some(10), ..happy_reseller() };
    let input = PrerequisiteInput {
        now: now(),
        actor: s.actor(),
        customer: s.customer(),
        distributor_permissions: s.permissions(),
        authorizations: s.authorizations(),
    };
    let report = serde_json::to_value(input.run()).unwrap();
    let ij = input_json(&input);
    assert_eq!(json_keys(&report), keys_of("PrerequisiteReport"));
    assert_eq!(json_keys(&report["checks"][0]), keys_of("Check"));
    assert_eq!(json_keys(&ij), keys_of("PrerequisiteInput"));
    assert_eq!(json_keys(&ij["actor"]), keys_of("Actor"));
    assert_eq!(json_keys(&ij["customer"]), keys_of("CustomerFacts"));
    assert_eq!(json_keys(&ij["customer"]["budget"]), keys_of("Budget"));
    assert_eq!(json_keys(&ij["distributor_permissions"][0]), keys_of("DistributorPermission"));
    assert_eq!(json_keys(&ij["authorizations"][0]), keys_of("CustomerAuthorization"));
    let err =
        crate::error::ApiError::validation(vec![crate::error::FieldError::new(vec![], Code::Required, "x")]).to_body();
    assert_eq!(json_keys(&err["error"]["details"][0]), keys_of("FieldError"));
}

#[test]
fn a_customer_huawei_no_longer_lists_is_not_served() {
    let s = happy_reseller();
    let mut customer = s.customer();
    customer.gone_since = Some(now().plus(-3600));
    let r = check(&s.actor(), &customer, &s.permissions(), &s.authorizations(), now());
    assert!(!r.can_order);
    assert_eq!(code_of(&r, CheckName::Association), Some(Code::CustomerNotAssociated));
    let msg = &r.checks.iter().find(|c| c.check == CheckName::Association).unwrap().message;
    assert!(msg.contains("no longer lists"), "{msg}");
}
