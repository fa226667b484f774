use super::*;

#[test]
fn reduces_huaweis_lists_to_picker_items() {
    let vpcs = json!({"vpcs": [{"id": "v1", "name": "prod", "cidr": "10.0.0.0/16", "status": "OK", "routes": []}, {"name": "no id"}]});
    assert_eq!(reduce(Lookup::Vpcs, &vpcs), json!({"vpcs": [{"id": "v1", "name": "prod", "cidr": "10.0.0.0/16"}]}));
    let kps =
        json!({"keypairs": [{"keypair": {"name": "kp", "fingerprint": "SHA256:x", "public_key": "ssh-ed25519 AAA"}}]});
    assert_eq!(reduce(Lookup::KeyPairs, &kps), json!({"key_pairs": [{"name": "kp", "fingerprint": "SHA256:x"}]}));
    assert_eq!(reduce(Lookup::SecurityGroups, &json!({})), json!({"security_groups": []}));
}

#[test]
fn the_account_user_is_the_one_named_as_the_account() {
    let a = json!({"users": [{"id": "u1", "name": "ops", "domain_id": "d"}, {"id": "u0", "name": "acme", "domain_id": "d"}]});
    assert_eq!(account_user(&a, "acme"), Some(json!({"op_svc_userid": "u0", "domain_id": "d"})));
    assert_eq!(account_user(&a, "other"), None);
    let s = simulated_user("c1");
    assert_eq!(s["op_svc_userid"].as_str().map(str::len), Some(32));
    assert_eq!(s, simulated_user("c1"));
}

#[test]
fn the_simulated_project_is_stable_and_subnets_belong_to_their_vpc() {
    let v = simulated(Lookup::Vpcs, "c1", "ap-southeast-1", None);
    assert_eq!(v, simulated(Lookup::Vpcs, "c1", "ap-southeast-1", None));
    assert_ne!(v, simulated(Lookup::Vpcs, "c2", "ap-southeast-1", None));
    let first = v["vpcs"][0]["id"].as_str().unwrap_or_default().to_string();
    let subs = simulated(Lookup::Subnets, "c1", "ap-southeast-1", Some(&first));
    let subs = subs["subnets"].as_array().cloned().unwrap_or_default();
    assert_eq!(subs.len(), 2);
    assert!(subs.iter().all(|s| s["vpc_id"] == first.as_str()));
    assert_eq!(
        simulated(Lookup::SecurityGroups, "c1", "ap-southeast-1", None)["security_groups"].as_array().map(Vec::len),
        Some(2)
    );
    assert_eq!(Lookup::parse("security-groups"), Some(Lookup::SecurityGroups));
    assert_eq!(Lookup::KeyPairs.upstream("p"), ("ecs", "/v2.1/p/os-keypairs".to_string()));
}
