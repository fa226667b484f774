//! The deterministic demo dataset: partners, users with API keys, customers in every state the
//! prerequisite check distinguishes, grants, and one pending consent request. Given the same
//! anchor time and size, it is the same data every time (the keys too), so `make dev` can print
//! working keys and the HTTP tests can rely on them.

use crate::consent;
use crate::customers::{AssociationType, Budget, BudgetType, Customer, CustomerFacts, VerifiedStatus};
use crate::grants::{AuthStatus, Capabilities, CustomerAuthorization, DistributorPermission};
use crate::ids::{hex, AuthorizationId, CustomerId, PartnerId, PermissionId, UserId};
use crate::money::{Currency, Money};
use crate::partners::{api_key_hash, PartnerKind, Role};
use crate::time::{Timestamp, DAY};
use sha2::{Digest, Sha256};

/// A partner of the dataset.
#[derive(Debug, Clone)]
pub struct Partner {
    pub id: PartnerId,
    pub kind: PartnerKind,
    pub name: String,
    pub distributor_id: Option<PartnerId>,
}

/// A partner user with its one demo API key.
#[derive(Debug, Clone)]
pub struct User {
    pub id: UserId,
    pub partner_id: PartnerId,
    pub name: String,
    pub email: String,
    pub role: Role,
    /// The clear key (printed by `make dev`); only its hash is stored.
    pub api_key: String,
    pub api_key_id: String,
}

/// A pending authorization with its clear consent token and code (demo only).
#[derive(Debug, Clone)]
pub struct PendingConsent {
    pub authorization: CustomerAuthorization,
    pub token: String,
    pub code: String,
    pub code_hash: String,
    pub code_expires_at: Timestamp,
}

/// The whole dataset.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub now: Timestamp,
    pub partners: Vec<Partner>,
    pub users: Vec<User>,
    pub customers: Vec<Customer>,
    pub permissions: Vec<DistributorPermission>,
    pub authorizations: Vec<CustomerAuthorization>,
    pub consents: Vec<PendingConsent>,
}

/// A small deterministic generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    /// True with probability `pct` percent.
    pub fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

fn digest(label: &str) -> [u8; 32] {
    Sha256::digest(label.as_bytes()).into()
}

fn partner_id(label: &str) -> PartnerId {
    let d = digest(label);
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    PartnerId::from_bytes(&b)
}

fn customer_id(label: &str) -> CustomerId {
    let d = digest(label);
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    CustomerId::from_bytes(&b)
}

fn b12(label: &str) -> [u8; 12] {
    let d = digest(label);
    let mut b = [0u8; 12];
    b.copy_from_slice(&d[..12]);
    b
}

/// Well-known ids of the dataset, for docs, tests and the portal.
pub mod known {
    use super::*;
    /// Northwind Distribution (distributor).
    pub fn distributor() -> PartnerId {
        partner_id("partner:northwind")
    }
    /// Skyline Cloud (reseller under Northwind).
    pub fn reseller() -> PartnerId {
        partner_id("partner:skyline")
    }
    /// Harbor IT (second reseller under Northwind).
    pub fn reseller2() -> PartnerId {
        partner_id("partner:harbor")
    }
    /// Southgate Distribution (an unrelated distributor).
    pub fn other_distributor() -> PartnerId {
        partner_id("partner:southgate")
    }
    /// Delta Reseller (under Southgate).
    pub fn other_reseller() -> PartnerId {
        partner_id("partner:delta")
    }
    /// Example Co.: Skyline's reseller-mode customer with nothing granted yet (the journey's start).
    pub fn journey_customer() -> CustomerId {
        customer_id("customer:journey")
    }
    /// Acme Trading: Skyline's customer where every prerequisite passes.
    pub fn ready_customer() -> CustomerId {
        customer_id("customer:ready")
    }
    /// 示例科技有限公司: Skyline's customer with a pending consent request (the demo consent link).
    pub fn consent_customer() -> CustomerId {
        customer_id("customer:consent")
    }
    /// A referral-mode customer of Skyline.
    pub fn referral_customer() -> CustomerId {
        customer_id("customer:referral")
    }
    /// Delta's customer (another distributor's tree): invisible to Northwind and its resellers.
    pub fn foreign_customer() -> CustomerId {
        customer_id("customer:foreign")
    }
}

const SURNAMES: &[&str] =
    &["Zhang", "Wang", "Li", "Chen", "Liu", "Garcia", "Smith", "Tanaka", "Kim", "Nguyen", "Müller", "Silva"];
const COMPANIES: &[&str] =
    &["Trading", "Logistics", "Robotics", "Foods", "Media", "Health", "Fintech", "Games", "Energy", "Retail"];
const CJK: &[&str] = &["示例科技有限公司", "华北物流集团", "云海网络", "星辰数据", "东方零售"];
const TAGS: &[&str] = &["vip", "startup", "gov", "education", "retail", "gaming", "trial"];
const MANAGERS: &[&str] = &["am_zhang", "am_li", "am_garcia", "am_kim"];

/// Builds the dataset anchored at `now` with about `extra_customers` generated customers besides
/// the named ones.
pub fn dataset(now: Timestamp, extra_customers: usize) -> Dataset {
    let usd = Currency::USD;
    let (d1, r1, r2, d2, r3) = (
        known::distributor(),
        known::reseller(),
        known::reseller2(),
        known::other_distributor(),
        known::other_reseller(),
    );
    let partners = vec![
        Partner {
            id: d1.clone(),
            kind: PartnerKind::Distributor,
            name: "Northwind Distribution".into(),
            distributor_id: None,
        },
        Partner {
            id: r1.clone(),
            kind: PartnerKind::Reseller,
            name: "Skyline Cloud".into(),
            distributor_id: Some(d1.clone()),
        },
        Partner {
            id: r2.clone(),
            kind: PartnerKind::Reseller,
            name: "Harbor IT".into(),
            distributor_id: Some(d1.clone()),
        },
        Partner {
            id: d2.clone(),
            kind: PartnerKind::Distributor,
            name: "Southgate Distribution".into(),
            distributor_id: None,
        },
        Partner {
            id: r3.clone(),
            kind: PartnerKind::Reseller,
            name: "Delta Reseller".into(),
            distributor_id: Some(d2.clone()),
        },
    ];
    let user_specs: &[(&str, &PartnerId, Role)] = &[
        ("northwind-admin", &d1, Role::Admin),
        ("northwind-operator", &d1, Role::Operator),
        ("northwind-viewer", &d1, Role::Viewer),
        ("skyline-admin", &r1, Role::Admin),
        ("skyline-operator", &r1, Role::Operator),
        ("skyline-viewer", &r1, Role::Viewer),
        ("harbor-operator", &r2, Role::Operator),
        ("southgate-admin", &d2, Role::Admin),
        ("delta-operator", &r3, Role::Operator),
    ];
    let users = user_specs
        .iter()
        .map(|(handle, partner, role)| {
            let mut key_bytes = [0u8; 20];
            key_bytes.copy_from_slice(&digest(&format!("apikey:{handle}"))[..20]);
            User {
                id: UserId::from_bytes(&b12(&format!("user:{handle}"))),
                partner_id: (*partner).clone(),
                name: handle.replace('-', " "),
                email: format!("{handle}@partners.example"),
                role: *role,
                api_key: crate::partners::api_key_secret(&key_bytes),
                api_key_id: format!("key_{}", hex(&b12(&format!("key:{handle}")))),
            }
        })
        .collect::<Vec<_>>();

    let mut customers = Vec::new();
    let make = |id: CustomerId,
                partner: &PartnerId,
                dist: Option<&PartnerId>,
                assoc: AssociationType,
                real: &str,
                account: &str,
                rng: &mut Rng| {
        let budget_amount = 100_000 + rng.below(20) as i64 * 50_000;
        Customer {
            facts: CustomerFacts {
                id,
                partner_id: partner.clone(),
                partner_distributor_id: dist.cloned(),
                association_type: assoc,
                frozen: false,
                auto_frozen: false,
                verified_status: VerifiedStatus::VERIFIED,
                budget: Some(Budget {
                    budget_type: BudgetType::Monthly,
                    amount: Money::new(budget_amount, usd),
                    used: Money::new(budget_amount * rng.below(60) as i64 / 100, usd),
                    auto_freeze: true,
                }),
                gone_since: None,
            },
            account_name: account.to_string(),
            real_name: real.to_string(),
            mobile_country_code: "0086".into(),
            mobile: format!("13{:09}", rng.below(1_000_000_000)),
            // The domain stays visible when masked, so it must not spell the account name.
            email: format!("{account}@mail.example"),
            associated_on: now.plus(-(rng.below(700) as i64 + 1) * DAY),
            account_manager: Some(rng.pick(MANAGERS).to_string()),
            customer_type: 1,
            level: format!("V{}", rng.below(6)),
            frozen_reason: None,
            month_to_date_spend: Money::new(rng.below(500_000) as i64, usd),
            earliest_expiry: Some(now.plus((rng.below(400) as i64 + 1) * DAY)),
            tags: vec![rng.pick(TAGS).to_string()],
        }
    };
    let mut rng = Rng::new(0x0b_e4a1f);
    customers.push(make(
        known::journey_customer(),
        &r1,
        Some(&d1),
        AssociationType::Reseller,
        "Example Co., Ltd.",
        "exampleco",
        &mut rng,
    ));
    customers.push(make(
        known::ready_customer(),
        &r1,
        Some(&d1),
        AssociationType::Reseller,
        "Acme Trading Ltd.",
        "acme_trading",
        &mut rng,
    ));
    customers.push(make(
        known::consent_customer(),
        &r1,
        Some(&d1),
        AssociationType::Reseller,
        "示例科技有限公司",
        "shili_tech",
        &mut rng,
    ));
    customers.push(make(
        known::referral_customer(),
        &r1,
        Some(&d1),
        AssociationType::Referral,
        "Referral Partners Inc.",
        "referral_inc",
        &mut rng,
    ));
    customers.push(make(
        known::foreign_customer(),
        &r3,
        Some(&d2),
        AssociationType::Reseller,
        "Foreign Holdings",
        "foreign_holdings",
        &mut rng,
    ));

    // Generated customers in every state: frozen, auto-frozen, unverified, budgets near and over 100 %.
    let owners: [(&PartnerId, Option<&PartnerId>); 4] =
        [(&r1, Some(&d1)), (&r2, Some(&d1)), (&d1, None), (&r3, Some(&d2))];
    for i in 0..extra_customers {
        let (owner, dist) = owners[i % owners.len()];
        let assoc = if rng.chance(80) { AssociationType::Reseller } else { AssociationType::Referral };
        let real = if rng.chance(25) {
            format!("{}{}", rng.pick(CJK), i)
        } else {
            format!("{} {} {}", rng.pick(SURNAMES), rng.pick(COMPANIES), i)
        };
        let account = format!("cust{i:05}");
        let mut c = make(customer_id(&format!("customer:gen:{i}")), owner, dist, assoc, &real, &account, &mut rng);
        if rng.chance(15) {
            c.facts.frozen = true;
            c.frozen_reason = Some("New reseller-mode customer; not yet unfrozen by the partner.".into());
        }
        if let Some(b) = c.facts.budget.as_mut() {
            if rng.chance(10) {
                b.used = Money::new(b.amount.minor, usd);
                c.facts.frozen = true;
                c.facts.auto_frozen = true;
                c.frozen_reason = Some("Budget used up (auto-freeze).".into());
            } else if rng.chance(15) {
                b.used = Money::new(b.amount.minor * (75 + rng.below(25) as i64) / 100, usd);
            }
        }
        if rng.chance(10) {
            c.facts.budget = None;
        }
        if rng.chance(8) {
            c.facts.verified_status = VerifiedStatus(*rng.pick(&[-1i64, 0, 1, 3]));
        }
        if rng.chance(30) {
            let extra = rng.pick(TAGS).to_string();
            if !c.tags.contains(&extra) {
                c.tags.push(extra);
                crate::sorting::sort(&mut c.tags);
            }
        }
        customers.push(c);
    }

    let order_om = Capabilities::all();
    let admin_of = |handle: &str| users.iter().find(|u| u.email.starts_with(handle)).map(|u| u.id.clone());
    // Northwind lets Skyline order for Acme Trading only; the journey customer starts with nothing.
    let permissions = vec![
        DistributorPermission {
            id: PermissionId::from_bytes(&b12("perm:ready")),
            distributor_id: d1.clone(),
            reseller_id: r1.clone(),
            customer_id: Some(known::ready_customer()),
            capabilities: order_om.clone(),
            granted_by: admin_of("northwind-admin"),
            granted_at: now.plus(-30 * DAY),
            valid_until: None,
            revoked_at: None,
            revoke_reason: None,
        },
        DistributorPermission {
            id: PermissionId::from_bytes(&b12("perm:consent")),
            distributor_id: d1.clone(),
            reseller_id: r1.clone(),
            customer_id: Some(known::consent_customer()),
            capabilities: order_om.clone(),
            granted_by: admin_of("northwind-admin"),
            granted_at: now.plus(-2 * DAY),
            valid_until: Some(now.plus(365 * DAY)),
            revoked_at: None,
            revoke_reason: None,
        },
    ];
    let authorizations = vec![CustomerAuthorization {
        id: AuthorizationId::from_bytes(&b12("auth:ready")),
        partner_id: r1.clone(),
        customer_id: known::ready_customer(),
        capabilities: order_om.clone(),
        requested_by: admin_of("skyline-operator"),
        requested_at: now.plus(-20 * DAY),
        valid_days: 180,
        status: AuthStatus::Approved,
        decided_at: Some(now.plus(-19 * DAY)),
        expires_at: Some(now.plus(161 * DAY)),
        revoked_at: None,
        reason: None,
    }];
    let pending_id = AuthorizationId::from_bytes(&b12("auth:consent"));
    let token = consent::new_token(&digest("consent-token:demo"));
    let code_bytes = digest("consent-code:demo");
    let (code, code_hash) =
        consent::new_code([code_bytes[0], code_bytes[1], code_bytes[2], code_bytes[3]], &pending_id);
    let consents = vec![PendingConsent {
        authorization: CustomerAuthorization {
            id: pending_id,
            partner_id: r1.clone(),
            customer_id: known::consent_customer(),
            capabilities: order_om,
            requested_by: admin_of("skyline-operator"),
            requested_at: now.plus(-3600),
            valid_days: 90,
            status: AuthStatus::Pending,
            decided_at: None,
            expires_at: None,
            revoked_at: None,
            reason: None,
        },
        token,
        code,
        code_hash,
        // Demo only: the seeded code stays valid for the consent link's whole life.
        code_expires_at: now.plus(crate::grants::CONSENT_LINK_TTL),
    }];
    Dataset { now, partners, users, customers, permissions, authorizations, consents }
}

/// The stored hash of a user's demo key.
pub fn key_hash(u: &User) -> String {
    api_key_hash(&u.api_key)
}

#[cfg(test)]
mod tests;
