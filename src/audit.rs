//! Audit events: who did what, for which partner and customer, when, under which request.
//! Every write appends exactly one event in the same atomic batch as the change.

use crate::ids::{CustomerId, PartnerId, UserId};
use crate::time::Timestamp;
use serde::Serialize;
use serde_json::Value;

/// Who performed an audited action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// A partner user authenticated by API key.
    PartnerUser,
    /// A customer acting through a consent link.
    Customer,
}

impl ActorKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PartnerUser => "partner_user",
            Self::Customer => "customer",
        }
    }
}

/// Audited actions. The wire names are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Action {
    #[serde(rename = "api_key.created")]
    ApiKeyCreated,
    #[serde(rename = "api_key.revoked")]
    ApiKeyRevoked,
    #[serde(rename = "permission.granted")]
    PermissionGranted,
    #[serde(rename = "permission.revoked")]
    PermissionRevoked,
    #[serde(rename = "permission.requested")]
    PermissionRequested,
    #[serde(rename = "permission.request_closed")]
    PermissionRequestClosed,
    #[serde(rename = "authorization.requested")]
    AuthorizationRequested,
    #[serde(rename = "authorization.withdrawn")]
    AuthorizationWithdrawn,
    #[serde(rename = "authorization.resent")]
    AuthorizationResent,
    #[serde(rename = "authorization.approved")]
    AuthorizationApproved,
    #[serde(rename = "authorization.rejected")]
    AuthorizationRejected,
    #[serde(rename = "authorization.revoked")]
    AuthorizationRevoked,
    #[serde(rename = "consent.code_failed")]
    ConsentCodeFailed,
    #[serde(rename = "consent.code_sent")]
    ConsentCodeSent,
    #[serde(rename = "authorization.locked")]
    AuthorizationLocked,
    #[serde(rename = "customer.revealed")]
    CustomerRevealed,
    #[serde(rename = "quote.created")]
    QuoteCreated,
    #[serde(rename = "session.started")]
    SessionStarted,
    #[serde(rename = "session.ended")]
    SessionEnded,
    #[serde(rename = "session.refused")]
    SessionRefused,
    #[serde(rename = "order.placed")]
    OrderPlaced,
    #[serde(rename = "order.paid")]
    OrderPaid,
    #[serde(rename = "order.cancelled")]
    OrderCancelled,
    #[serde(rename = "order.refused")]
    OrderRefused,
    #[serde(rename = "resources.enabled")]
    ResourcesEnabled,
    #[serde(rename = "portal_token.created")]
    PortalTokenCreated,
    #[serde(rename = "portal_token.revoked")]
    PortalTokenRevoked,
    #[serde(rename = "origins.changed")]
    OriginsChanged,
    #[serde(rename = "huawei_key.set")]
    HuaweiKeySet,
    #[serde(rename = "message_channel.set")]
    MessageChannelSet,
    #[serde(rename = "message_channel.removed")]
    MessageChannelRemoved,
    #[serde(rename = "huawei_account.set")]
    HuaweiAccountSet,
    #[serde(rename = "agency.assumed")]
    AgencyAssumed,
    #[serde(rename = "order.in_doubt")]
    OrderInDoubt,
    #[serde(rename = "order.completed")]
    OrderCompleted,
    #[serde(rename = "order.failed")]
    OrderFailed,
    #[serde(rename = "customer.budget_set")]
    BudgetSet,
    #[serde(rename = "customer.frozen")]
    CustomerFrozen,
    #[serde(rename = "customer.unfrozen")]
    CustomerUnfrozen,
    #[serde(rename = "customer.tags_changed")]
    TagsChanged,
    #[serde(rename = "customer.manager_assigned")]
    ManagerAssigned,
    #[serde(rename = "directory.sync_started")]
    DirectorySyncStarted,
}

impl Action {
    /// The wire name, e.g. `permission.granted`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ApiKeyCreated => "api_key.created",
            Self::ApiKeyRevoked => "api_key.revoked",
            Self::PermissionGranted => "permission.granted",
            Self::PermissionRevoked => "permission.revoked",
            Self::PermissionRequested => "permission.requested",
            Self::PermissionRequestClosed => "permission.request_closed",
            Self::AuthorizationRequested => "authorization.requested",
            Self::AuthorizationWithdrawn => "authorization.withdrawn",
            Self::AuthorizationResent => "authorization.resent",
            Self::AuthorizationApproved => "authorization.approved",
            Self::AuthorizationRejected => "authorization.rejected",
            Self::AuthorizationRevoked => "authorization.revoked",
            Self::ConsentCodeFailed => "consent.code_failed",
            Self::ConsentCodeSent => "consent.code_sent",
            Self::AuthorizationLocked => "authorization.locked",
            Self::CustomerRevealed => "customer.revealed",
            Self::QuoteCreated => "quote.created",
            Self::SessionStarted => "session.started",
            Self::SessionEnded => "session.ended",
            Self::SessionRefused => "session.refused",
            Self::OrderPlaced => "order.placed",
            Self::OrderPaid => "order.paid",
            Self::OrderCancelled => "order.cancelled",
            Self::OrderRefused => "order.refused",
            Self::ResourcesEnabled => "resources.enabled",
            Self::PortalTokenCreated => "portal_token.created",
            Self::PortalTokenRevoked => "portal_token.revoked",
            Self::OriginsChanged => "origins.changed",
            Self::HuaweiKeySet => "huawei_key.set",
            Self::MessageChannelSet => "message_channel.set",
            Self::MessageChannelRemoved => "message_channel.removed",
            Self::HuaweiAccountSet => "huawei_account.set",
            Self::AgencyAssumed => "agency.assumed",
            Self::OrderInDoubt => "order.in_doubt",
            Self::OrderCompleted => "order.completed",
            Self::OrderFailed => "order.failed",
            Self::BudgetSet => "customer.budget_set",
            Self::CustomerFrozen => "customer.frozen",
            Self::CustomerUnfrozen => "customer.unfrozen",
            Self::TagsChanged => "customer.tags_changed",
            Self::ManagerAssigned => "customer.manager_assigned",
            Self::DirectorySyncStarted => "directory.sync_started",
        }
    }
}

/// One audit event, as stored and as `GET /v1/audit` returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEvent {
    pub at: Timestamp,
    pub request_id: String,
    pub actor_kind: ActorKind,
    pub actor_user_id: Option<UserId>,
    pub partner_id: Option<PartnerId>,
    pub customer_id: Option<CustomerId>,
    pub action: Action,
    /// The object acted on (a permission, authorization or key id).
    pub target_id: Option<String>,
    /// Action-specific facts; never clear personal data.
    pub detail: Value,
}

/// The hash before the first event of the chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One stored event, as the hash chain covers it (the stored text of every column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub seq: i64,
    pub at: String,
    pub request_id: String,
    pub actor_kind: String,
    pub actor_user_id: Option<String>,
    pub partner_id: Option<String>,
    pub customer_id: Option<String>,
    pub action: String,
    pub target_id: Option<String>,
    pub detail: String,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

/// `hex(SHA-256(prev + "\n" + JSON array of the event's columns))`: each event's hash covers the
/// previous one, so changing, removing or reordering any stored event breaks every later link.
pub fn link_hash(prev: &str, l: &Link) -> String {
    use sha2::{Digest, Sha256};
    let fields = serde_json::json!([
        l.seq,
        l.at,
        l.request_id,
        l.actor_kind,
        l.actor_user_id,
        l.partner_id,
        l.customer_id,
        l.action,
        l.target_id,
        l.detail
    ]);
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(fields.to_string().as_bytes());
    crate::ids::hex(&h.finalize())
}

/// The outcome of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    pub ok: bool,
    /// Sealed events checked.
    pub checked: i64,
    /// Events not sealed yet (the newest, sealed right after their request).
    pub unsealed: i64,
    /// The first event whose stored hashes do not match its content or its predecessor.
    pub first_broken_seq: Option<i64>,
    pub head_hash: String,
}

/// Walks `links` in `seq` order from `prev` (the hash before the first of them) and reports the
/// first broken link. Unsealed events may only follow the sealed ones.
pub fn verify_chain<'a>(links: impl IntoIterator<Item = &'a Link>, prev: &str) -> ChainReport {
    let mut prev = prev.to_string();
    let (mut checked, mut unsealed, mut broken) = (0, 0, None);
    for l in links {
        match (&l.prev_hash, &l.hash) {
            (None, None) => unsealed += 1,
            (Some(p), Some(h)) if unsealed == 0 && *p == prev && *h == link_hash(&prev, l) => {
                checked += 1;
                prev = h.clone();
            }
            _ => {
                broken = Some(l.seq);
                break;
            }
        }
    }
    ChainReport { ok: broken.is_none(), checked, unsealed, first_broken_seq: broken, head_hash: prev }
}

/// The `(seq, prev_hash, hash)` that seal `links` (unsealed, in `seq` order) after `prev`.
pub fn seal<'a>(links: impl IntoIterator<Item = &'a Link>, prev: &str) -> Vec<(i64, String, String)> {
    let mut prev = prev.to_string();
    links
        .into_iter()
        .map(|l| {
            let h = link_hash(&prev, l);

            (l.seq, std::mem::replace(&mut prev, h.clone()), h)
        })
        .collect()
}

#[cfg(test)]
mod tests;
