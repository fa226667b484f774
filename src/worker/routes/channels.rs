//! The partner's message channels (admin): how consent links and verification codes reach its
//! customers. Secrets are write-only and sealed; a webhook's signing secret is made here and shown once.

use super::Res;
use crate::audit::Action;
use crate::delivery::{hint, ChannelInput, ChannelKind};
use crate::error::{ApiError, Code, OrCode};
use crate::partners::Ability;
use crate::worker::context::Ctx;
use crate::worker::db::{self, audit};
use crate::worker::http::{form_body, json, json_body, random_bytes};
use serde_json::{json, Value};
use worker::Request;

fn kind_of(kind: &str) -> Result<ChannelKind, ApiError> {
    ChannelKind::parse(kind).ok_or_else(|| ApiError::new(Code::RouteNotFound))
}

fn views(rows: Vec<db::channels::ChannelRow>) -> Value {
    let channels: Vec<Value> = rows
        .into_iter()
        .map(|r| {
            json!({"kind": r.kind, "config": serde_json::from_str::<Value>(&r.config).unwrap_or(Value::Null),
                   "secret_hint": r.secret_hint, "version": r.version, "set_by": r.set_by, "set_at": r.set_at})
        })
        .collect();
    json!({"channels": channels})
}

/// `GET /v1/message-channels` (admin): the partner's channels, secrets shown by their last four
/// characters only.
pub async fn list(ctx: &Ctx, req: &Request) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::ManageApiKeys)?;
    json(200, &views(db::channels::list(&ctx.db, &actor.partner_id).await?))
}

/// `PUT /v1/message-channels/{sms|email|webhook}` (admin, API key): sets or replaces a channel. The
/// secret is sealed before it is stored and never returned; a webhook's signing secret is made here
/// and returned this once (`signing_secret`).
pub async fn set(ctx: &Ctx, req: &mut Request, kind: &str) -> Res {
    let kind = kind_of(kind)?;
    let actor = ctx.api_key_actor(req).await?;
    actor.require(Ability::ManageApiKeys)?;
    let input = ChannelInput::decode(kind, &json_body(req).await?)?;
    let mut config = input.config_json();
    let (secret, shown_once, hinted) = match &input {
        ChannelInput::Sms { app_secret, .. } => (app_secret.clone(), None, hint(app_secret)),
        ChannelInput::Email { api_key, .. } => (api_key.clone(), None, hint(api_key)),
        ChannelInput::Webhook { .. } => {
            let secret = format!("whsec_{}", crate::ids::hex(&random_bytes::<32>()?));
            let key_id = format!("whk_{}", crate::ids::hex(&random_bytes::<8>()?));
            config["key_id"] = json!(key_id);
            (secret.clone(), Some(secret), key_id)
        }
    };
    let context = format!("channel:{}:{}", actor.partner_id.as_str(), kind.as_str());
    let sealed = ctx.vault()?.seal(random_bytes()?, &context, secret.as_bytes())?;
    let ev = ctx.partner_event(
        &actor,
        None,
        Action::MessageChannelSet,
        actor.partner_id.as_str(),
        json!({"kind": kind.as_str(), "config": config, "secret_hint": hinted}),
    );
    let at = ctx.now.to_string();
    let config_text = config.to_string();
    let set = db::channels::set(
        &ctx.db,
        &actor.partner_id,
        kind,
        &config_text,
        &sealed,
        &hinted,
        actor.user_id.as_str(),
        &at,
    )?;
    db::batch(&ctx.db, vec![set, audit::append(&ctx.db, &ev)?]).await?;
    let mut out = views(db::channels::list(&ctx.db, &actor.partner_id).await?);
    if let Some(s) = shown_once {
        out["signing_secret"] = json!(s);
    }
    json(200, &out)
}

/// `POST /v1/hooks/huawei-sms/{message id}/{token}`: Huawei Cloud's status report for one SMS (its
/// `statusCallback`). Unsigned, as Huawei sends it: the per-message token is the credential (anything
/// else is `not_found`). `DELIVRD` marks the message delivered; another final status, failed with it.
pub async fn sms_report(ctx: &Ctx, req: &mut Request, id: &str, token: &str) -> Res {
    if !crate::delivery::report_token_ok(ctx.session_secret()?, id, token) {
        return Err(ApiError::new(Code::NotFound));
    }
    let report = crate::delivery::read_report(&form_body(req).await?)?;
    let changed = db::batch(&ctx.db, vec![db::outbox::reported(&ctx.db, id, &report, ctx.now)?]).await?;
    json(200, &json!({"recorded": changed.first() == Some(&1)}))
}

/// `DELETE /v1/message-channels/{kind}` (admin, API key): removes a channel. Messages already queued
/// for it fail with the reason; new authorization requests need another channel.
pub async fn remove(ctx: &Ctx, req: &Request, kind: &str) -> Res {
    let kind = kind_of(kind)?;
    let actor = ctx.api_key_actor(req).await?;
    actor.require(Ability::ManageApiKeys)?;
    let ev = ctx.partner_event(
        &actor,
        None,
        Action::MessageChannelRemoved,
        actor.partner_id.as_str(),
        json!({"kind": kind.as_str()}),
    );
    let changed = db::batch(
        &ctx.db,
        vec![db::channels::remove(&ctx.db, &actor.partner_id, kind)?, audit::append_if_changed(&ctx.db, &ev)?],
    )
    .await?;
    (changed.first() == Some(&1)).then_some(()).or_not_found()?;
    json(200, &views(db::channels::list(&ctx.db, &actor.partner_id).await?))
}
