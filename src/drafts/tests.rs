use super::*;
use crate::catalog::catalog;
use proptest::prelude::*;
use serde_json::json;
use std::collections::BTreeSet;

fn cat() -> &'static Catalog {
    catalog().unwrap_or_else(|e| panic!("{e:?}"))
}

const UBUNTU: &str = "85bac7b5-ad94-57d6-b088-5edfdca62153";

fn ecs_draft(billing: Value, ecs: Value) -> Value {
    json!({
        "customer_id": "a81f333323fe427a903411ff3ce792d1", "region": "ap-southeast-1", "availability_zone": "ap-southeast-1a",
        "service": "ecs", "billing": billing, "ecs": ecs,
    })
}

fn paths(r: Result<Draft, ApiError>) -> BTreeSet<String> {
    match r {
        Ok(_) => BTreeSet::new(),
        Err(e) => e
            .details
            .iter()
            .map(|d| format!("{}:{}", serde_json::to_string(&d.path).unwrap_or_default(), d.code.as_str()))
            .collect(),
    }
}

#[test]
fn passwords_need_length_allowed_characters_and_three_classes() {
    let p = |s: &str| password_problem(s, None);
    assert_eq!(p("Cust0mer!Pass"), None);
    assert_eq!(p("abcDEF12"), None, "three classes without a special character");
    assert!(p("Ab1!").is_some(), "too short");
    assert!(p("abcdefgh12").is_some(), "two classes");
    assert!(p("Abcdefg1#").is_some(), "# is not an allowed special");
    assert!(p(&format!("Aa1!{}", "x".repeat(23))).is_some(), "27 characters");
    assert_eq!(p(&format!("Aa1!{}", "x".repeat(22))), None, "26 characters");
}

#[test]
fn passwords_must_not_contain_the_login_user_name() {
    let linux = Some("linux");
    let windows = Some("windows");
    assert!(password_problem("Xroot!2026", linux).is_some(), "the user name");
    assert!(password_problem("XRooT!2026", linux).is_some(), "in any case");
    assert!(password_problem("Toor!2026x", linux).is_some(), "spelled backwards");
    assert_eq!(password_problem("Ro0t!2026x", linux), None, "not the name");
    assert_eq!(password_problem("Admin!2026x", linux), None, "Linux logs in as root");
    assert!(password_problem("X!Administrator9", windows).is_some());
    assert!(password_problem("Rotartsinimda!9", windows).is_some(), "spelled backwards");
    assert!(password_problem("Stradmin!2026", windows).is_some(), "three consecutive characters (adm, str)");
    assert!(password_problem("Xtra!2026abc", windows).is_some(), "tra");
    assert_eq!(password_problem("Cust0mer!Pass", windows), None, "no three consecutive characters of it");
    assert_eq!(password_problem("Xroot!2026", windows), None, "Windows logs in as Administrator");
}

#[test]
fn bandwidth_steps_follow_huawei() {
    for ok in [1, 299, 300, 350, 1000, 1500, 2000] {
        assert!(bandwidth_step_ok(ok), "{ok}");
    }
    for bad in [301, 325, 999, 1050, 1999] {
        assert!(!bandwidth_step_ok(bad), "{bad}");
    }
}

#[test]
fn periods_depend_on_the_service() {
    assert_eq!(period_range(Service::Ecs, PeriodType::Year), (1, 3));
    assert_eq!(period_range(Service::Eip, PeriodType::Year), (1, 3));
    assert_eq!(period_range(Service::Evs, PeriodType::Year), (1, 1));
    assert_eq!(period_range(Service::Evs, PeriodType::Month), (1, 9));
}

#[test]
fn a_system_disk_without_size_gets_the_image_minimum() {
    let d = ecs_draft(
        json!({"mode": "pay_per_use"}),
        json!({
            "name": "a", "flavor": "s6.small.1", "image": "dc89d2f0-2661-50ab-ab38-619d6a2aa3cd",
            "vpc_id": "3ee86f60-8c29-4e4d-b5a1-2e5b2a6f7a8b", "subnet_id": "21c3f7b5-61d4-4e4f-9b1a-0e0e6d9d1b2c",
            "root_disk": {"type": "SAS"}, "login": {"password": "Cust0mer!Pass"},
        }),
    );
    match validate(&d, cat()).map(|d| d.spec) {
        Ok(Spec::Ecs(e)) => assert_eq!(e.root_disk.size, 50, "the Windows image needs 50 GB"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn key_login_needs_op_svc_userid_only_when_yearly_monthly() {
    let ecs = json!({
        "name": "a", "flavor": "s6.small.1", "image": UBUNTU,
        "vpc_id": "3ee86f60-8c29-4e4d-b5a1-2e5b2a6f7a8b", "subnet_id": "21c3f7b5-61d4-4e4f-9b1a-0e0e6d9d1b2c",
        "root_disk": {"type": "SAS", "size": 40}, "login": {"key_name": "k"},
    });
    assert!(validate(&ecs_draft(json!({"mode": "pay_per_use"}), ecs.clone()), cat()).is_ok());
    let monthly = json!({"mode": "yearly_monthly", "period_type": "month", "period_num": 1});
    assert_eq!(
        paths(validate(&ecs_draft(monthly, ecs), cat())),
        BTreeSet::from([r#"["ecs","metadata","op_svc_userid"]:required"#.to_string()])
    );
}

/// The numeric fields of an ECS draft, anywhere around their limits.
#[derive(Debug, Clone)]
struct Numbers {
    yearly: Option<(bool, i64)>,
    count: i64,
    root: i64,
    data: Vec<i64>,
    bandwidth: Option<i64>,
}

fn numbers() -> impl Strategy<Value = Numbers> {
    (
        prop::option::of((any::<bool>(), -1i64..12)),
        -2i64..110,
        prop_oneof![0i64..60, 1000i64..1100],
        prop::collection::vec(prop_oneof![0i64..20, 32760i64..32780, Just(100)], 0..26),
        prop::option::of(prop_oneof![0i64..5, 295i64..310, 990i64..1010, 1490i64..1510, 1995i64..2010]),
    )
        .prop_map(|(yearly, count, root, data, bandwidth)| Numbers { yearly, count, root, data, bandwidth })
}

/// What the reference says about those numbers, written independently of `validate`.
fn expected(n: &Numbers) -> BTreeSet<String> {
    let mut e = BTreeSet::new();
    let mut add = |p: &str, c: &str| {
        e.insert(format!("{p}:{c}"));
    };
    if let Some((is_year, num)) = n.yearly {
        let max = if is_year { 3 } else { 9 };
        if !(1..=max).contains(&num) {
            add(r#"["billing","period_num"]"#, "out_of_range");
        }
    }
    if !(1..=100).contains(&n.count) {
        add(r#"["ecs","count"]"#, "out_of_range");
    }
    if !(1..=1024).contains(&n.root) {
        add(r#"["ecs","root_disk","size"]"#, "out_of_range");
    } else if n.root < 40 {
        add(r#"["ecs","root_disk","size"]"#, "below_image_minimum");
    }
    if n.data.len() > 23 {
        add(r#"["ecs","data_disks"]"#, "out_of_range");
    } else {
        for (i, s) in n.data.iter().enumerate() {
            if !(10..=32768).contains(s) {
                add(&format!(r#"["ecs","data_disks",{i},"size"]"#), "out_of_range");
            }
        }
    }
    if let Some(b) = n.bandwidth {
        if !(1..=2000).contains(&b) {
            add(r#"["ecs","eip","bandwidth","size"]"#, "out_of_range");
        } else if (b > 300 && b <= 1000 && b % 50 != 0) || (b > 1000 && b % 500 != 0) {
            add(r#"["ecs","eip","bandwidth","size"]"#, "bandwidth_step");
        }
    }
    e
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Every numeric rule, alone and combined: `validate` reports exactly the expected errors, all
    /// of them, each at its path.
    #[test]
    fn validate_reports_every_numeric_error_at_its_path(n in numbers()) {
        let billing = match n.yearly {
            Some((y, num)) => json!({"mode": "yearly_monthly", "period_type": if y { "year" } else { "month" }, "period_num": num}),
            None => json!({"mode": "pay_per_use"}),
        };
        let mut ecs = json!({
            "name": "node", "count": n.count, "flavor": "s6.large.2", "image": UBUNTU,
            "vpc_id": "3ee86f60-8c29-4e4d-b5a1-2e5b2a6f7a8b", "subnet_id": "21c3f7b5-61d4-4e4f-9b1a-0e0e6d9d1b2c",
            "root_disk": {"type": "SSD", "size": n.root},
            "data_disks": n.data.iter().map(|s| json!({"type": "SAS", "size": s})).collect::<Vec<_>>(),
            "login": {"password": "Cust0mer!Pass"},
        });
        if let Some(b) = n.bandwidth {
            ecs["eip"] = json!({"type": "5_bgp", "bandwidth": {"share_type": "PER", "size": b}});
        }
        let got = paths(validate(&ecs_draft(billing, ecs), cat()));
        prop_assert_eq!(got, expected(&n));
    }

    /// Whatever JSON comes in, `validate` answers with data: every error has a code from the table.
    #[test]
    fn validate_never_panics_on_arbitrary_json(v in arb_json()) {
        if let Err(e) = validate(&v, cat()) {
            prop_assert!(Code::parse(e.code.as_str()).is_some());
            for d in &e.details {
                prop_assert!(!d.message.is_empty());
            }
        }
    }
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-5i64..40000).prop_map(|n| json!(n)),
        prop::sample::select(vec![
            "ecs",
            "evs",
            "eip",
            "SSD",
            "PER",
            "WHOLE",
            "month",
            "year",
            "yearly_monthly",
            "pay_per_use",
            "ap-southeast-1",
            "ap-southeast-1a",
            "5_bgp",
            UBUNTU,
            "a81f333323fe427a903411ff3ce792d1"
        ])
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "customer_id",
                    "region",
                    "availability_zone",
                    "service",
                    "billing",
                    "mode",
                    "period_type",
                    "period_num",
                    "ecs",
                    "evs",
                    "eip",
                    "type",
                    "size",
                    "bandwidth",
                    "share_type",
                    "root_disk",
                    "data_disks",
                    "login",
                    "name",
                    "count",
                    "iops"
                ]),
                inner,
                0..8
            )
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}
