//! Embedding: portal tokens minted server side, and the partner's allowed browser origins.

use super::Res;
use crate::audit::Action;
use crate::decode::no_fields;
use crate::error::{ApiError, Code, OrCode};
use crate::ids::PortalTokenId;
use crate::partners::Ability;
use crate::portal::{self, MintRequest};
use crate::worker::context::Ctx;
use crate::worker::db::{self, audit, embed};
use crate::worker::http::{json, json_body, random_bytes};
use serde_json::json;
use worker::Request;

/// `POST /v1/portal-tokens` `{user_id?, minutes?}` (API key only): a short-lived token for one of
/// the partner's users, for components in the partner's portal. It cannot mint tokens or manage keys.
pub async fn mint(ctx: &Ctx, req: &mut Request) -> Res {
    let auth = ctx.credential(req).await?;
    portal::require_api_key(auth.credential.kind)?;
    let actor = auth.actor;
    let ask = MintRequest::decode(&json_body(req).await?)?;
    let subject = ask.subject(&actor)?;
    let user = db::partners::user(&ctx.db, subject.as_str())
        .await?
        .filter(|u| u.partner_id == actor.partner_id.as_str())
        .or_not_found()?;
    let secret = portal::token_secret(&random_bytes()?);
    let id = PortalTokenId::from_bytes(&random_bytes()?);
    let expires = ask.expires(ctx.now);
    let ev = ctx.partner_event(
        &actor,
        None,
        Action::PortalTokenCreated,
        id.as_str(),
        json!({"user_id": user.id, "expires_at": expires}),
    );
    db::batch(
        &ctx.db,
        vec![
            embed::insert_token(
                &ctx.db,
                &embed::NewPortalToken {
                    id: id.as_str(),
                    hash: &portal::token_hash(&secret),
                    user_id: &user.id,
                    partner_id: actor.partner_id.as_str(),
                    created_by: actor.user_id.as_str(),
                    api_key_id: &auth.credential.id,
                    created_at: &ctx.now.to_string(),
                    expires_at: &expires.to_string(),
                },
            )?,
            audit::append(&ctx.db, &ev)?,
        ],
    )
    .await?;
    json(201, &json!({"id": id, "token": secret, "user_id": user.id, "expires_at": expires}))
}

/// `POST /v1/portal-tokens/{id}/revoke` (API key only; an admin, the token's user or its minter):
/// the token stops working at once, and the switch-role sessions it started end.
pub async fn revoke(ctx: &Ctx, req: &mut Request, id: &str) -> Res {
    let actor = ctx.api_key_actor(req).await?;
    let token = embed::token(&ctx.db, actor.partner_id.as_str(), id).await?.or_not_found()?;
    portal::may_revoke_token(&actor, &token.user_id, &token.created_by)?;
    no_fields(&json_body(req).await?)?;
    if token.revoked_at.is_some() {
        return Err(ApiError::new(Code::CredentialAlreadyRevoked));
    }
    let ev = ctx.partner_event(&actor, None, Action::PortalTokenRevoked, &token.id, json!({"user_id": token.user_id}));
    let revoke = embed::revoke_token(&ctx.db, actor.partner_id.as_str(), &token.id, &ctx.now.to_string())?;
    let ended =
        db::sessions::revoke_credential(&ctx.db, &token.id, revoke, &ev, ctx.now, Code::CredentialAlreadyRevoked)
            .await?;
    crate::worker::remembered::forget_credentials_of(&actor.partner_id);
    json(200, &json!({"id": token.id, "revoked_at": ctx.now, "sessions_ended": ended}))
}

/// `GET /v1/cors-origins`: the browser origins your partner allows.
pub async fn origins(ctx: &Ctx, req: &Request) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    json(200, &json!({"origins": embed::origins(&ctx.db, actor.partner_id.as_str()).await?}))
}

/// `PUT /v1/cors-origins` `{origins: [...]}` (admin, API key only): replaces the allowed origins.
pub async fn set_origins(ctx: &Ctx, req: &mut Request) -> Res {
    let actor = ctx.api_key_actor(req).await?;
    actor.require(Ability::ManageApiKeys)?;
    let list = portal::decode_origins(&json_body(req).await?)?;
    let ev =
        ctx.partner_event(&actor, None, Action::OriginsChanged, actor.partner_id.as_str(), json!({"origins": list}));
    let mut stmts = embed::set_origins(&ctx.db, actor.partner_id.as_str(), &list)?;
    stmts.push(audit::append(&ctx.db, &ev)?);
    db::batch(&ctx.db, stmts).await?;
    crate::worker::remembered::forget_origins(actor.partner_id.as_str());
    json(200, &json!({"origins": list}))
}
