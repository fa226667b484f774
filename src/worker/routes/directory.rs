//! `POST /v1/customers/sync` (admin: sync the customer directory from Huawei Cloud now, or join the
//! running sync) and `GET /v1/customers/sync` (the running run and the latest ones: progress, counts,
//! last error, when it finished).

use super::Res;
use crate::audit::Action;
use crate::partners::Ability;
use crate::worker::context::Ctx;
use crate::worker::db;
use crate::worker::http::{json, json_body};
use serde_json::json;
use worker::Request;

pub async fn start(ctx: &Ctx, req: &mut Request) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::SyncDirectory)?;
    crate::decode::no_fields(&json_body(req).await?)?;
    let ev = ctx.partner_event(&actor, None, Action::DirectorySyncStarted, "", json!({"trigger": "api"}));
    let run = crate::worker::directory::start(ctx, &actor.partner_id, "api", Some((&actor.user_id, ev))).await?;
    json(202, &json!({"sync": run}))
}

pub async fn show(ctx: &Ctx, req: &Request) -> Res {
    let actor = ctx.actor(req).await?;
    let recent = db::directory::recent(&ctx.db, &actor.partner_id, 10).await?;
    let running = recent.iter().find(|r| r.state == crate::directory::RunState::Running).cloned();
    let last = recent.iter().find(|r| r.finished_at.is_some()).cloned();
    json(200, &json!({"running": running, "last_finished": last, "recent": recent}))
}
