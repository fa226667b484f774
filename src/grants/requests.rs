//! A reseller's request to its distributor for order placement and/or O&M permission: the remedy
//! behind "ask your distributor". The reseller asks (for one customer or for all its reseller-mode
//! customers), the distributor sees the open requests of its resellers; a grant that covers a request
//! answers it, or the distributor declines it, or the reseller withdraws it.

use super::{opt, Capabilities, DistributorPermission};
use crate::customers::{AssociationType, CustomerFacts};
use crate::decode::Decoder;
use crate::error::{ApiError, Code};
use crate::ids::{CustomerId, PartnerId, PermissionId, PermissionRequestId, UserId};
use crate::partners::{Ability, Actor, PartnerKind};
use crate::time::Timestamp;
use serde::Serialize;
use serde_json::Value;

/// What a reseller asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AskPermission {
    /// `None`: every reseller-mode customer of the reseller.
    pub customer_id: Option<CustomerId>,
    pub capabilities: Capabilities,
    pub note: Option<String>,
}

impl AskPermission {
    /// Reads `{"customer_id"?: id | null, "capabilities": [...], "note"?: 1-500 characters}`.
    pub fn decode(v: &Value) -> Result<Self, ApiError> {
        Decoder::run(|d| {
            let mut o = d.object(v, vec![])?;
            let cust = opt(d
                .optional(&mut o, "customer_id")
                .map(|(v, p)| d.parsed(v, &p, "a customer id (32 lowercase hex digits)", CustomerId::parse)));
            let caps = d.required(&mut o, "capabilities").and_then(|(v, p)| Capabilities::decode(d, v, &p));
            let note = opt(d.optional(&mut o, "note").map(|(v, p)| d.text(v, &p, 1, 500)));
            d.close(o);
            Some(AskPermission { customer_id: cust?, capabilities: caps?, note: note? })
        })
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Open,
    /// A permission covering it was granted (`permission_id`).
    Granted,
    Declined,
    Withdrawn,
}

impl RequestStatus {
    pub const NAMES: &'static [&'static str] = &["open", "granted", "declined", "withdrawn"];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Granted => "granted",
            Self::Declined => "declined",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(Self::Open),
            "granted" => Some(Self::Granted),
            "declined" => Some(Self::Declined),
            "withdrawn" => Some(Self::Withdrawn),
            _ => None,
        }
    }
}

/// A stored request (its wire view is this struct, serialized).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PermissionRequest {
    pub id: PermissionRequestId,
    pub reseller_id: PartnerId,
    pub distributor_id: PartnerId,
    pub customer_id: Option<CustomerId>,
    pub capabilities: Capabilities,
    pub note: Option<String>,
    pub requested_by: UserId,
    pub requested_at: Timestamp,
    pub status: RequestStatus,
    pub decided_at: Option<Timestamp>,
    pub decided_by: Option<UserId>,
    pub reason: Option<String>,
    pub permission_id: Option<PermissionId>,
}

/// Decides whether `actor` may ask its distributor: a reseller's admin or operator, for a
/// reseller-mode customer of its own (`customer`, looked up when one was named) or for all of them.
///
/// Fails with `forbidden_partner_kind` (a distributor, or a reseller without one), `forbidden_role`,
/// `not_found` (a customer it does not serve) or `customer_not_reseller_mode`.
pub fn authorize_ask(
    actor: &Actor,
    ask: AskPermission,
    customer: Option<&CustomerFacts>,
    id: PermissionRequestId,
    now: Timestamp,
) -> Result<PermissionRequest, ApiError> {
    actor.require_kind(PartnerKind::Reseller)?;
    let Some(distributor) = actor.distributor_id.clone() else {
        return Err(ApiError::with_message(Code::ForbiddenPartnerKind, "Your partner account has no distributor."));
    };
    actor.require(Ability::RequestAuthorization)?;
    if ask.customer_id.is_some() {
        let Some(c) = customer.filter(|c| c.partner_id == actor.partner_id) else {
            return Err(ApiError::new(Code::NotFound));
        };
        if c.association_type != AssociationType::Reseller {
            return Err(ApiError::new(Code::CustomerNotResellerMode));
        }
    }
    Ok(PermissionRequest {
        id,
        reseller_id: actor.partner_id.clone(),
        distributor_id: distributor,
        customer_id: ask.customer_id,
        capabilities: ask.capabilities,
        note: ask.note,
        requested_by: actor.user_id.clone(),
        requested_at: now,
        status: RequestStatus::Open,
        decided_at: None,
        decided_by: None,
        reason: None,
        permission_id: None,
    })
}

/// How an open request is closed by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Close {
    /// By the distributor's admin.
    Decline,
    /// By the reseller's admin or operator.
    Withdraw,
}

impl Close {
    pub fn status(self) -> RequestStatus {
        match self {
            Self::Decline => RequestStatus::Declined,
            Self::Withdraw => RequestStatus::Withdrawn,
        }
    }
}

/// Decides whether `actor` may close `r` that way. Visibility first: a request neither addressed to
/// nor sent by the actor's partner is `not_found` whatever the role; then the role; then
/// `permission_request_not_open`.
pub fn authorize_close(actor: &Actor, r: &PermissionRequest, how: Close) -> Result<(), ApiError> {
    let party = match how {
        Close::Decline => &r.distributor_id,
        Close::Withdraw => &r.reseller_id,
    };
    if party != &actor.partner_id {
        return Err(ApiError::new(Code::NotFound));
    }
    actor.require(match how {
        Close::Decline => Ability::ManagePermissions,
        Close::Withdraw => Ability::RequestAuthorization,
    })?;
    if r.status != RequestStatus::Open {
        return Err(ApiError::new(Code::PermissionRequestNotOpen));
    }
    Ok(())
}

/// Whether the actor sees `r`: the requests its resellers sent it (distributor) or its own (reseller).
pub fn sees(actor: &Actor, r: &PermissionRequest) -> bool {
    match actor.partner_kind {
        PartnerKind::Distributor => r.distributor_id == actor.partner_id,
        PartnerKind::Reseller => r.reseller_id == actor.partner_id,
    }
}

/// Whether granting `perm` answers `r`: same distributor and reseller, the same customer (a
/// permission for all customers answers every request; one for a customer only that customer's),
/// and every capability asked for.
pub fn covers(perm: &DistributorPermission, r: &PermissionRequest) -> bool {
    perm.distributor_id == r.distributor_id
        && perm.reseller_id == r.reseller_id
        && (perm.customer_id.is_none() || perm.customer_id == r.customer_id)
        && perm.capabilities.includes(&r.capabilities)
}

#[cfg(test)]
mod tests;
