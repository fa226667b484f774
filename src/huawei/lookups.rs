//! What Select Products offers to choose from in the customer's project: VPCs, the subnets of a VPC,
//! security groups and key pairs. Huawei's list answers are reduced to what a picker shows (our API's
//! shape, the same in simulated mode), and the simulated upstream has a small, stable set per
//! customer and region.

use crate::upstream::uuid;
use serde_json::{json, Value};

/// The lookups, as `GET /v1/sessions/current/{what}` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    Vpcs,
    Subnets,
    SecurityGroups,
    KeyPairs,
}

impl Lookup {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "vpcs" => Some(Lookup::Vpcs),
            "subnets" => Some(Lookup::Subnets),
            "security-groups" => Some(Lookup::SecurityGroups),
            "key-pairs" => Some(Lookup::KeyPairs),
            _ => None,
        }
    }

    /// The regional service and path of Huawei's list API in `project`.
    pub fn upstream(self, project: &str) -> (&'static str, String) {
        match self {
            Lookup::Vpcs => ("vpc", format!("/v1/{project}/vpcs")),
            Lookup::Subnets => ("vpc", format!("/v1/{project}/subnets")),
            Lookup::SecurityGroups => ("vpc", format!("/v1/{project}/security-groups")),
            Lookup::KeyPairs => ("ecs", format!("/v2.1/{project}/os-keypairs")),
        }
    }

    /// The answer's key (`{"vpcs": [...]}`, …).
    pub fn key(self) -> &'static str {
        match self {
            Lookup::Vpcs => "vpcs",
            Lookup::Subnets => "subnets",
            Lookup::SecurityGroups => "security_groups",
            Lookup::KeyPairs => "key_pairs",
        }
    }
}

fn pick(v: &Value, keys: &[&str]) -> Value {
    let mut o = serde_json::Map::new();
    for k in keys {
        o.insert((*k).to_string(), v.get(*k).cloned().unwrap_or(Value::Null));
    }
    Value::Object(o)
}

/// Huawei's list answer reduced to the picker's items: VPCs `{id, name, cidr}`, subnets `{id, name,
/// cidr, vpc_id, availability_zone}`, security groups `{id, name, vpc_id}`, key pairs `{name,
/// fingerprint}`. Items without an id (or name, for key pairs) are dropped.
pub fn reduce(what: Lookup, answer: &Value) -> Value {
    let list = |k: &str| answer.get(k).and_then(Value::as_array).cloned().unwrap_or_default();
    let items: Vec<Value> = match what {
        Lookup::Vpcs => list("vpcs").iter().map(|v| pick(v, &["id", "name", "cidr"])).collect(),
        Lookup::Subnets => {
            list("subnets").iter().map(|v| pick(v, &["id", "name", "cidr", "vpc_id", "availability_zone"])).collect()
        }
        Lookup::SecurityGroups => list("security_groups").iter().map(|v| pick(v, &["id", "name", "vpc_id"])).collect(),
        Lookup::KeyPairs => list("keypairs")
            .iter()
            .filter_map(|k| k.get("keypair"))
            .map(|k| pick(k, &["name", "fingerprint"]))
            .collect(),
    };
    let id = if what == Lookup::KeyPairs { "name" } else { "id" };
    let items: Vec<Value> = items.into_iter().filter(|i| i.get(id).and_then(Value::as_str).is_some()).collect();
    json!({ what.key(): items })
}

/// The simulated customer's resources in `region`: two VPCs with two subnets and a security group
/// each, and one key pair, with stable ids (so a draft built from them orders the same way twice).
pub fn simulated(what: Lookup, customer: &str, region: &str, vpc_id: Option<&str>) -> Value {
    let seed = format!("{customer}/{region}");
    let vpcs = [("vpc-prod", "10.0.0.0/16", "10.0"), ("vpc-test", "192.168.0.0/16", "192.168")];
    let mut items = Vec::new();
    for (i, (name, cidr, net)) in vpcs.iter().enumerate() {
        let vid = uuid(&seed, "vpc", i);
        let wanted = vpc_id.is_none_or(|v| v == vid);
        match what {
            Lookup::Vpcs => items.push(json!({"id": vid, "name": name, "cidr": cidr})),
            Lookup::Subnets if wanted => {
                for (j, sub) in ["web", "db"].iter().enumerate() {
                    items.push(json!({
                        "id": uuid(&seed, &format!("subnet-{i}"), j), "name": format!("{name}-{sub}"),
                        "cidr": format!("{net}.{}.0/24", j + 1), "vpc_id": vid, "availability_zone": format!("{region}a"),
                    }));
                }
            }
            Lookup::SecurityGroups if wanted => {
                items.push(json!({"id": uuid(&seed, "sg", i), "name": format!("{name}-default"), "vpc_id": vid}))
            }
            _ => {}
        }
    }
    if what == Lookup::KeyPairs {
        items.push(json!({"name": "kp-default", "fingerprint": format!("SHA256:{}", &uuid(&seed, "kp", 0)[..23])}));
    }
    json!({ what.key(): items })
}

/// IAM `GET /v3/users?name=`: the account's own user (its name is the account name), whose id ECS
/// takes as `metadata.op_svc_userid` for a yearly/monthly server that logs in with a key pair.
pub const USERS_PATH: &str = "/v3/users";

/// `{op_svc_userid, domain_id}` from IAM's user list: the user named as the account.
pub fn account_user(answer: &Value, domain_name: &str) -> Option<Value> {
    let u =
        answer.get("users")?.as_array()?.iter().find(|u| u.get("name").and_then(Value::as_str) == Some(domain_name))?;
    Some(json!({"op_svc_userid": u.get("id")?.as_str()?, "domain_id": u.get("domain_id").and_then(Value::as_str)}))
}

/// The simulated customer's account user: a stable 32-hex id.
pub fn simulated_user(customer: &str) -> Value {
    let id = uuid(customer, "account-user", 0).replace('-', "");
    json!({"op_svc_userid": id, "domain_id": uuid(customer, "domain", 0).replace('-', "")})
}

#[cfg(test)]
mod tests;
