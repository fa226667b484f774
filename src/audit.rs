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
    #[serde(rename = "authorization.requested")]
    AuthorizationRequested,
    #[serde(rename = "authorization.withdrawn")]
    AuthorizationWithdrawn,
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
}

impl Action {
    /// The wire name, e.g. `permission.granted`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ApiKeyCreated => "api_key.created",
            Self::ApiKeyRevoked => "api_key.revoked",
            Self::PermissionGranted => "permission.granted",
            Self::PermissionRevoked => "permission.revoked",
            Self::AuthorizationRequested => "authorization.requested",
            Self::AuthorizationWithdrawn => "authorization.withdrawn",
            Self::AuthorizationApproved => "authorization.approved",
            Self::AuthorizationRejected => "authorization.rejected",
            Self::AuthorizationRevoked => "authorization.revoked",
            Self::ConsentCodeFailed => "consent.code_failed",
            Self::ConsentCodeSent => "consent.code_sent",
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
