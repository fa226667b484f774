//! API keys of the partner's users (admins only). The secret is shown once, at creation.

use super::Res;
use crate::audit::Action;
use crate::decode::{no_fields, Decoder};
use crate::error::{ApiError, Code, OrCode};
use crate::ids::{ApiKeyId, UserId};
use crate::partners::{api_key_hash, api_key_secret, Ability};
use crate::worker::context::Ctx;
use crate::worker::db::{self, audit};
use crate::worker::http::{json, json_body, random_bytes};
use serde_json::json;
use worker::Request;

/// `GET /v1/api-keys`: the keys of the partner's users (metadata only).
pub async fn list(ctx: &Ctx, req: &Request) -> Res {
    let actor = ctx.api_key_actor(req).await?;
    actor.require(Ability::ManageApiKeys)?;
    let keys = db::keys::of_partner(&ctx.db, actor.partner_id.as_str()).await?;
    json(200, &json!({"api_keys": keys}))
}

/// `POST /v1/api-keys` `{user_id, label}`: a new key for a user of the same partner.
pub async fn create(ctx: &Ctx, req: &mut Request) -> Res {
    let actor = ctx.api_key_actor(req).await?;
    actor.require(Ability::ManageApiKeys)?;
    let body = json_body(req).await?;
    let (user_id, label) = Decoder::run(|d| {
        let mut o = d.object(&body, vec![])?;
        let user = d
            .required(&mut o, "user_id")
            .and_then(|(v, p)| d.parsed(v, &p, "a user id (usr_ + 24 hex)", UserId::parse));
        let label = d.required(&mut o, "label").and_then(|(v, p)| d.text(v, &p, 1, 64));
        d.close(o);
        Some((user?, label?))
    })?;
    let user = db::partners::user(&ctx.db, user_id.as_str()).await?;
    actor.require_own_user(user.as_ref().map(|u| u.partner_id.as_str()))?;
    let secret = api_key_secret(&random_bytes()?);
    let id = ApiKeyId::from_bytes(&random_bytes()?);
    let event = ctx.partner_event(
        &actor,
        None,
        Action::ApiKeyCreated,
        id.as_str(),
        json!({"user_id": user_id, "label": label}),
    );
    db::batch(
        &ctx.db,
        vec![
            db::keys::insert(&ctx.db, &id, user_id.as_str(), &api_key_hash(&secret), &label, &ctx.now.to_string())?,
            audit::append(&ctx.db, &event)?,
        ],
    )
    .await?;
    json(
        201,
        &json!({"id": id, "user_id": user_id, "label": label, "created_at": ctx.now, "key": secret,
                      "note": "Store this key now: it is shown only once."}),
    )
}

/// `POST /v1/api-keys/{id}/revoke`: the key stops working at once, so do the portal tokens it
/// minted, and the switch-role sessions either started end (in the same batch).
pub async fn revoke(ctx: &Ctx, req: &mut Request, id: &str) -> Res {
    let actor = ctx.api_key_actor(req).await?;
    // Visibility before role: a key of another partner is `not_found` whatever the caller's role.
    let key = db::keys::by_id(&ctx.db, actor.partner_id.as_str(), id).await?.or_not_found()?;
    actor.require(Ability::ManageApiKeys)?;
    no_fields(&json_body(req).await?)?;
    if key.revoked_at.is_some() {
        return Err(ApiError::new(Code::ApiKeyAlreadyRevoked));
    }
    let event = ctx.partner_event(&actor, None, Action::ApiKeyRevoked, &key.id, json!({"user_id": key.user_id}));
    let revoke = db::keys::revoke(&ctx.db, &key.id, &ctx.now.to_string())?;
    let ended =
        db::sessions::revoke_credential(&ctx.db, &key.id, revoke, &event, ctx.now, Code::ApiKeyAlreadyRevoked).await?;
    crate::worker::remembered::forget_credentials_of(&actor.partner_id);
    json(200, &json!({"id": key.id, "revoked_at": ctx.now, "sessions_ended": ended}))
}
