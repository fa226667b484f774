use super::*;

#[test]
fn simulated_is_the_default_and_huawei_takes_documented_defaults() {
    assert_eq!(Upstream::from_vars(None, None, None, None).unwrap(), Upstream::Simulated);
    let Upstream::Huawei(e) = Upstream::from_vars(Some("huawei"), None, Some(""), None).unwrap() else {
        panic!("huawei")
    };
    assert_eq!(e.regional("ecs", "ap-southeast-1"), "https://ecs.ap-southeast-1.myhuaweicloud.com");
    assert_eq!(e.iam, "https://iam.myhuaweicloud.com");
    assert_eq!(e.bss, "https://bss-intl.myhuaweicloud.com");
}

#[test]
fn an_emulator_takes_a_path_prefix() {
    let u = Upstream::from_vars(Some("huawei"), Some("http://127.0.0.1:9/{service}/{region}/"), None, None);
    let Upstream::Huawei(e) = u.unwrap() else { panic!("huawei") };
    assert_eq!(e.regional("vpc", "cn-north-4"), "http://127.0.0.1:9/vpc/cn-north-4");
}

#[test]
fn misconfiguration_is_named_not_ignored() {
    let e = Upstream::from_vars(Some("huwaei"), None, None, None).unwrap_err();
    assert!(e.message.contains("UPSTREAM"), "{}", e.message);
    let e = Upstream::from_vars(Some("huawei"), Some("https://ecs.example.com"), None, None).unwrap_err();
    assert!(e.message.contains("{service}"), "{}", e.message);
    let e = Upstream::from_vars(Some("huawei"), None, Some("iam.example.com"), None).unwrap_err();
    assert!(e.message.contains("HUAWEI_IAM_ENDPOINT"), "{}", e.message);
}
