//! The two executors of the customer query agree: for random customers, grants, actors and
//! queries, the SQL (on SQLite, with the real migrations) returns the same ids in the same order,
//! the same total and the same "more pages" answer as the in-memory executor.

use super::*;
use crate::customers::query::{auth_summary, execute, fold, mobile_digits, CustomerQuery, QueryRow};
use crate::customers::{AssociationType, Budget, BudgetType, Customer, CustomerFacts, VerifiedStatus};
use crate::grants::{AuthStatus, Capabilities, Capability, CustomerAuthorization, DistributorPermission};
use crate::ids::{AuthorizationId, CustomerId, PartnerId, PermissionId, UserId};
use crate::money::{Currency, Money};
use crate::partners::Role;
use crate::time::DAY;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestCaseError;
use rusqlite::{params_from_iter, Connection};

fn pid(n: u8) -> PartnerId {
    PartnerId::from_bytes(&[n; 16])
}
const D: u8 = 1;
const R1: u8 = 2;
const R2: u8 = 3;
const D2: u8 = 4;
const R3: u8 = 5;

fn now() -> Timestamp {
    Timestamp::parse("2026-06-15T12:00:00Z").unwrap()
}

const NAMES: &[&str] = &[
    "Acme Trading",
    "ACME Robotics",
    "Zhang Wei Foods",
    "示例科技有限公司",
    "示例物流",
    "Müller GmbH",
    "MÜLLER Bau",
    "O'Brien & Co",
    "trade-line",
];
const MANAGERS: &[&str] = &["am_zhang", "am_li", "AM_Garcia"];
const TAGS: &[&str] = &["vip", "gov", "trial", "edu"];
const MOBILES: &[&str] = &["13812345678", "13912345678", "07700900123"];
const CCS: &[&str] = &["0086", "0044", "+1"];

fn conn() -> Connection {
    // Every migration, in order, as wrangler applies them: a new one cannot be forgotten here.
    let c = crate::sql::migrated();
    for (id, kind, dist) in [
        (D, "distributor", None),
        (R1, "reseller", Some(D)),
        (R2, "reseller", Some(D)),
        (D2, "distributor", None),
        (R3, "reseller", Some(D2)),
    ] {
        c.execute(
            "INSERT INTO partners (id, kind, name, distributor_id, created_at) VALUES (?1, ?2, 'p', ?3, 'x')",
            rusqlite::params![pid(id).as_str(), kind, dist.map(|d| pid(d).as_str().to_string())],
        )
        .unwrap();
    }
    c
}

fn to_sql(v: &SqlValue) -> rusqlite::types::Value {
    match v {
        SqlValue::Null => rusqlite::types::Value::Null,
        SqlValue::Int(n) => rusqlite::types::Value::Integer(*n),
        SqlValue::Text(s) => rusqlite::types::Value::Text(s.clone()),
    }
}

#[derive(Debug, Clone)]
struct World {
    customers: Vec<Customer>,
    perms: Vec<DistributorPermission>,
    auths: Vec<CustomerAuthorization>,
}

fn ts(days: i64) -> Timestamp {
    now().plus(days * DAY)
}

fn customer_strategy() -> impl Strategy<Value = Customer> {
    (
        (
            0usize..NAMES.len(),
            0usize..NAMES.len(),
            prop::option::of(0usize..MANAGERS.len()),
            0usize..MOBILES.len(),
            0usize..CCS.len(),
        ),
        (
            prop_oneof![Just(R1), Just(R1), Just(R2), Just(D), Just(R3)],
            prop::bool::weighted(0.8),
            -400i64..0,
            prop::option::of(-30i64..400),
        ),
        (
            prop::bool::weighted(0.15),
            prop::bool::weighted(0.08),
            prop_oneof![4 => Just(2i64), 1 => -1i64..=3],
            prop::bool::weighted(0.06),
        ),
        (
            prop::option::of((prop_oneof![1 => Just(0i64), 4 => 1i64..4], 0i64..6)),
            0i64..5,
            prop::collection::vec(0usize..TAGS.len(), 0..3),
        ),
    )
        .prop_map(
            |(
                (n, a, m, mob, cc),
                (owner, reseller_mode, assoc_days, expiry),
                (frozen, auto, verified, gone),
                (budget, spend, tags),
            )| {
                let usd = Currency::parse("USD").unwrap();
                let mut tags: Vec<String> = tags.into_iter().map(|i| TAGS[i].to_string()).collect();
                tags.sort();
                tags.dedup();
                Customer {
                    facts: CustomerFacts {
                        id: CustomerId::from_bytes(&[0; 16]), // set later, unique
                        partner_id: pid(owner),
                        partner_distributor_id: match owner {
                            R1 | R2 => Some(pid(D)),
                            R3 => Some(pid(D2)),
                            _ => None,
                        },
                        association_type: if reseller_mode {
                            AssociationType::Reseller
                        } else {
                            AssociationType::Referral
                        },
                        frozen: frozen || auto,
                        auto_frozen: auto,
                        verified_status: VerifiedStatus::parse(verified).unwrap(),
                        budget: budget.map(|(a, u)| Budget {
                            budget_type: BudgetType::Monthly,
                            amount: Money::new(a * 1000, usd),
                            used: Money::new(u * 250, usd),
                            auto_freeze: false,
                        }),
                        gone_since: gone.then(|| ts(-1)),
                    },
                    account_name: format!("{}_acct", NAMES[a].split(' ').next().unwrap()),
                    real_name: NAMES[n].to_string(),
                    mobile_country_code: CCS[cc].to_string(),
                    mobile: MOBILES[mob].to_string(),
                    email: "x@example.com".into(),
                    associated_on: ts(assoc_days),
                    account_manager: m.map(|i| MANAGERS[i].to_string()),
                    customer_type: 1,
                    level: "V1".into(),
                    frozen_reason: None,
                    month_to_date_spend: Money::new(spend * 10_000, usd),
                    earliest_expiry: expiry.map(ts),
                    tags,
                }
            },
        )
}

fn world_strategy() -> impl Strategy<Value = World> {
    // Biased towards grants that pass, so that "can order" is often true and every clause of its SQL matters.
    let perms = prop::collection::vec(
        (
            0usize..40,
            prop::bool::weighted(0.7),
            prop::bool::weighted(0.7),
            prop_oneof![3 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)],
            prop_oneof![3 => Just(R1), 1 => Just(R2)],
        ),
        0..6,
    );
    let auths = prop::collection::vec(
        (
            0usize..40,
            prop_oneof![2 => Just(R1), 1 => Just(R2), 1 => Just(D)],
            prop_oneof![2 => Just(1u8), 1 => 0u8..5],
            prop::bool::weighted(0.7),
            -3i64..20,
            prop_oneof![3 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)],
        ),
        10..60,
    );
    (prop::collection::vec(customer_strategy(), 0..40), perms, auths).prop_map(|(mut customers, perms, auths)| {
        for (i, c) in customers.iter_mut().enumerate() {
            let mut b = [0u8; 16];
            b[0] = i as u8;
            b[15] = 0xc0;
            c.facts.id = CustomerId::from_bytes(&b);
        }
        let n = customers.len().max(1);
        let ids: Vec<CustomerId> = customers.iter().map(|c| c.facts.id.clone()).collect();
        let perms = perms
            .into_iter()
            .enumerate()
            .map(|(i, (ci, all, order, state, reseller))| DistributorPermission {
                id: PermissionId::from_bytes(&[i as u8; 12]),
                distributor_id: pid(D),
                reseller_id: pid(reseller),
                customer_id: if all || ids.is_empty() { None } else { Some(ids[ci % n].clone()) },
                capabilities: Capabilities::new(if order { vec![Capability::Order] } else { vec![Capability::Om] })
                    .unwrap(),
                granted_by: None,
                granted_at: ts(-30),
                valid_until: (state == 1).then(|| ts(-1)),
                revoked_at: (state == 2).then(|| ts(-2)),
                revoke_reason: None,
            })
            .collect();
        let auths = auths
            .into_iter()
            .enumerate()
            .filter(|_| !ids.is_empty())
            .map(|(i, (ci, partner, status, order, days, age))| {
                let status = [
                    AuthStatus::Pending,
                    AuthStatus::Approved,
                    AuthStatus::Rejected,
                    AuthStatus::Withdrawn,
                    AuthStatus::Revoked,
                ][status as usize];
                // Live, lapsed, or exactly at the consent link's end (which has lapsed).
                let requested_at = [ts(-1), ts(-10), now().plus(-CONSENT_LINK_TTL)][age as usize];
                CustomerAuthorization {
                    id: AuthorizationId::from_bytes(&[i as u8 + 100; 12]),
                    partner_id: pid(partner),
                    customer_id: ids[ci % n].clone(),
                    capabilities: Capabilities::new(if order {
                        vec![Capability::Order, Capability::Om]
                    } else {
                        vec![Capability::Om]
                    })
                    .unwrap(),
                    requested_by: None,
                    requested_at,
                    valid_days: 30,
                    status,
                    decided_at: (status != AuthStatus::Pending).then(|| requested_at.plus(60)),
                    expires_at: (status == AuthStatus::Approved).then(|| ts(days)),
                    revoked_at: None,
                    reason: None,
                }
            })
            .collect();
        World { customers, perms, auths }
    })
}

fn actor_strategy() -> impl Strategy<Value = Actor> {
    prop_oneof![
        Just((D, PartnerKind::Distributor, None, Role::Admin)),
        Just((D, PartnerKind::Distributor, None, Role::Viewer)),
        Just((R1, PartnerKind::Reseller, Some(D), Role::Operator)),
        Just((R1, PartnerKind::Reseller, Some(D), Role::Viewer)),
        Just((R2, PartnerKind::Reseller, Some(D), Role::Admin)),
    ]
    .prop_map(|(p, kind, dist, role)| Actor {
        user_id: UserId::from_bytes(&[9; 12]),
        partner_id: pid(p),
        partner_kind: kind,
        distributor_id: dist.map(pid),
        role,
    })
}

/// Query parameters drawn from the same small pools as the data, so filters hit.
fn query_strategy() -> impl Strategy<Value = Vec<(String, String)>> {
    let name_part = (0usize..NAMES.len(), 0usize..6, 1usize..5, prop::bool::ANY).prop_map(|(n, start, len, upper)| {
        let chars: Vec<char> = NAMES[n].chars().collect();
        let s = start.min(chars.len().saturating_sub(1));
        let part: String = chars[s..(s + len).min(chars.len())].iter().collect();
        if upper {
            part.to_uppercase()
        } else {
            part
        }
    });
    let opt = |name: &'static str, values: BoxedStrategy<String>| {
        prop::option::weighted(0.15, values).prop_map(move |v| v.map(|v| (name.to_string(), v))).boxed()
    };
    let day = |lo: i64, hi: i64| (lo..hi).prop_map(|d| ts(d).to_string()).boxed();
    let b = || prop_oneof![Just("true".to_string()), Just("false".to_string())].boxed();
    let filters = vec![
        opt("auto_frozen", b()),
        opt("frozen", b()),
        opt("association_type", prop_oneof![Just("1".to_string()), Just("3".to_string())].boxed()),
        opt("associated_from", day(-400, 0)),
        opt("associated_to", day(-200, 1)),
        opt("customer_name", name_part.clone().boxed()),
        opt("account_name", name_part.clone().prop_map(|s| s.to_lowercase()).boxed()),
        opt(
            "account_manager",
            prop_oneof![
                Just("am".to_string()),
                Just("ZHANG".to_string()),
                Just("garc".to_string()),
                Just("_l".to_string())
            ]
            .boxed(),
        ),
        opt("spend_min", (0i64..5).prop_map(|n| (n * 10_000).to_string()).boxed()),
        opt("spend_max", (0i64..5).prop_map(|n| (n * 10_000 + 5000).to_string()).boxed()),
        opt("expiry_from", day(-30, 200)),
        opt("expiry_to", day(100, 400)),
        opt(
            "mobile",
            (0usize..MOBILES.len(), 0usize..4)
                .prop_map(|(m, form)| match form {
                    0 => MOBILES[m].to_string(),
                    1 => format!("+86 {}", MOBILES[m]),
                    2 => format!("0044-{}", &MOBILES[m][1..]),
                    _ => format!("1{}", MOBILES[m]),
                })
                .boxed(),
        ),
        opt("budget_usage_min", (0i64..160).prop_map(|n| n.to_string()).boxed()),
        opt("budget_usage_max", (50i64..200).prop_map(|n| n.to_string()).boxed()),
        opt("tag", (0usize..TAGS.len()).prop_map(|i| TAGS[i].to_string()).boxed()),
        opt("tag", (0usize..TAGS.len()).prop_map(|i| TAGS[i].to_string()).boxed()),
        prop::option::weighted(0.35, b()).prop_map(|v| v.map(|v| ("can_order".to_string(), v))).boxed(),
        opt(
            "authorization",
            prop_oneof![Just("none".to_string()), Just("pending".to_string()), Just("active".to_string())].boxed(),
        ),
        opt("authorization_expiring_before", day(-2, 12)),
        opt("reseller_id", prop_oneof![Just(pid(R1).to_string()), Just(pid(R2).to_string())].boxed()),
        opt(
            "sort",
            prop_oneof![
                Just("associated_on"),
                Just("mtd_spend"),
                Just("earliest_expiry"),
                Just("budget_usage"),
                Just("account_manager"),
                Just("customer_id")
            ]
            .prop_map(String::from)
            .boxed(),
        ),
        opt("order", prop_oneof![Just("asc".to_string()), Just("desc".to_string())].boxed()),
        prop::option::of((1i64..8).prop_map(|n| n.to_string()))
            .prop_map(|v: Option<String>| v.map(|v| ("limit".to_string(), v)))
            .boxed(),
    ];
    let general = filters.prop_map(|v| v.into_iter().flatten().collect::<Vec<_>>());
    // Queries answered from the tag index and the per-partner counts (migration 0010): nothing but
    // tags, the reseller, sorting and paging.
    let tag = || (0usize..TAGS.len()).prop_map(|i| ("tag".to_string(), TAGS[i].to_string()));
    let tags_only = (
        prop::collection::vec(tag(), 0..3),
        prop::option::weighted(0.3, prop_oneof![Just(pid(R1).to_string()), Just(pid(R2).to_string())]),
        prop::option::of(prop_oneof![Just("associated_on"), Just("mtd_spend"), Just("customer_id")]),
        prop::option::of(prop_oneof![Just("asc"), Just("desc")]),
        prop::option::of(1i64..8),
    )
        .prop_map(|(tags, reseller, sort, order, limit)| {
            let mut v = tags;
            v.extend(reseller.map(|r| ("reseller_id".to_string(), r)));
            v.extend(sort.map(|s| ("sort".to_string(), s.to_string())));
            v.extend(order.map(|o| ("order".to_string(), o.to_string())));
            v.extend(limit.map(|l| ("limit".to_string(), l.to_string())));
            v
        });
    // Tags with a 3+ character name: answered by one search over names and tags (migration 0015).
    let name3 = (0usize..NAMES.len(), 0usize..4, 3usize..5, prop::bool::ANY, prop::bool::ANY).prop_map(
        |(n, start, len, upper, account)| {
            let chars: Vec<char> = NAMES[n].chars().collect();
            let s = start.min(chars.len().saturating_sub(3));
            let part: String = chars[s..(s + len).min(chars.len())].iter().collect();
            (
                if account { "account_name" } else { "customer_name" }.to_string(),
                if upper { part.to_uppercase() } else { part },
            )
        },
    );
    let tags_and_name = (
        prop::collection::vec(tag(), 1..3),
        name3,
        prop::option::of(prop_oneof![Just("associated_on"), Just("mtd_spend")]),
    )
        .prop_map(|(tags, name, sort)| {
            let mut v = tags;
            v.push(name);
            v.extend(sort.map(|s| ("sort".to_string(), s.to_string())));
            v
        });
    // A two-character name alone (the reseller and the sort aside): counted by the bigram index's
    // scope tokens (migration 0024).
    let name2 = (0usize..NAMES.len(), 0usize..6, prop::bool::ANY).prop_map(|(n, start, account)| {
        let chars: Vec<char> = NAMES[n].chars().collect();
        let s = start.min(chars.len().saturating_sub(2));
        let part: String = chars[s..(s + 2).min(chars.len())].iter().collect();
        (if account { "account_name" } else { "customer_name" }.to_string(), part.to_lowercase())
    });
    let name2_only = (
        name2,
        prop::option::of(prop_oneof![Just(pid(R1).as_str().to_string()), Just(pid(R3).as_str().to_string())]),
        prop::option::of(prop_oneof![Just("associated_on"), Just("mtd_spend"), Just("customer_id")]),
    )
        .prop_map(|(name, reseller, sort)| {
            let mut v = vec![name];
            v.extend(reseller.map(|r| ("reseller_id".to_string(), r)));
            v.extend(sort.map(|s| ("sort".to_string(), s.to_string())));
            v
        });
    prop_oneof![3 => general, 1 => tags_only, 1 => tags_and_name, 1 => name2_only]
}

fn load(c: &Connection, w: &World) {
    let cols = INSERT_COLUMNS;
    let marks: Vec<String> = (1..=cols.split(',').count()).map(|i| format!("?{i}")).collect();
    for cu in &w.customers {
        let vals: Vec<rusqlite::types::Value> = row_values(cu, now()).iter().map(to_sql).collect();
        c.execute(&format!("INSERT INTO customers ({cols}) VALUES ({})", marks.join(", ")), params_from_iter(vals))
            .unwrap();
        for t in &cu.tags {
            c.execute(
                "INSERT INTO customer_tags (customer_id, tag) VALUES (?1, ?2)",
                rusqlite::params![cu.facts.id.as_str(), t],
            )
            .unwrap();
        }
    }
    for p in &w.perms {
        c.execute("INSERT INTO distributor_permissions (id, distributor_id, reseller_id, customer_id, capabilities, granted_at, valid_until, revoked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            rusqlite::params![p.id.as_str(), p.distributor_id.as_str(), p.reseller_id.as_str(), p.customer_id.as_ref().map(|x| x.as_str()), p.capabilities.to_csv(),
                p.granted_at.to_string(), p.valid_until.map(|t| t.to_string()), p.revoked_at.map(|t| t.to_string())]).unwrap();
    }
    for a in &w.auths {
        // The real schema allows one pending request per partner and customer; skip duplicates.
        let _ = c.execute("INSERT INTO authorizations (id, partner_id, customer_id, capabilities, requested_at, valid_days, status, decided_at, expires_at, consent_token_hash, code_hash, code_expires_at) VALUES (?1, ?2, ?3, ?4, ?5, 30, ?6, ?7, ?8, ?1, 'x', 'x')",
            rusqlite::params![a.id.as_str(), a.partner_id.as_str(), a.customer_id.as_str(), a.capabilities.to_csv(), a.requested_at.to_string(), a.status.as_str(),
                a.decided_at.map(|t| t.to_string()), a.expires_at.map(|t| t.to_string())]);
    }
}

/// The authorizations that made it into the database (duplicate pendings were refused).
fn stored_auths(c: &Connection, w: &World) -> Vec<CustomerAuthorization> {
    let mut st = c.prepare("SELECT id FROM authorizations").unwrap();
    let ids: Vec<String> = st.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    w.auths.iter().filter(|a| ids.contains(&a.id.as_str().to_string())).cloned().collect()
}

fn rows_for(actor: &Actor, w: &World, auths: &[CustomerAuthorization]) -> Vec<QueryRow> {
    w.customers
        .iter()
        .filter(|c| actor.sees(&c.facts.partner_id, c.facts.partner_distributor_id.as_ref()))
        .map(|c| {
            let report = crate::prerequisites::check(actor, &c.facts, &w.perms, auths, now());
            let (auth_state, auth_expires_at) = auth_summary(&actor.partner_id, &c.facts.id, auths, now());
            QueryRow { customer: c.clone(), can_order: report.can_order, auth_state, auth_expires_at }
        })
        .collect()
}

/// The page's ids, the total and whether it is exact, with thresholds `t`. Each row's grants (read
/// by the page itself) are checked against the database: every authorization of the actor's partner
/// for that customer and, for a reseller, every permission naming it.
fn run_sql(c: &Connection, q: &CustomerQuery, actor: &Actor, t: Tuning) -> (Vec<String>, i64, bool) {
    let compiled = compile_tuned(q, actor, now(), t);
    let page: String = c
        .query_row(&compiled.page_sql, params_from_iter(compiled.page_params.iter().map(to_sql)), |r| r.get("page"))
        .unwrap_or_else(|e| panic!("{e}: {}", compiled.page_sql));
    let in_page = compiled.count_sql.is_none();
    let reseller = actor.needs_distributor_permission();
    let field = |name: &str| compiled.page_fields.iter().position(|f| *f == name);
    let at = |row: &[serde_json::Value], name: &str| field(name).map(|i| row[i].clone());
    assert_eq!(field("n").is_some(), in_page, "the page counts the total exactly when there is no count statement");
    assert_eq!(field("permissions").is_some(), reseller, "permissions come with a reseller's rows");
    type PageRow = (String, Option<i64>, String, Option<String>);
    let rows: Vec<PageRow> = serde_json::from_str::<Vec<Vec<serde_json::Value>>>(&page)
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r.len(), compiled.page_fields.len());
            (
                at(r, "id").and_then(|v| v.as_str().map(String::from)).unwrap(),
                at(r, "n").and_then(|v| v.as_i64()),
                at(r, "authorizations").unwrap().to_string(),
                at(r, "permissions").map(|v| v.to_string()),
            )
        })
        .collect();
    let ids: Vec<String> = rows.iter().map(|(id, ..)| id.clone()).collect();
    let total: i64 = match &compiled.count_sql {
        // Counted by the page itself (a first page led by a 3+ character search).
        None => {
            assert!(q.cursor.is_none(), "only a first page counts in place");
            rows.first().and_then(|(_, n, ..)| *n).unwrap_or(0)
        }
        Some(sql) => {
            c.query_row(sql, params_from_iter(compiled.count_params.iter().map(to_sql)), |r| r.get(0)).unwrap()
        }
    };
    let ids_of = |json: &str| -> Vec<String> {
        let rows: Vec<Vec<serde_json::Value>> = serde_json::from_str(json).unwrap();
        let mut ids: Vec<String> = rows.iter().map(|r| r[0].as_str().unwrap().to_string()).collect();
        ids.sort();
        ids
    };
    let stored = |sql: &str, who: &str, customer: &str| -> Vec<String> {
        let mut st = c.prepare(sql).unwrap();
        let mut ids: Vec<String> =
            st.query_map(rusqlite::params![who, customer], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        ids.sort();
        ids
    };
    let me = actor.partner_id.as_str();
    for (id, _, auths, perms) in &rows {
        let want = stored("SELECT id FROM authorizations WHERE partner_id = ?1 AND customer_id = ?2", me, id);
        assert_eq!(ids_of(auths), want, "the authorizations of {id} in its page row");
        if let Some(perms) = perms {
            let want =
                stored("SELECT id FROM distributor_permissions WHERE reseller_id = ?1 AND customer_id = ?2", me, id);
            assert_eq!(ids_of(perms), want, "the permissions naming {id} in its page row");
        }
    }
    let (total, exact) = compiled.total(total);
    (ids, total, exact)
}

/// Runs `params` through both executors, up to three pages deep, and fails on any difference.
fn check_agreement(w: &World, actor: &Actor, params: &[(String, String)]) -> Result<(), TestCaseError> {
    let c = conn();
    load(&c, w);
    let auths = stored_auths(&c, w);
    let rows = rows_for(actor, w, &auths);
    let mut q = match CustomerQuery::decode(params) {
        Ok(q) => q,
        Err(e) => {
            // Only inverted ranges are invalid in these generators.
            prop_assert!(e.details.iter().all(|d| d.code == crate::error::Code::OutOfRange), "{:?}", e);
            return Ok(());
        }
    };
    for _page in 0..3 {
        let mem = execute(&rows, &q);
        let mem_ids: Vec<String> = mem.rows.iter().map(|r| r.customer.facts.id.as_str().to_string()).collect();
        // The worker's thresholds, then a two-character search always walking the sort index and
        // counts stopping after 2: the same pages; the total exact or "more than 2".
        for t in [TUNING, Tuning { walk_from: 0, count_cap: 2 }] {
            let (sql_ids, total, exact) = run_sql(&c, &q, actor, t);
            let limit = q.limit as usize;
            prop_assert_eq!(sql_ids.len() > limit, mem.next.is_some(), "more pages? {:?}", params);
            prop_assert_eq!(&sql_ids[..sql_ids.len().min(limit)], &mem_ids[..], "ids for {:?} ({:?})", params, t);
            if exact {
                prop_assert_eq!(total as usize, mem.total, "total for {:?} ({:?})", params, t);
            } else {
                prop_assert!(total == t.count_cap && mem.total as i64 > t.count_cap, "{} > {:?}", mem.total, t);
            }
        }
        match mem.next {
            Some(next) => q.cursor = Some(next),
            None => break,
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn sql_and_memory_executors_agree(w in world_strategy(), actor in actor_strategy(), params in query_strategy()) {
        check_agreement(&w, &actor, &params)?;
    }
}

/// Boundaries the random worlds reach rarely: each case is a customer that passes everything but one
/// condition at its edge, queried with can_order and authorization filters.
#[test]
fn boundaries_agree() {
    let base = customer_strategy().new_tree(&mut proptest::test_runner::TestRunner::deterministic()).unwrap().current();
    let mut good = base.clone();
    good.facts.id = CustomerId::from_bytes(&[7; 16]);
    good.facts.partner_id = pid(R1);
    good.facts.partner_distributor_id = Some(pid(D));
    good.facts.association_type = AssociationType::Reseller;
    good.facts.frozen = false;
    good.facts.auto_frozen = false;
    good.facts.verified_status = VerifiedStatus::VERIFIED;
    good.facts.budget = None;
    let perm = DistributorPermission {
        id: PermissionId::from_bytes(&[1; 12]),
        distributor_id: pid(D),
        reseller_id: pid(R1),
        customer_id: None,
        capabilities: Capabilities::all(),
        granted_by: None,
        granted_at: ts(-3),
        valid_until: None,
        revoked_at: None,
        revoke_reason: None,
    };
    let auth = CustomerAuthorization {
        id: AuthorizationId::from_bytes(&[2; 12]),
        partner_id: pid(R1),
        customer_id: good.facts.id.clone(),
        capabilities: Capabilities::all(),
        requested_by: None,
        requested_at: ts(-2),
        valid_days: 30,
        status: AuthStatus::Approved,
        decided_at: Some(ts(-2)),
        expires_at: Some(ts(5)),
        revoked_at: None,
        reason: None,
    };
    let actor = Actor {
        user_id: UserId::from_bytes(&[9; 12]),
        partner_id: pid(R1),
        partner_kind: PartnerKind::Reseller,
        distributor_id: Some(pid(D)),
        role: Role::Operator,
    };
    let usd = Currency::parse("USD").unwrap();
    let mut worlds: Vec<(&str, World)> = Vec::new();
    let w = |c: Customer, p: DistributorPermission, a: CustomerAuthorization| World {
        customers: vec![c],
        perms: vec![p],
        auths: vec![a],
    };
    worlds.push(("all good", w(good.clone(), perm.clone(), auth.clone())));
    for v in [-1, 0, 1, 3] {
        let mut c = good.clone();
        c.facts.verified_status = VerifiedStatus(v);
        worlds.push(("verification", w(c, perm.clone(), auth.clone())));
    }
    worlds.push((
        "permission ends now",
        w(good.clone(), DistributorPermission { valid_until: Some(now()), ..perm.clone() }, auth.clone()),
    ));
    worlds.push((
        "permission revoked now",
        w(good.clone(), DistributorPermission { revoked_at: Some(now()), ..perm.clone() }, auth.clone()),
    ));
    worlds.push((
        "authorization ends now",
        w(good.clone(), perm.clone(), CustomerAuthorization { expires_at: Some(now()), ..auth.clone() }),
    ));
    worlds.push((
        "permission of another distributor",
        w(good.clone(), DistributorPermission { distributor_id: pid(D2), ..perm.clone() }, auth.clone()),
    ));
    worlds.push((
        "O&M only permission",
        w(
            good.clone(),
            DistributorPermission { capabilities: Capabilities::new(vec![Capability::Om]).unwrap(), ..perm.clone() },
            auth.clone(),
        ),
    ));
    let pending = |age: i64| CustomerAuthorization {
        status: AuthStatus::Pending,
        decided_at: None,
        expires_at: None,
        requested_at: now().plus(-age),
        ..auth.clone()
    };
    worlds.push(("pending, lapses exactly now", w(good.clone(), perm.clone(), pending(CONSENT_LINK_TTL))));
    worlds.push(("pending, one second left", w(good.clone(), perm.clone(), pending(CONSENT_LINK_TTL - 1))));
    for (amount, used) in [(0, 0), (1000, 999), (1000, 1000), (3, 2)] {
        let mut c = good.clone();
        c.facts.budget = Some(Budget {
            budget_type: BudgetType::OneTime,
            amount: Money::new(amount, usd),
            used: Money::new(used, usd),
            auto_freeze: false,
        });
        worlds.push(("budget edge", w(c, perm.clone(), auth.clone())));
    }
    let queries: Vec<Vec<(String, String)>> = [
        vec![("can_order", "true")],
        vec![("can_order", "false")],
        vec![("authorization", "pending")],
        vec![("authorization", "none")],
        vec![("authorization", "active")],
        vec![("authorization_expiring_before", &ts(6).to_string()[..])],
        vec![("budget_usage_min", "100")],
        vec![("budget_usage_max", "99")],
    ]
    .iter()
    .map(|q| q.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    .collect();
    for (name, world) in &worlds {
        for q in &queries {
            check_agreement(world, &actor, q).unwrap_or_else(|e| panic!("{name}, {q:?}: {e}"));
        }
    }
}

#[test]
fn bigram_tokens() {
    assert_eq!(crate::customers::query::bigrams("acme 科技"), "ac cm me 科技");
    assert_eq!(crate::customers::query::bigrams("o'b-r"), "");
}

#[test]
fn fold_and_mobile_digits() {
    assert_eq!(fold("MÜLLER Bau"), "müller bau");
    assert_eq!(mobile_digits("+86 (138) 1234-5678"), "8613812345678");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The browser's `filterCustomers` over the API's list items gives the reference executor's
    /// answer for every filter that does not need clear values, and names the ones that do.
    #[test]
    fn browser_filter_over_list_items_agrees(w in world_strategy(), actor in actor_strategy(), params in query_strategy()) {
        use crate::customers::query::{filter_list_items, list_item, sorted_matches, SERVER_ONLY};
        let rows = rows_for(&actor, &w, &w.auths);
        let items: Vec<serde_json::Value> = rows.iter().map(|r| {
            let report = crate::prerequisites::check(&actor, &r.customer.facts, &w.perms, &w.auths, now());
            serde_json::to_value(list_item(&r.customer, &report, (r.auth_state, r.auth_expires_at))).unwrap()
        }).collect();
        let Ok(q) = CustomerQuery::decode(&params) else { return Ok(()) };
        let out = filter_list_items(&serde_json::Value::Array(items), &params).unwrap();
        let local = CustomerQuery { customer_name: None, account_name: None, mobile_keys: Vec::new(), ..q };
        let expected: Vec<&str> = sorted_matches(&rows, &local).iter().map(|(_, r)| r.customer.facts.id.as_str()).collect();
        prop_assert_eq!(out["ids"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect::<Vec<_>>(), expected);
        let named: Vec<&str> = SERVER_ONLY.iter().copied().filter(|k| params.iter().any(|(n, _)| n == k)).collect();
        prop_assert_eq!(out["server_only"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect::<Vec<_>>(), named);
    }
}

/// The stored usage column follows budget changes (orders will update `budget_used_minor`).
#[test]
fn usage_column_follows_budget_updates() {
    let c = conn();
    let mut w =
        customer_strategy().new_tree(&mut proptest::test_runner::TestRunner::deterministic()).unwrap().current();
    w.facts.id = CustomerId::from_bytes(&[3; 16]);
    w.facts.budget = Some(Budget {
        budget_type: BudgetType::Monthly,
        amount: Money::new(1000, Currency::USD),
        used: Money::new(100, Currency::USD),
        auto_freeze: false,
    });
    load(&c, &World { customers: vec![w], perms: vec![], auths: vec![] });
    let usage =
        |c: &Connection| -> Option<i64> { c.query_row("SELECT usage_pct FROM customers", [], |r| r.get(0)).unwrap() };
    assert_eq!(usage(&c), Some(10));
    c.execute("UPDATE customers SET budget_used_minor = 999", []).unwrap();
    assert_eq!(usage(&c), Some(99));
    c.execute("UPDATE customers SET budget_amount_minor = 0", []).unwrap();
    assert_eq!(usage(&c), Some(100));
    c.execute("UPDATE customers SET budget_type = NULL, budget_amount_minor = NULL", []).unwrap();
    assert_eq!(usage(&c), None);
}

/// The trigram index answers with every customer holding a few of the needle's trigrams (migration
/// 0023 keeps no positions); only those that contain the needle, and carry one of the asked tags,
/// are found, and the count agrees.
#[test]
fn trigram_candidates_are_narrowed_to_exact_matches() {
    let base = customer_strategy().new_tree(&mut proptest::test_runner::TestRunner::deterministic()).unwrap().current();
    let mut customers = Vec::new();
    // "trading" is asked for with tra, din and ing; each name below holds all three.
    for (i, (name, tags)) in [
        ("Pacific Trading", vec!["vip"]),
        ("tradxxding", vec!["vip"]),
        ("Dinging Tram", vec!["vip"]),
        ("Atlas Trading", vec!["vi", "ip"]),
        ("Atlas Trading 2", vec!["vipx"]),
        ("Atlas Trading 3", vec!["gov", "vip"]),
    ]
    .into_iter()
    .enumerate()
    {
        let mut c = base.clone();
        c.facts.id = CustomerId::from_bytes(&[i as u8 + 1; 16]);
        c.facts.partner_id = pid(R1);
        c.facts.partner_distributor_id = Some(pid(D));
        c.real_name = name.to_string();
        c.tags = tags.into_iter().map(String::from).collect();
        customers.push(c);
    }
    let w = World { customers, perms: Vec::new(), auths: Vec::new() };
    let actor = Actor {
        user_id: UserId::from_bytes(&[9; 12]),
        partner_id: pid(D),
        partner_kind: PartnerKind::Distributor,
        distributor_id: None,
        role: Role::Admin,
    };
    let q = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    };
    for params in [
        q(&[("customer_name", "trading")]),
        q(&[("customer_name", "trading"), ("tag", "vip")]),
        q(&[("customer_name", "trading"), ("tag", "vip"), ("sort", "mtd_spend"), ("order", "desc")]),
        q(&[("customer_name", "ding")]),
        q(&[("customer_name", "tra"), ("tag", "ip")]),
    ] {
        check_agreement(&w, &actor, &params).unwrap_or_else(|e| panic!("{params:?}: {e}"));
    }
    // And the answer is the one a reader expects, not merely the same on both sides.
    let c = conn();
    load(&c, &w);
    let query = CustomerQuery::decode(&q(&[("customer_name", "trading"), ("tag", "vip")])).unwrap();
    let (ids, total, exact) = run_sql(&c, &query, &actor, TUNING);
    let expect: Vec<String> = [1u8, 6].iter().map(|i| CustomerId::from_bytes(&[*i; 16]).as_str().to_string()).collect();
    let mut got = ids.clone();
    got.sort();
    assert_eq!(got, expect);
    assert_eq!((total, exact), (2, true));
}

/// The bigram index's scope tokens follow the partner tree: a reseller that moves to another
/// distributor takes its customers' two-character search results and counts with it.
#[test]
fn bigram_scope_follows_a_reseller_to_another_distributor() {
    let base = customer_strategy().new_tree(&mut proptest::test_runner::TestRunner::deterministic()).unwrap().current();
    let mut customers = Vec::new();
    for i in 0..3u8 {
        let mut c = base.clone();
        c.facts.id = CustomerId::from_bytes(&[i + 1; 16]);
        c.facts.partner_id = pid(R1);
        c.facts.partner_distributor_id = Some(pid(D));
        c.real_name = format!("示例科技 {i}");
        customers.push(c);
    }
    let w = World { customers, perms: Vec::new(), auths: Vec::new() };
    let c = conn();
    load(&c, &w);
    let distributor = |p: u8| Actor {
        user_id: UserId::from_bytes(&[9; 12]),
        partner_id: pid(p),
        partner_kind: PartnerKind::Distributor,
        distributor_id: None,
        role: Role::Admin,
    };
    let query = CustomerQuery::decode(&[("customer_name".to_string(), "科技".to_string())]).unwrap();
    let t = Tuning { walk_from: TUNING.walk_from, count_cap: 1 };
    let total = |actor: Actor, t: Tuning| {
        let (_, total, exact) = run_sql(&c, &query, &actor, t);
        (total, exact)
    };
    assert_eq!(total(distributor(D), t), (1, false), "more than one, counted within D's tree");
    assert_eq!(total(distributor(D2), t), (0, true));
    c.execute(
        "UPDATE partners SET distributor_id = ?1 WHERE id = ?2",
        rusqlite::params![pid(D2).as_str(), pid(R1).as_str()],
    )
    .unwrap();
    assert_eq!(total(distributor(D), t), (0, true), "gone from D's tree");
    assert_eq!(total(distributor(D2), TUNING), (3, true), "now in D2's tree");
    let (ids, _, _) = run_sql(&c, &query, &distributor(D2), TUNING);
    assert_eq!(ids.len(), 3);
    let gone = CustomerId::from_bytes(&[1; 16]);
    c.execute("DELETE FROM customer_tags WHERE customer_id = ?1", rusqlite::params![gone.as_str()]).unwrap();
    c.execute("DELETE FROM customers WHERE id = ?1", rusqlite::params![gone.as_str()]).unwrap();
    assert_eq!(total(distributor(D2), TUNING), (2, true), "a deleted customer leaves the index");
}
