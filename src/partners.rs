//! Partners (distributors and their resellers), partner users with roles, and what each role may do.

use crate::decode::Decoder;
use crate::error::{ApiError, Code, Path};
use crate::ids::{hex, PartnerId, UserId};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The two tiers of the channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerKind {
    /// A level-1 partner with resellers ("indirect partners") under it.
    Distributor,
    /// A cloud reseller under exactly one distributor.
    Reseller,
}

impl PartnerKind {
    /// Wire names.
    pub const NAMES: &'static [&'static str] = &["distributor", "reseller"];
    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "distributor" => Some(Self::Distributor),
            "reseller" => Some(Self::Reseller),
            _ => None,
        }
    }
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Distributor => "distributor",
            Self::Reseller => "reseller",
        }
    }
}

/// A partner user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything an operator may do, plus distributor permissions and API keys.
    Admin,
    /// Reads, requests customer authorizations, places orders on behalf.
    Operator,
    /// Reads only.
    Viewer,
}

impl Role {
    /// Wire names.
    pub const NAMES: &'static [&'static str] = &["admin", "operator", "viewer"];
    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin" => Some(Self::Admin),
            "operator" => Some(Self::Operator),
            "viewer" => Some(Self::Viewer),
            _ => None,
        }
    }
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Operator => "operator",
            Self::Viewer => "viewer",
        }
    }
}

/// Something a partner user may try to do. [`Role::may`] is the one table of who may do what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ability {
    /// See customers, reports, grants, audit.
    Read,
    /// Ask a customer for authorization, or withdraw a pending request.
    RequestAuthorization,
    /// Place orders on a customer's behalf (switch role, order).
    PlaceOrder,
    /// Grant or revoke a reseller's permission (distributors only).
    ManagePermissions,
    /// Create and revoke API keys of the partner's users.
    ManageApiKeys,
    /// See masked customer fields in clear (audited, rate-limited).
    RevealSensitive,
    /// Sync the customer directory from Huawei Cloud on demand.
    SyncDirectory,
}

impl Role {
    /// Whether this role may do `a` (partner kind is checked separately by [`require_kind`]).
    pub fn may(self, a: Ability) -> bool {
        match a {
            Ability::Read => true,
            Ability::RequestAuthorization | Ability::PlaceOrder | Ability::RevealSensitive => {
                matches!(self, Role::Admin | Role::Operator)
            }
            Ability::ManagePermissions | Ability::ManageApiKeys | Ability::SyncDirectory => self == Role::Admin,
        }
    }
}

/// The authenticated partner user on whose behalf a request runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    pub user_id: UserId,
    pub partner_id: PartnerId,
    pub partner_kind: PartnerKind,
    /// The distributor above a reseller; `None` for a distributor.
    pub distributor_id: Option<PartnerId>,
    pub role: Role,
}

impl Actor {
    /// `forbidden_role` unless the actor's role may do `a`.
    pub fn require(&self, a: Ability) -> Result<(), ApiError> {
        if self.role.may(a) {
            Ok(())
        } else {
            Err(ApiError::with_message(
                Code::ForbiddenRole,
                format!("The {} role may not do this.", self.role.as_str()),
            ))
        }
    }

    /// `forbidden_partner_kind` unless the actor's partner is of `kind`.
    pub fn require_kind(&self, kind: PartnerKind) -> Result<(), ApiError> {
        if self.partner_kind == kind {
            Ok(())
        } else {
            Err(ApiError::with_message(Code::ForbiddenPartnerKind, format!("Only a {} may do this.", kind.as_str())))
        }
    }

    /// Whether this actor needs its distributor's permission to act for its customers: resellers do,
    /// distributors do not. The prerequisite check, its SQL form and the loaders all ask this.
    pub fn needs_distributor_permission(&self) -> bool {
        self.partner_kind == PartnerKind::Reseller
    }

    /// Fails with `not_found` unless the user belongs to this actor's partner
    /// (`None` = no such user): admins manage keys of their own partner's users only.
    pub fn require_own_user(&self, user_partner: Option<&str>) -> Result<(), ApiError> {
        if user_partner == Some(self.partner_id.as_str()) {
            return Ok(());
        }
        Err(ApiError::with_message(Code::NotFound, "No such user in your partner account."))
    }

    /// What this actor may do, as `GET /v1/me` reports it (role and partner kind together).
    pub fn abilities(&self) -> serde_json::Value {
        serde_json::json!({
            "read": self.role.may(Ability::Read),
            "request_authorization": self.role.may(Ability::RequestAuthorization),
            "place_order": self.role.may(Ability::PlaceOrder),
            "manage_permissions": self.role.may(Ability::ManagePermissions) && self.partner_kind == PartnerKind::Distributor,
            "manage_api_keys": self.role.may(Ability::ManageApiKeys),
            "reveal_sensitive": self.role.may(Ability::RevealSensitive),
            "sync_directory": self.role.may(Ability::SyncDirectory),
        })
    }

    /// Whether a customer associated with `partner` (whose distributor is `partner_distributor`)
    /// is visible to this actor: its own customers, and for a distributor its resellers' customers.
    pub fn sees(&self, partner: &PartnerId, partner_distributor: Option<&PartnerId>) -> bool {
        partner == &self.partner_id
            || (self.partner_kind == PartnerKind::Distributor && partner_distributor == Some(&self.partner_id))
    }

    /// Reads an actor from JSON (browser input).
    pub fn decode(d: &mut Decoder, v: &Value, path: Path) -> Option<Actor> {
        let mut o = d.object(v, path)?;
        let user_id = d
            .required(&mut o, "user_id")
            .and_then(|(v, p)| d.parsed(v, &p, "a user id (usr_ + 24 hex)", UserId::parse));
        let partner_id = d
            .required(&mut o, "partner_id")
            .and_then(|(v, p)| d.parsed(v, &p, "32 lowercase hex digits", PartnerId::parse));
        let partner_kind = d
            .required(&mut o, "partner_kind")
            .and_then(|(v, p)| d.one_of(v, &p, PartnerKind::NAMES, PartnerKind::parse));
        let distributor_id = d
            .optional(&mut o, "distributor_id")
            .map(|(v, p)| d.parsed(v, &p, "32 lowercase hex digits", PartnerId::parse));
        let role = d.required(&mut o, "role").and_then(|(v, p)| d.one_of(v, &p, Role::NAMES, Role::parse));
        let path = o.path().clone();
        d.close(o);
        let distributor_id = match distributor_id {
            Some(None) => return None,
            Some(Some(x)) => Some(x),
            None => None,
        };
        let kind = partner_kind?;
        if kind == PartnerKind::Reseller && distributor_id.is_none() {
            d.error(
                crate::decode::child(&path, "distributor_id"),
                Code::Required,
                "A reseller's distributor_id is required.",
            );
            return None;
        }
        Some(Actor { user_id: user_id?, partner_id: partner_id?, partner_kind: kind, distributor_id, role: role? })
    }
}

/// API keys are `obk_` + 40 hex digits; only their SHA-256 is stored.
pub const API_KEY_PREFIX: &str = "obk_";

/// A new API key's secret text from 20 random bytes.
pub fn api_key_secret(random: &[u8; 20]) -> String {
    format!("{API_KEY_PREFIX}{}", hex(random))
}

/// The stored form of an API key: hex SHA-256 of the whole secret text.
pub fn api_key_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests;
