//! HTTP plumbing for the routes: the request context, JSON bodies with limits, responses.

use super::db::{self, fault};
use crate::audit::{Action, ActorKind, AuditEvent};
use crate::decode::parse_json;
use crate::error::{ApiError, Code};
use crate::ids::{CustomerId, PartnerId};
use crate::partners::{api_key_hash, Actor};
use crate::portal::{self, Credential, CredentialRef};
use crate::time::Timestamp;
use serde::Serialize;
use serde_json::Value;
use worker::js_sys::{self, Reflect, Uint8Array};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::{D1Database, Request, Response};

/// Largest accepted request body.
pub const MAX_BODY: usize = 64 * 1024;

/// Everything a route needs besides the request.
pub struct Ctx {
    pub db: D1Database,
    pub request_id: String,
    pub now: Timestamp,
    /// Dev mode exposes `/v1/dev/*` (the outbox).
    pub dev: bool,
    /// Public origin for links sent to customers.
    pub origin: String,
    /// The key that signs session tokens (`SESSION_SECRET`, at least 32 bytes); sessions are refused without it.
    pub session_secret: Option<Vec<u8>>,
}

/// `n` bytes from the platform's CSPRNG (`crypto.getRandomValues`).
pub fn random_bytes<const N: usize>() -> Result<[u8; N], ApiError> {
    let crypto =
        Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).map_err(|_| fault("crypto", "missing"))?;
    let f: js_sys::Function = Reflect::get(&crypto, &JsValue::from_str("getRandomValues"))
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| fault("crypto.getRandomValues", "missing"))?;
    let arr = Uint8Array::new_with_length(N as u32);
    f.call1(&crypto, &arr).map_err(|_| fault("crypto.getRandomValues", "failed"))?;
    let mut out = [0u8; N];
    arr.copy_to(&mut out);
    Ok(out)
}

impl Ctx {
    /// An audit event by a partner user.
    pub fn partner_event(
        &self,
        actor: &Actor,
        customer: Option<&CustomerId>,
        action: Action,
        target: &str,
        detail: Value,
    ) -> AuditEvent {
        AuditEvent {
            at: self.now,
            request_id: self.request_id.clone(),
            actor_kind: ActorKind::PartnerUser,
            actor_user_id: Some(actor.user_id.clone()),
            partner_id: Some(actor.partner_id.clone()),
            customer_id: customer.cloned(),
            action,
            target_id: Some(target.to_string()),
            detail,
        }
    }

    /// An audit event by a customer (through a consent link), filed under the partner concerned.
    pub fn customer_event(
        &self,
        partner: &PartnerId,
        customer: &CustomerId,
        action: Action,
        target: &str,
        detail: Value,
    ) -> AuditEvent {
        AuditEvent {
            at: self.now,
            request_id: self.request_id.clone(),
            actor_kind: ActorKind::Customer,
            actor_user_id: None,
            partner_id: Some(partner.clone()),
            customer_id: Some(customer.clone()),
            action,
            target_id: Some(target.to_string()),
            detail,
        }
    }

    /// The partner user behind the request's API key or portal token: `unauthenticated` otherwise.
    pub async fn actor(&self, req: &Request) -> Result<Actor, ApiError> {
        Ok(self.credential(req).await?.actor)
    }

    /// The partner user and the credential the request authenticated with. A cross-origin browser
    /// request must come from an origin the partner allows (`origin_not_allowed`).
    pub async fn credential(&self, req: &Request) -> Result<Authenticated, ApiError> {
        let header = req.headers().get("Authorization").ok().flatten();
        let (kind, secret) = portal::bearer(header.as_deref()).ok_or_else(|| ApiError::new(Code::Unauthenticated))?;
        let found = match kind {
            Credential::ApiKey => db::partners::actor_by_key_hash(&self.db, &api_key_hash(secret)).await?,
            Credential::PortalToken => {
                db::partners::actor_by_portal_token(&self.db, &portal::token_hash(secret), &self.now.to_string())
                    .await?
            }
        };
        let (actor, id, expires_at) = found.ok_or_else(|| ApiError::new(Code::Unauthenticated))?;
        if let Some(o) = cross_origin(req, &self.origin) {
            let allowed = db::partners::origins(&self.db, actor.partner_id.as_str()).await?;
            if !portal::origin_allowed(&o, &allowed) {
                return Err(ApiError::new(Code::OriginNotAllowed));
            }
        }
        Ok(Authenticated { actor, credential: CredentialRef { kind, id }, expires_at })
    }

    /// The actor of a request that must use an API key (not a portal token): `forbidden_credential` otherwise.
    pub async fn api_key_actor(&self, req: &Request) -> Result<Actor, ApiError> {
        let auth = self.credential(req).await?;
        portal::require_api_key(auth.credential.kind)?;
        Ok(auth.actor)
    }
}

/// Who made a request and with which credential.
pub struct Authenticated {
    pub actor: Actor,
    pub credential: CredentialRef,
    /// When the credential stops working by itself (portal tokens); `None` for API keys.
    pub expires_at: Option<Timestamp>,
}

/// The request's `Origin` when it is another origin than the worker's own.
pub fn cross_origin(req: &Request, own: &str) -> Option<String> {
    let o = req.headers().get("Origin").ok().flatten()?;
    let own_req = req.url().ok().map(|u| u.origin().ascii_serialization());
    (o != own && Some(&o) != own_req.as_ref()).then_some(o)
}

/// Reads a JSON body: `payload_too_large`, `unsupported_media_type` or `malformed_json` when it is
/// not acceptable. An empty body reads as `{}` so that bodiless actions need no `{}`.
pub async fn json_body(req: &mut Request) -> Result<Value, ApiError> {
    let declared = req.headers().get("Content-Length").ok().flatten().and_then(|l| l.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY) {
        return Err(too_large());
    }
    let text = req.text().await.map_err(|e| fault("read body", e))?;
    if text.len() > MAX_BODY {
        return Err(too_large());
    }
    if text.trim().is_empty() {
        return Ok(Value::Object(Default::default()));
    }
    let ct = req.headers().get("Content-Type").ok().flatten().unwrap_or_default();
    let media = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if media != "application/json" {
        return Err(ApiError::new(Code::UnsupportedMediaType));
    }
    parse_json(&text)
}

fn too_large() -> ApiError {
    ApiError::with_message(Code::PayloadTooLarge, format!("The request body is larger than {} KiB.", MAX_BODY / 1024))
}

/// The value of query parameter `name`, if present.
pub fn query(req: &Request, name: &str) -> Option<String> {
    let url = req.url().ok()?;
    url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// Reads an optional `limit` parameter in `1..=max` (default `default`); `validation_failed` otherwise.
pub fn limit_param(req: &Request, default: i64, max: i64) -> Result<i64, ApiError> {
    match query(req, "limit") {
        None => Ok(default),
        Some(s) => match s.parse::<i64>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(ApiError::validation(vec![crate::error::FieldError::new(
                crate::error::path(&["limit"]),
                Code::OutOfRange,
                format!("limit must be an integer from 1 to {max}."),
            )])),
        },
    }
}

/// A JSON response with `status`.
pub fn json<T: Serialize>(status: u16, body: &T) -> Result<Response, ApiError> {
    let bytes = serde_json::to_vec(body).map_err(|e| fault("encode response", e))?;
    Ok(respond(status, bytes))
}

/// A response whose body is already JSON text (a stored answer replayed, or one built once).
pub fn json_text(status: u16, text: String) -> Response {
    respond(status, text.into_bytes())
}

/// The response for an error: `{"error": {...}}` with the code's status.
pub fn error_response(e: &ApiError) -> Response {
    respond(e.http_status(), e.to_body().to_string().into_bytes())
}

fn respond(status: u16, body: Vec<u8>) -> Response {
    let mut r = Response::builder().with_status(status).fixed(body);
    // Setting a header on a fresh response cannot fail; ignoring the Result keeps this panic-free.
    let _ = r.headers_mut().set("Content-Type", "application/json; charset=utf-8");
    r
}
