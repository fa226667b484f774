//! Grants: a distributor's permission to a reseller, and a customer's authorization to a partner.
//! Both are scoped by capabilities, optionally time-bound, and revocable; neither is ever edited
//! (a change is a revoke plus a new grant).

use crate::customers::{AssociationType, CustomerFacts};
use crate::decode::Decoder;
use crate::error::{ApiError, Code, Path};
use crate::ids::{AuthorizationId, CustomerId, PartnerId, PermissionId, UserId};
use crate::partners::{Ability, Actor, PartnerKind};
use crate::time::{Timestamp, DAY};
use serde::Serialize;
use serde_json::Value;

/// What a grant allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    /// Place orders on the customer's behalf.
    Order,
    /// Operate and maintain the customer's resources (O&M).
    Om,
}

impl Capability {
    /// Wire names.
    pub const NAMES: &'static [&'static str] = &["order", "om"];
    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "order" => Some(Self::Order),
            "om" => Some(Self::Om),
            _ => None,
        }
    }
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Order => "order",
            Self::Om => "om",
        }
    }
}

/// A non-empty, duplicate-free, sorted set of capabilities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Capabilities(Vec<Capability>);

impl Capabilities {
    /// Every capability: order placement and O&M.
    pub fn all() -> Self {
        Capabilities(vec![Capability::Order, Capability::Om])
    }
    /// From a list; `None` if empty. Duplicates are dropped.
    pub fn new(mut caps: Vec<Capability>) -> Option<Self> {
        crate::sorting::sort(&mut caps);
        caps.dedup();
        (!caps.is_empty()).then_some(Capabilities(caps))
    }
    /// Whether `c` is included.
    pub fn has(&self, c: Capability) -> bool {
        self.0.contains(&c)
    }
    /// Whether every capability of `other` is in `self`.
    pub fn includes(&self, other: &Capabilities) -> bool {
        other.0.iter().all(|c| self.has(*c))
    }
    /// Storage form: `order,om`.
    pub fn to_csv(&self) -> String {
        self.0.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(",")
    }
    /// Reads the storage form.
    pub fn from_csv(s: &str) -> Option<Self> {
        let caps: Option<Vec<_>> = s.split(',').map(Capability::parse).collect();
        Capabilities::new(caps?)
    }
    /// Reads a JSON array of capability names: non-empty, no duplicates.
    pub fn decode(d: &mut Decoder, v: &Value, path: &Path) -> Option<Capabilities> {
        let list = d.array(v, path, 8, |d, x, p| d.one_of(x, &p, Capability::NAMES, Capability::parse))?;
        let n = list.len();
        match Capabilities::new(list) {
            None => {
                d.error(path.clone(), Code::Required, "Name at least one capability.");
                None
            }
            Some(c) if c.0.len() != n => {
                d.error(path.clone(), Code::Duplicate, "A capability is listed twice.");
                None
            }
            Some(c) => Some(c),
        }
    }
}

/// Where a grant stands at a given instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantState {
    /// Waiting for the customer (authorizations only).
    Pending,
    /// In force.
    Active,
    /// Its validity ended.
    Expired,
    /// Revoked by the grantor.
    Revoked,
    /// The customer said no (authorizations only).
    Rejected,
    /// The partner withdrew its request before an answer (authorizations only).
    Withdrawn,
    /// Nobody answered the request before its consent link expired (authorizations only).
    RequestExpired,
    /// Too many wrong verification codes: the request is closed and the partner must ask again
    /// (authorizations only).
    Locked,
}

// ------------------------------------------------------------------------------------------------
// Distributor permission
// ------------------------------------------------------------------------------------------------

/// A distributor's permission for one of its resellers to place orders and/or do O&M on behalf of
/// one customer, or of all that reseller's reseller-mode customers (`customer_id` = `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DistributorPermission {
    pub id: PermissionId,
    pub distributor_id: PartnerId,
    pub reseller_id: PartnerId,
    pub customer_id: Option<CustomerId>,
    pub capabilities: Capabilities,
    pub granted_by: Option<UserId>,
    pub granted_at: Timestamp,
    pub valid_until: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
    pub revoke_reason: Option<String>,
}

impl DistributorPermission {
    /// Active, expired (at `valid_until` exactly) or revoked.
    pub fn state(&self, now: Timestamp) -> GrantState {
        if self.revoked_at.is_some_and(|t| t <= now) {
            GrantState::Revoked
        } else if self.valid_until.is_some_and(|t| t <= now) {
            GrantState::Expired
        } else {
            GrantState::Active
        }
    }

    /// Whether this permission concerns `reseller` acting for `customer`.
    pub fn covers(&self, reseller: &PartnerId, customer: &CustomerId) -> bool {
        &self.reseller_id == reseller && self.customer_id.as_ref().is_none_or(|c| c == customer)
    }

    /// The wire view, with the state at `now`.
    pub fn view(&self, now: Timestamp) -> Value {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            m.insert(
                "scope".into(),
                Value::from(if self.customer_id.is_some() { "customer" } else { "all_customers" }),
            );
            m.insert("state".into(), serde_json::to_value(self.state(now)).unwrap_or(Value::Null));
        }
        v
    }

    /// Reads a permission from JSON (browser input).
    pub fn decode(d: &mut Decoder, v: &Value, path: Path) -> Option<Self> {
        let mut o = d.object(v, path)?;
        let id = d.required(&mut o, "id").and_then(|(v, p)| d.parsed(v, &p, "a permission id", PermissionId::parse));
        let dist = d
            .required(&mut o, "distributor_id")
            .and_then(|(v, p)| d.parsed(v, &p, "32 lowercase hex digits", PartnerId::parse));
        let res = d
            .required(&mut o, "reseller_id")
            .and_then(|(v, p)| d.parsed(v, &p, "32 lowercase hex digits", PartnerId::parse));
        let cust = opt(d
            .optional(&mut o, "customer_id")
            .map(|(v, p)| d.parsed(v, &p, "32 lowercase hex digits", CustomerId::parse)));
        let caps = d.required(&mut o, "capabilities").and_then(|(v, p)| Capabilities::decode(d, v, &p));
        let by = opt(d.optional(&mut o, "granted_by").map(|(v, p)| d.parsed(v, &p, "a user id", UserId::parse)));
        let at = d.required(&mut o, "granted_at").and_then(|(v, p)| d.timestamp(v, &p));
        let until = opt(d.optional(&mut o, "valid_until").map(|(v, p)| d.timestamp(v, &p)));
        let revoked = opt(d.optional(&mut o, "revoked_at").map(|(v, p)| d.timestamp(v, &p)));
        let reason = opt(d.optional(&mut o, "revoke_reason").map(|(v, p)| d.str(v, &p).map(str::to_string)));
        // Views also carry derived keys; accept and ignore them so a report's input round-trips.
        let _ = d.optional(&mut o, "state");
        let _ = d.optional(&mut o, "scope");
        d.close(o);
        Some(DistributorPermission {
            id: id?,
            distributor_id: dist?,
            reseller_id: res?,
            customer_id: cust?,
            capabilities: caps?,
            granted_by: by?,
            granted_at: at?,
            valid_until: until?,
            revoked_at: revoked?,
            revoke_reason: reason?,
        })
    }
}

/// Turns "absent / present-and-valid / present-but-invalid" into `Some(Option<T>)` or `None`.
fn opt<T>(x: Option<Option<T>>) -> Option<Option<T>> {
    match x {
        None => Some(None),
        Some(None) => None,
        Some(Some(t)) => Some(Some(t)),
    }
}

/// A validated request from a distributor admin to grant a permission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantPermission {
    pub reseller_id: PartnerId,
    pub customer_id: Option<CustomerId>,
    pub capabilities: Capabilities,
    pub valid_until: Option<Timestamp>,
}

impl GrantPermission {
    /// Reads `{"reseller_id", "customer_id"?, "capabilities", "valid_until"?}`; `valid_until` must
    /// be in the future.
    pub fn decode(v: &Value, now: Timestamp) -> Result<Self, ApiError> {
        Decoder::run(|d| {
            let mut o = d.object(v, vec![])?;
            let res = d
                .required(&mut o, "reseller_id")
                .and_then(|(v, p)| d.parsed(v, &p, "a reseller id (32 lowercase hex digits)", PartnerId::parse));
            let cust = opt(d
                .optional(&mut o, "customer_id")
                .map(|(v, p)| d.parsed(v, &p, "a customer id (32 lowercase hex digits)", CustomerId::parse)));
            let caps = d.required(&mut o, "capabilities").and_then(|(v, p)| Capabilities::decode(d, v, &p));
            let until = opt(d.optional(&mut o, "valid_until").map(|(v, p)| {
                let t = d.timestamp(v, &p)?;
                if t <= now {
                    d.error(p, Code::OutOfRange, "valid_until must be in the future.");
                    return None;
                }
                Some(t)
            }));
            d.close(o);
            Some(GrantPermission { reseller_id: res?, customer_id: cust?, capabilities: caps?, valid_until: until? })
        })
    }
}

/// What the core needs to know about a reseller named in a grant request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResellerFacts {
    pub id: PartnerId,
    pub kind: PartnerKind,
    pub distributor_id: Option<PartnerId>,
}

/// Decides whether `actor` may grant `req`, given what was looked up: the reseller (if it exists)
/// and the customer (if one was named and exists). Returns the permission to store.
///
/// Fails with `forbidden_partner_kind` (not a distributor), `forbidden_role` (not an admin),
/// `reseller_not_under_distributor`, or `customer_not_of_reseller`.
pub fn authorize_grant(
    actor: &Actor,
    req: GrantPermission,
    reseller: Option<&ResellerFacts>,
    customer: Option<&CustomerFacts>,
    id: PermissionId,
    now: Timestamp,
) -> Result<DistributorPermission, ApiError> {
    actor.require_kind(PartnerKind::Distributor)?;
    actor.require(Ability::ManagePermissions)?;
    let under_actor = reseller
        .is_some_and(|r| r.kind == PartnerKind::Reseller && r.distributor_id.as_ref() == Some(&actor.partner_id));
    if !under_actor {
        return Err(
            ApiError::new(Code::ResellerNotUnderDistributor).with_data(serde_json::json!({"path": ["reseller_id"]}))
        );
    }
    if req.customer_id.is_some() {
        let ok = customer
            .is_some_and(|c| c.partner_id == req.reseller_id && c.association_type == AssociationType::Reseller);
        if !ok {
            return Err(
                ApiError::new(Code::CustomerNotOfReseller).with_data(serde_json::json!({"path": ["customer_id"]}))
            );
        }
    }
    Ok(DistributorPermission {
        id,
        distributor_id: actor.partner_id.clone(),
        reseller_id: req.reseller_id,
        customer_id: req.customer_id,
        capabilities: req.capabilities,
        granted_by: Some(actor.user_id.clone()),
        granted_at: now,
        valid_until: req.valid_until,
        revoked_at: None,
        revoke_reason: None,
    })
}

/// Decides whether `actor` may revoke `perm`: its distributor's admin, once.
pub fn authorize_permission_revoke(
    actor: &Actor,
    perm: &DistributorPermission,
    now: Timestamp,
) -> Result<(), ApiError> {
    // Visibility first: a permission the caller neither granted nor received is `not_found`,
    // whatever its role or partner kind (the reseller that received it sees it, but may not revoke).
    if perm.distributor_id != actor.partner_id && perm.reseller_id != actor.partner_id {
        return Err(ApiError::new(Code::NotFound));
    }
    actor.require_kind(PartnerKind::Distributor)?;
    actor.require(Ability::ManagePermissions)?;
    if perm.state(now) == GrantState::Revoked {
        return Err(ApiError::new(Code::PermissionAlreadyRevoked));
    }
    Ok(())
}

// ------------------------------------------------------------------------------------------------
// Customer authorization
// ------------------------------------------------------------------------------------------------

/// How long a consent link (and so a pending request) stays answerable.
pub const CONSENT_LINK_TTL: i64 = 7 * DAY;
/// Default and bounds of the validity a partner may request, in days.
pub const VALID_DAYS_DEFAULT: i64 = 180;
/// Longest validity a partner may request, in days.
pub const VALID_DAYS_MAX: i64 = 365;

/// Stored status of an authorization; time turns some into [`GrantState::Expired`] or
/// [`GrantState::RequestExpired`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthStatus {
    Pending,
    Approved,
    Rejected,
    Withdrawn,
    Revoked,
    /// Closed after too many wrong verification codes ([`crate::consent::MAX_WRONG_GUESSES`]).
    Locked,
}

impl AuthStatus {
    /// Wire names.
    pub const NAMES: &'static [&'static str] = &["pending", "approved", "rejected", "withdrawn", "revoked", "locked"];
    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "approved" => Some(Self::Approved),
            "rejected" => Some(Self::Rejected),
            "withdrawn" => Some(Self::Withdrawn),
            "revoked" => Some(Self::Revoked),
            "locked" => Some(Self::Locked),
            _ => None,
        }
    }
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Withdrawn => "withdrawn",
            Self::Revoked => "revoked",
            Self::Locked => "locked",
        }
    }
}

/// A customer's authorization of a partner: requested by a partner user, answered by the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerAuthorization {
    pub id: AuthorizationId,
    /// The partner authorized (the one that asked).
    pub partner_id: PartnerId,
    pub customer_id: CustomerId,
    /// Requested capabilities; after approval, those granted (the customer may narrow them).
    pub capabilities: Capabilities,
    pub requested_by: Option<UserId>,
    pub requested_at: Timestamp,
    pub valid_days: i64,
    pub status: AuthStatus,
    pub decided_at: Option<Timestamp>,
    /// Set on approval: `decided_at + valid_days`.
    pub expires_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
    pub reason: Option<String>,
}

impl CustomerAuthorization {
    /// The state at `now`.
    pub fn state(&self, now: Timestamp) -> GrantState {
        match self.status {
            AuthStatus::Pending if now >= self.requested_at.plus(CONSENT_LINK_TTL) => GrantState::RequestExpired,
            AuthStatus::Pending => GrantState::Pending,
            AuthStatus::Approved if self.expires_at.is_some_and(|t| t <= now) => GrantState::Expired,
            AuthStatus::Approved => GrantState::Active,
            AuthStatus::Rejected => GrantState::Rejected,
            AuthStatus::Withdrawn => GrantState::Withdrawn,
            AuthStatus::Revoked => GrantState::Revoked,
            AuthStatus::Locked => GrantState::Locked,
        }
    }

    /// The wire view, with the state at `now` and when the consent link stops working.
    pub fn view(&self, now: Timestamp) -> Value {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            m.insert("state".into(), serde_json::to_value(self.state(now)).unwrap_or(Value::Null));
            m.insert(
                "consent_expires_at".into(),
                serde_json::to_value(self.requested_at.plus(CONSENT_LINK_TTL)).unwrap_or(Value::Null),
            );
        }
        v
    }

    /// Reads an authorization from JSON (browser input).
    pub fn decode(d: &mut Decoder, v: &Value, path: Path) -> Option<Self> {
        let mut o = d.object(v, path)?;
        let id =
            d.required(&mut o, "id").and_then(|(v, p)| d.parsed(v, &p, "an authorization id", AuthorizationId::parse));
        let partner = d
            .required(&mut o, "partner_id")
            .and_then(|(v, p)| d.parsed(v, &p, "32 lowercase hex digits", PartnerId::parse));
        let cust = d
            .required(&mut o, "customer_id")
            .and_then(|(v, p)| d.parsed(v, &p, "32 lowercase hex digits", CustomerId::parse));
        let caps = d.required(&mut o, "capabilities").and_then(|(v, p)| Capabilities::decode(d, v, &p));
        let by = opt(d.optional(&mut o, "requested_by").map(|(v, p)| d.parsed(v, &p, "a user id", UserId::parse)));
        let at = d.required(&mut o, "requested_at").and_then(|(v, p)| d.timestamp(v, &p));
        let days = d.required(&mut o, "valid_days").and_then(|(v, p)| d.int(v, &p, 1, VALID_DAYS_MAX));
        let status =
            d.required(&mut o, "status").and_then(|(v, p)| d.one_of(v, &p, AuthStatus::NAMES, AuthStatus::parse));
        let decided = opt(d.optional(&mut o, "decided_at").map(|(v, p)| d.timestamp(v, &p)));
        let expires = opt(d.optional(&mut o, "expires_at").map(|(v, p)| d.timestamp(v, &p)));
        let revoked = opt(d.optional(&mut o, "revoked_at").map(|(v, p)| d.timestamp(v, &p)));
        let reason = opt(d.optional(&mut o, "reason").map(|(v, p)| d.str(v, &p).map(str::to_string)));
        let _ = d.optional(&mut o, "state");
        let _ = d.optional(&mut o, "consent_expires_at");
        d.close(o);
        Some(CustomerAuthorization {
            id: id?,
            partner_id: partner?,
            customer_id: cust?,
            capabilities: caps?,
            requested_by: by?,
            requested_at: at?,
            valid_days: days?,
            status: status?,
            decided_at: decided?,
            expires_at: expires?,
            revoked_at: revoked?,
            reason: reason?,
        })
    }
}

/// A validated authorization request from a partner user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestAuthorization {
    pub capabilities: Capabilities,
    pub valid_days: i64,
    /// The partner confirmed its commitment (the portal's dialog asks for it); recorded in the audit
    /// event of the request.
    pub commitment: bool,
}

impl RequestAuthorization {
    /// Reads `{"capabilities": [...], "valid_days"?: 1..=365 (default 180), "commitment"?: bool}`.
    pub fn decode(v: &Value) -> Result<Self, ApiError> {
        Decoder::run(|d| {
            let mut o = d.object(v, vec![])?;
            let caps = d.required(&mut o, "capabilities").and_then(|(v, p)| Capabilities::decode(d, v, &p));
            let days =
                d.optional_or(&mut o, "valid_days", VALID_DAYS_DEFAULT, |d, v, p| d.int(v, &p, 1, VALID_DAYS_MAX));
            let commitment = d.optional_or(&mut o, "commitment", false, |d, v, p| d.bool(v, &p));
            d.close(o);
            Some(RequestAuthorization { capabilities: caps?, valid_days: days?, commitment: commitment? })
        })
    }
}

/// Decides whether `actor` may ask `customer` for authorization, given the authorizations that
/// already exist between them. Returns the pending authorization to store.
///
/// Fails with `forbidden_role`, `customer_not_reseller_mode` or `authorization_request_pending`.
pub fn authorize_request(
    actor: &Actor,
    customer: &CustomerFacts,
    existing: &[CustomerAuthorization],
    req: RequestAuthorization,
    id: AuthorizationId,
    now: Timestamp,
) -> Result<CustomerAuthorization, ApiError> {
    actor.require(Ability::RequestAuthorization)?;
    if !actor.sees(&customer.partner_id, customer.partner_distributor_id.as_ref()) {
        return Err(ApiError::new(Code::NotFound));
    }
    if customer.association_type != AssociationType::Reseller {
        return Err(ApiError::new(Code::CustomerNotResellerMode));
    }
    let pending = existing.iter().any(|a| a.partner_id == actor.partner_id && a.state(now) == GrantState::Pending);
    if pending {
        return Err(ApiError::new(Code::AuthorizationRequestPending));
    }
    Ok(CustomerAuthorization {
        id,
        partner_id: actor.partner_id.clone(),
        customer_id: customer.id.clone(),
        capabilities: req.capabilities,
        requested_by: Some(actor.user_id.clone()),
        requested_at: now,
        valid_days: req.valid_days,
        status: AuthStatus::Pending,
        decided_at: None,
        expires_at: None,
        revoked_at: None,
        reason: None,
    })
}

/// Decides whether `actor` may withdraw `auth`: a user of the requesting partner allowed to
/// request, while it is still pending.
pub fn authorize_withdraw(actor: &Actor, auth: &CustomerAuthorization, now: Timestamp) -> Result<(), ApiError> {
    // Visibility first: another partner's request is `not_found` whatever the caller's role.
    if auth.partner_id != actor.partner_id {
        return Err(ApiError::new(Code::NotFound));
    }
    actor.require(Ability::RequestAuthorization)?;
    if auth.state(now) != GrantState::Pending {
        return Err(ApiError::new(Code::AuthorizationNotPending));
    }
    Ok(())
}

/// The customer's approval: optionally narrowed capabilities (a subset of those requested), and
/// optionally its Huawei Cloud account name and the agency it created for the partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    pub code: String,
    pub capabilities: Option<Capabilities>,
    pub huawei_account: Option<crate::huawei::settings::Account>,
}

impl Approval {
    /// Reads `{"code": "123456", "capabilities"?: [...], "huawei_account"?: {domain_name, agency_name}}`;
    /// the capabilities must be a subset of `requested`.
    pub fn decode(v: &Value, requested: &Capabilities) -> Result<Self, ApiError> {
        Decoder::run(|d| {
            let mut o = d.object(v, vec![])?;
            let code = d.required(&mut o, "code").and_then(|(v, p)| {
                d.parsed(v, &p, "the 6-digit code", |s| {
                    (s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.to_string())
                })
            });
            let caps = opt(d.optional(&mut o, "capabilities").map(|(v, p)| {
                let c = Capabilities::decode(d, v, &p)?;
                if !requested.includes(&c) {
                    d.error(p, Code::InvalidValue, "You can only narrow the capabilities that were requested.");
                    return None;
                }
                Some(c)
            }));
            let account =
                opt(d.optional(&mut o, "huawei_account").map(|(v, p)| crate::huawei::settings::Account::read(d, v, p)));
            d.close(o);
            Some(Approval { code: code?, capabilities: caps?, huawei_account: account? })
        })
    }
}

/// The authorization as approved at `now`: the capabilities granted (as requested, or narrowed) and
/// an expiry `valid_days` after the decision. Call after [`crate::consent::may_decide`] and a correct code.
pub fn approve(auth: &CustomerAuthorization, approval: Approval, now: Timestamp) -> CustomerAuthorization {
    CustomerAuthorization {
        capabilities: approval.capabilities.unwrap_or_else(|| auth.capabilities.clone()),
        status: AuthStatus::Approved,
        decided_at: Some(now),
        expires_at: Some(now.plus(auth.valid_days * DAY)),
        ..auth.clone()
    }
}

/// Whose authorizations of a customer `actor` may list: its own partner's, or for a distributor
/// every partner's in its tree (`None` = no partner filter).
pub fn listable_authorizations(actor: &Actor) -> Option<&PartnerId> {
    (actor.partner_kind == PartnerKind::Reseller).then_some(&actor.partner_id)
}

/// Who may see one authorization (`GET /v1/authorizations/{id}`): its partner (any role), or that
/// partner's distributor; anyone else gets `not_found`.
pub fn may_see(
    actor: &Actor,
    auth: &CustomerAuthorization,
    partners_distributor: Option<&PartnerId>,
) -> Result<(), ApiError> {
    actor.require(Ability::Read)?;
    let own = auth.partner_id == actor.partner_id;
    let distributor = actor.partner_kind == PartnerKind::Distributor && partners_distributor == Some(&actor.partner_id);
    if own || distributor {
        Ok(())
    } else {
        Err(ApiError::new(Code::NotFound))
    }
}

/// Reads an optional or required free-text reason of 4-200 characters: `{"reason": "..."}`.
pub fn decode_reason(v: &Value, required: bool) -> Result<Option<String>, ApiError> {
    Decoder::run(|d| {
        let mut o = d.object(v, vec![])?;
        let reason = if required {
            d.required(&mut o, "reason").and_then(|(v, p)| d.text(v, &p, 4, 200)).map(Some)
        } else {
            opt(d.optional(&mut o, "reason").map(|(v, p)| d.text(v, &p, 4, 200)))
        };
        d.close(o);
        reason
    })
}

pub mod requests;

#[cfg(test)]
mod tests;
