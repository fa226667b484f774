//! Health, the caller's identity, the audit trail and the dev outbox.

use super::Res;
use crate::error::{Code, OrCode};
use crate::partners::Ability;
use crate::worker::context::Ctx;
use crate::worker::db;
use crate::worker::http::{json, limit_param, query};
use serde_json::json;
use worker::Request;

/// `GET /v1/health`: liveness, version and mode; no authentication.
pub fn health(ctx: &Ctx) -> Res {
    json(
        200,
        &json!({"status": "ok", "version": env!("CARGO_PKG_VERSION"), "mode": if ctx.dev { "development" } else { "production" }, "time": ctx.now}),
    )
}

/// `GET /v1/me`: the user behind the key, its partner and what its role allows.
pub async fn me(ctx: &Ctx, req: &Request) -> Res {
    let actor = ctx.actor(req).await?;
    let (user, partner) =
        db::partners::user_and_partner(&ctx.db, actor.user_id.as_str()).await?.or_code(Code::Unauthenticated)?;
    json(200, &json!({"user": user, "partner": partner, "role": actor.role, "abilities": actor.abilities()}))
}

/// `GET /v1/audit?customer_id=&limit=`: the partner's audit trail, newest first.
pub async fn audit(ctx: &Ctx, req: &Request) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    let limit = limit_param(req, 50, 500)?;
    let customer = query(req, "customer_id");
    let events = db::audit::list_for_partner(&ctx.db, actor.partner_id.as_str(), customer.as_deref(), limit).await?;
    json(200, &json!({"events": events}))
}

/// `GET /v1/dev/outbox?customer_id=&limit=`: recorded messages. Only routed in dev mode.
pub async fn outbox(ctx: &Ctx, req: &Request) -> Res {
    let limit = limit_param(req, 20, 200)?;
    let customer = query(req, "customer_id");
    let messages = db::outbox::recent(&ctx.db, customer.as_deref(), limit).await?;
    json(200, &json!({"messages": messages}))
}

/// `GET /v1/dev/tables`: row counts per table, so tests can prove a refused request changed nothing.
/// Only routed in dev mode.
pub async fn tables(ctx: &Ctx) -> Res {
    let counts = db::table_counts(&ctx.db).await?;
    json(200, &json!({"tables": counts}))
}

/// `GET /v1/audit/verify`: recomputes the audit hash chain (all partners' events, nothing returned
/// but the verdict) and names the first broken event.
pub async fn verify_audit(ctx: &Ctx, req: &Request) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    db::audit::seal_pending(&ctx.db).await?;
    json(200, &db::audit::verify(&ctx.db).await?)
}

/// `POST /v1/dev/ping` (dev mode): one trivial D1 insert, the baseline of the ordering benchmark.
pub async fn ping(ctx: &Ctx) -> Res {
    let st = db::stmt(
        &ctx.db,
        "INSERT INTO dev_pings (at, request_id) VALUES (?1, ?2)",
        crate::args![ctx.now.to_string(), ctx.request_id.as_str()],
    )?;
    db::batch(&ctx.db, vec![st]).await?;
    json(201, &json!({"ok": true}))
}

/// `GET /v1/dev/ping-read` (dev only): one trivial D1 read and nothing else, the baseline of the
/// round-trip bench (`scripts/bench-roundtrips.mjs`).
pub async fn ping_read(ctx: &Ctx) -> Res {
    crate::row! {
        struct One {
            one: i64,
        }
    }
    let row: Option<One> = db::first(&ctx.db, "SELECT 1 AS one", Vec::new()).await?;
    json(200, &json!({"one": row.map_or(0, |r| r.one)}))
}

/// `GET /v1/openapi.json`: the static asset `www/v1/openapi.json` (written at build time by
/// `onbehalf-openapi` from the same code), answered with the API's own headers; the worker does not
/// carry the document.
pub async fn openapi(ctx: &Ctx, req: &Request) -> Res {
    let assets = ctx.env.assets("ASSETS").map_err(|e| db::fault("ASSETS binding", e))?;
    let mut r = assets.fetch(req.inner().url(), None).await.map_err(|e| db::fault("openapi asset", e))?;
    if r.status_code() != 200 {
        return Err(db::fault("openapi", "www/v1/openapi.json is missing: build with `make worker`"));
    }
    let text = r.text().await.map_err(|e| db::fault("openapi asset", e))?;
    Ok(crate::worker::http::json_text(200, text))
}
