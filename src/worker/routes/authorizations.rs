//! Customer authorizations, partner side: request, list, withdraw.

use super::customers::visible_customer;
use super::Res;
use crate::audit::Action;
use crate::consent::{self, CodeState};
use crate::error::{ApiError, Code};
use crate::grants::{authorize_request, authorize_withdraw, AuthStatus, RequestAuthorization};
use crate::ids::{AuthorizationId, MessageId};
use crate::outbox;
use crate::partners::Ability;
use crate::worker::db::{self, audit, grants};
use crate::worker::http::{json, json_body, random_bytes, Ctx};
use serde_json::json;
use worker::Request;

/// `POST /v1/customers/{id}/authorizations` `{capabilities, valid_days?}`: asks the customer.
/// The consent link goes to the customer's email and the code to their mobile (the outbox); the
/// partner never sees either.
pub async fn create(ctx: &Ctx, req: &mut Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    let customer = visible_customer(ctx, &actor, id).await?;
    actor.require(Ability::RequestAuthorization)?;
    let body = json_body(req).await?;
    let request = RequestAuthorization::decode(&body)?;
    let existing = grants::authorizations_for(&ctx.db, &customer.facts.id, Some(&actor.partner_id)).await?;
    let auth_id = AuthorizationId::from_bytes(&random_bytes()?);
    let auth = authorize_request(&actor, &customer.facts, &existing, request, auth_id, ctx.now)?;

    let token = consent::new_token(&random_bytes()?);
    let (code, code_hash) = consent::new_code(random_bytes()?, &auth.id);
    let code_state = CodeState::fresh(code_hash, ctx.now, 1);
    let partner_name =
        db::partners::partner(&ctx.db, actor.partner_id.as_str()).await?.map(|p| p.name).unwrap_or_default();
    let link = consent::link(&ctx.origin, &token);
    let email = outbox::consent_email(&partner_name, &customer.email, &auth, &link);
    let sms = outbox::code_sms(&partner_name, &customer.mobile_international(), &code, consent::CODE_TTL / 60);

    let event = ctx.partner_event(
        &actor,
        Some(&auth.customer_id),
        Action::AuthorizationRequested,
        auth.id.as_str(),
        json!({"capabilities": auth.capabilities, "valid_days": auth.valid_days}),
    );
    let stmts = vec![
        grants::insert_authorization(&ctx.db, &auth, &consent::token_hash(&token), &code_state)?,
        db::outbox::insert(
            &ctx.db,
            &MessageId::from_bytes(&random_bytes()?),
            ctx.now,
            &auth.customer_id,
            &email,
            &ctx.request_id,
        )?,
        db::outbox::insert(
            &ctx.db,
            &MessageId::from_bytes(&random_bytes()?),
            ctx.now,
            &auth.customer_id,
            &sms,
            &ctx.request_id,
        )?,
        audit::append(&ctx.db, &event)?,
    ];
    if let Err(e) = db::batch(&ctx.db, stmts).await {
        // The partial unique index allows one pending request per partner and customer; a
        // concurrent duplicate loses here.
        let now_pending = grants::authorizations_for(&ctx.db, &auth.customer_id, Some(&actor.partner_id))
            .await?
            .iter()
            .any(|a| a.status == AuthStatus::Pending && a.id != auth.id);
        return Err(if now_pending { ApiError::new(Code::AuthorizationRequestPending) } else { e });
    }
    json(201, &auth.view(ctx.now))
}

/// `GET /v1/customers/{id}/authorizations`: the customer's authorizations of the caller's partner
/// (a distributor also sees those of its resellers).
pub async fn list(ctx: &Ctx, req: &Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    let customer = visible_customer(ctx, &actor, id).await?;
    let auths =
        grants::authorizations_for(&ctx.db, &customer.facts.id, crate::grants::listable_authorizations(&actor)).await?;
    let views: Vec<_> = auths.iter().map(|a| a.view(ctx.now)).collect();
    json(200, &json!({"authorizations": views}))
}

/// `POST /v1/authorizations/{id}/withdraw`: withdraws a pending request of the caller's partner.
pub async fn withdraw(ctx: &Ctx, req: &mut Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    let id = AuthorizationId::parse(id).ok_or_else(|| ApiError::new(Code::NotFound))?;
    let auth = grants::authorization(&ctx.db, &id).await?.ok_or_else(|| ApiError::new(Code::NotFound))?;
    authorize_withdraw(&actor, &auth, ctx.now)?;
    let reason = crate::grants::decode_reason(&json_body(req).await?, false)?;
    let event = ctx.partner_event(
        &actor,
        Some(&auth.customer_id),
        Action::AuthorizationWithdrawn,
        auth.id.as_str(),
        json!({"reason": reason}),
    );
    let update = grants::close_pending(&ctx.db, &auth.id, AuthStatus::Withdrawn, ctx.now, reason.as_deref())?;
    audit::change_once(&ctx.db, update, &event, Code::AuthorizationNotPending).await?;
    let auth = grants::authorization(&ctx.db, &id).await?.ok_or_else(|| ApiError::new(Code::NotFound))?;
    json(200, &auth.view(ctx.now))
}
