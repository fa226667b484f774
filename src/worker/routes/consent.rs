//! Customer authorizations, customer side: the consent link. The token is the customer's proof;
//! approving also needs the verification code sent to their mobile.

use super::Res;
use crate::audit::Action;
use crate::consent::{self, check_code, may_decide, may_revoke, CodeCheck, CodeState};
use crate::customers::Customer;
use crate::error::{ApiError, Code};
use crate::grants::{decode_reason, Approval, AuthStatus, CustomerAuthorization};
use crate::ids::MessageId;
use crate::outbox;
use crate::worker::db::{self, audit, grants};
use crate::worker::http::{json, json_body, random_bytes, Ctx};
use serde_json::json;
use worker::Request;

async fn open(ctx: &Ctx, token: &str) -> Result<(CustomerAuthorization, CodeState), ApiError> {
    if !consent::is_token(token) {
        return Err(ApiError::new(Code::NotFound));
    }
    grants::by_token_hash(&ctx.db, &consent::token_hash(token)).await?.ok_or_else(|| ApiError::new(Code::NotFound))
}

async fn customer_of(ctx: &Ctx, a: &CustomerAuthorization) -> Result<Customer, ApiError> {
    db::customers::by_id(&ctx.db, &a.customer_id).await?.ok_or_else(|| ApiError::new(Code::NotFound))
}

/// `GET /v1/consent/{token}`: what the partner asks for, and where the request stands.
pub async fn show(ctx: &Ctx, token: &str) -> Res {
    let (auth, code) = open(ctx, token).await?;
    let partner = db::partners::partner(&ctx.db, auth.partner_id.as_str()).await?;
    let customer = customer_of(ctx, &auth).await?;
    json(200, &json!({
        "authorization": auth.view(ctx.now),
        "partner": partner,
        "customer": {"id": customer.facts.id, "account_name": crate::masking::name(&customer.account_name),
                     "mobile": crate::masking::mobile(&customer.mobile)},
        "code": {"expires_at": code.expires_at, "attempts_left": (consent::MAX_CODE_ATTEMPTS - code.attempts).max(0)},
    }))
}

/// `GET /v1/consent/{token}/events`: what partners did on the customer's account (the audit events
/// about it, from every partner), newest first; the customer's own view of the trail.
pub async fn events(ctx: &Ctx, token: &str) -> Res {
    let (auth, _) = open(ctx, token).await?;
    let events = db::audit::list_for_customer(&ctx.db, auth.customer_id.as_str(), 200).await?;
    json(200, &json!({"customer_id": auth.customer_id, "events": events}))
}

/// `POST /v1/consent/{token}/{approve|reject|revoke|code}`.
pub async fn act(ctx: &Ctx, req: &mut Request, token: &str, action: &str) -> Res {
    if !matches!(action, "approve" | "reject" | "revoke" | "code") {
        return Err(ApiError::new(Code::RouteNotFound));
    }
    let body = json_body(req).await?;
    let (auth, code) = open(ctx, token).await?;
    match action {
        "approve" => approve(ctx, &auth, &code, &body).await,
        "reject" => {
            may_decide(&auth, ctx.now)?;
            let reason = decode_reason(&body, false)?;
            let event = ctx.customer_event(&auth.partner_id, &auth.customer_id, Action::AuthorizationRejected, auth.id.as_str(), json!({"reason": reason}));
            let stmt = grants::close_pending(&ctx.db, &auth.id, AuthStatus::Rejected, ctx.now, reason.as_deref())?;
            finish(ctx, &auth, stmt, &event, Code::ConsentAlreadyDecided).await
        }
        "revoke" => {
            let reason = decode_reason(&body, true)?.unwrap_or_default();
            may_revoke(&auth, ctx.now)?;
            let event = ctx.customer_event(&auth.partner_id, &auth.customer_id, Action::AuthorizationRevoked, auth.id.as_str(), json!({"reason": reason}));
            let stmt = grants::revoke(&ctx.db, &auth.id, ctx.now, &reason)?;
            finish(ctx, &auth, stmt, &event, Code::AuthorizationNotActive).await
        }
        _ => resend_code(ctx, &auth, &code, &body).await,
    }
}

/// Runs a conditional update with its audit event; `lost` when the row had already moved on.
async fn finish(ctx: &Ctx, auth: &CustomerAuthorization, stmt: worker::D1PreparedStatement, event: &crate::audit::AuditEvent, lost: Code) -> Res {
    audit::change_once(&ctx.db, stmt, event, lost).await?;
    let auth = grants::authorization(&ctx.db, &auth.id).await?.ok_or_else(|| ApiError::new(Code::NotFound))?;
    json(200, &auth.view(ctx.now))
}

async fn approve(ctx: &Ctx, auth: &CustomerAuthorization, code: &CodeState, body: &serde_json::Value) -> Res {
    may_decide(auth, ctx.now)?;
    let approval = Approval::decode(body, &auth.capabilities)?;
    match check_code(code, &auth.id, &approval.code, ctx.now)? {
        CodeCheck::Wrong { attempts_left } => {
            let event = ctx.customer_event(&auth.partner_id, &auth.customer_id, Action::ConsentCodeFailed, auth.id.as_str(), json!({"attempts_left": attempts_left}));
            db::batch(&ctx.db, vec![grants::count_wrong_code(&ctx.db, &auth.id)?, audit::append_if_changed(&ctx.db, &event)?]).await?;
            Err(consent::wrong_code_error(attempts_left))
        }
        CodeCheck::Correct => {
            let approved = crate::grants::approve(auth, approval, ctx.now);
            let event = ctx.customer_event(&auth.partner_id, &auth.customer_id, Action::AuthorizationApproved, auth.id.as_str(),
                json!({"capabilities": approved.capabilities, "expires_at": approved.expires_at}));
            let stmt = grants::approve(&ctx.db, &approved)?;
            finish(ctx, auth, stmt, &event, Code::ConsentAlreadyDecided).await
        }
    }
}

/// Sends a fresh code (at most one per minute); the old one stops working.
async fn resend_code(ctx: &Ctx, auth: &CustomerAuthorization, code: &CodeState, body: &serde_json::Value) -> Res {
    if body.as_object().is_some_and(|o| !o.is_empty()) {
        return Err(ApiError::validation(vec![crate::error::FieldError::new(vec![], Code::UnknownField, "This action takes no fields.")]));
    }
    consent::may_resend(auth, code, ctx.now)?;
    let customer = customer_of(ctx, auth).await?;
    let partner_name = db::partners::partner(&ctx.db, auth.partner_id.as_str()).await?.map(|p| p.name).unwrap_or_default();
    let (new_code, hash) = consent::new_code(random_bytes()?, &auth.id);
    let state = CodeState { hash, expires_at: ctx.now.plus(consent::CODE_TTL), attempts: 0 };
    let sms = outbox::code_sms(&partner_name, &customer.mobile_international(), &new_code, consent::CODE_TTL / 60);
    let event = ctx.customer_event(&auth.partner_id, &auth.customer_id, Action::ConsentCodeSent, auth.id.as_str(), json!({}));
    let changed = db::batch(&ctx.db, vec![
        grants::replace_code(&ctx.db, &auth.id, &state)?,
        audit::append_if_changed(&ctx.db, &event)?,
        db::outbox::insert(&ctx.db, &MessageId::from_bytes(&random_bytes()?), ctx.now, &auth.customer_id, &sms, &ctx.request_id)?,
    ]).await?;
    if changed.first() != Some(&1) {
        return Err(ApiError::new(Code::ConsentAlreadyDecided));
    }
    json(202, &json!({"code": {"expires_at": state.expires_at, "attempts_left": consent::MAX_CODE_ATTEMPTS}}))
}
