//! Which database holds a partner's data: the routing seam for partners that outgrow one D1
//! database (docs/scale.md). The unit is the **distributor tree** (a distributor, its resellers and
//! their customers): every read and write of the API stays inside one tree, so a tree never spans
//! two databases. A deployment lists its shards in `SHARDS` (`{"<distributor id>": "<D1 binding>"}`);
//! every tree not listed lives in the default binding `DB`. With no `SHARDS` there is one database
//! and nothing here costs a round trip.

use crate::error::{ApiError, Code};
use crate::ids::PartnerId;
use crate::partners::{Actor, PartnerKind};
use std::collections::BTreeMap;

/// The binding every tree not listed in `SHARDS` lives in.
pub const DEFAULT_BINDING: &str = "DB";

/// The shards of a deployment: distributor tree → D1 binding.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShardMap {
    trees: BTreeMap<PartnerId, String>,
}

impl ShardMap {
    /// Reads `SHARDS` (absent or empty: one database). A binding name is an identifier
    /// (`[A-Z][A-Z0-9_]*`); a key is a distributor id. Anything else is a configuration fault.
    pub fn parse(text: Option<&str>) -> Result<ShardMap, ApiError> {
        let text = text.map(str::trim).unwrap_or("");
        if text.is_empty() {
            return Ok(ShardMap::default());
        }
        let fault = |why: &str| ApiError::with_message(Code::Internal, format!("SHARDS: {why}"));
        let v: serde_json::Value = serde_json::from_str(text).map_err(|_| fault("not JSON"))?;
        let obj = v.as_object().ok_or_else(|| fault("not an object of distributor id to binding"))?;
        let mut trees = BTreeMap::new();
        for (k, b) in obj {
            let id = PartnerId::parse(k).ok_or_else(|| fault("a key is not a distributor id"))?;
            let b = b.as_str().filter(|b| is_binding(b)).ok_or_else(|| fault("a binding is not a name"))?;
            trees.insert(id, b.to_string());
        }
        Ok(ShardMap { trees })
    }

    /// The distributor tree `actor` belongs to: its distributor's for a reseller, its own otherwise.
    pub fn tree_of(actor: &Actor) -> &PartnerId {
        match (actor.partner_kind, &actor.distributor_id) {
            (PartnerKind::Reseller, Some(d)) => d,
            _ => &actor.partner_id,
        }
    }

    /// The binding holding `actor`'s tree.
    pub fn binding_for(&self, actor: &Actor) -> &str {
        self.trees.get(Self::tree_of(actor)).map_or(DEFAULT_BINDING, String::as_str)
    }

    /// Every binding, the default first, each once: where a credential, a session or a consent
    /// token may be, and what the background sweeps walk.
    pub fn bindings(&self) -> Vec<&str> {
        let mut all = vec![DEFAULT_BINDING];
        for b in self.trees.values() {
            if !all.contains(&b.as_str()) {
                all.push(b);
            }
        }
        all
    }

    /// Whether there is more than one database (else nothing needs finding).
    pub fn is_sharded(&self) -> bool {
        self.bindings().len() > 1
    }

    /// Whether `binding` is one of this deployment's (a queue message names the shard it is about).
    pub fn knows(&self, binding: &str) -> bool {
        self.bindings().contains(&binding)
    }
}

fn is_binding(b: &str) -> bool {
    let mut c = b.chars();
    c.next().is_some_and(|f| f.is_ascii_uppercase())
        && c.all(|x| x.is_ascii_uppercase() || x.is_ascii_digit() || x == '_')
        && b.len() <= 64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::UserId;
    use crate::partners::Role;

    const D1: &str = "d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1";
    const D2: &str = "d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2";
    const R2: &str = "e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2";

    fn actor(partner: &str, kind: PartnerKind, distributor: Option<&str>) -> Actor {
        Actor {
            user_id: UserId::from_bytes(&[1; 12]),
            partner_id: PartnerId::parse(partner).expect("id"), // ok: test-only
            partner_kind: kind,
            distributor_id: distributor.map(|d| PartnerId::parse(d).expect("id")), // ok: test-only
            role: Role::Admin,
        }
    }

    #[test]
    fn a_tree_lives_in_one_binding_its_resellers_with_their_distributor() {
        let m = ShardMap::parse(Some(&format!(r#"{{"{D2}": "DB_2"}}"#))).expect("parses"); // ok: test-only
        assert_eq!(m.binding_for(&actor(D2, PartnerKind::Distributor, None)), "DB_2");
        assert_eq!(m.binding_for(&actor(R2, PartnerKind::Reseller, Some(D2))), "DB_2", "with its distributor");
        assert_eq!(m.binding_for(&actor(D1, PartnerKind::Distributor, None)), "DB", "unlisted: the default");
        assert_eq!(m.bindings(), vec!["DB", "DB_2"]);
        assert!(m.is_sharded() && m.knows("DB_2") && !m.knows("DB_3"));
    }

    #[test]
    fn no_shards_is_one_database() {
        for text in [None, Some(""), Some("  "), Some("{}")] {
            let m = ShardMap::parse(text).expect("parses"); // ok: test-only
            assert_eq!(m.bindings(), vec!["DB"]);
            assert!(!m.is_sharded());
        }
    }

    #[test]
    fn a_bad_map_is_a_configuration_fault_not_a_silent_default() {
        for text in ["[]", "nope", r#"{"x": "DB_2"}"#, &format!(r#"{{"{D2}": "db-2"}}"#), &format!(r#"{{"{D2}": 2}}"#)]
        {
            assert_eq!(ShardMap::parse(Some(text)).map(|_| ()).map_err(|e| e.code), Err(Code::Internal), "{text}");
        }
    }
}
