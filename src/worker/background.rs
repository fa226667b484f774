//! The Queue consumer and the Cron Trigger: each delivered message goes to its owner (the tracker,
//! the directory sync or the outbox's delivery), and every minute each sweeps what is due or stalled, and what is past its
//! retention is forgotten a chunk at a time.

use super::context::Ctx;
use super::db::Start;
use super::http::random_bytes;
use super::queue::Look;
use crate::error::ApiError;
use crate::ids::hex;
use crate::shard::DEFAULT_BINDING;
use worker::{event, Context, Env, MessageBatch, MessageExt, ScheduleContext, ScheduledEvent};

fn context(env: &Env, kind: &str) -> Result<Ctx, ApiError> {
    let id = random_bytes::<8>().map(|b| format!("{kind}_{}", hex(&b))).unwrap_or_else(|_| kind.to_string());
    Ctx::new(env, id, String::new(), super::db::Start::Primary)
}

#[event(queue)]
pub async fn queue(batch: MessageBatch<Look>, env: Env, _ctx: Context) -> worker::Result<()> {
    let mut ctx = context(&env, "queue").map_err(|e| worker::Error::RustError(e.message))?;
    // At most one sync step per invocation (each may take 20 subrequests and 23 D1 calls); the
    // others come back in the next batch.
    let mut synced = false;
    for m in batch.messages()? {
        // The message's shard (a name this deployment does not list: the default database).
        let shard = m.body().shard.as_deref().filter(|s| ctx.shards.knows(s)).unwrap_or(DEFAULT_BINDING);
        if let Err(e) = ctx.on_shard(shard, Start::Primary) {
            worker::console_error!("queue: shard {shard}: {}", e.message);
            m.retry();
            continue;
        }
        match m.body().kind.as_deref() {
            Some(super::directory::KIND) if synced => {
                m.retry();
                continue;
            }
            Some(super::directory::KIND) => {
                synced = true;
                super::directory::step(&ctx, &m.body().id).await;
            }
            Some(super::delivery::KIND) => super::delivery::attempt(&ctx, &m.body().id).await,
            _ => super::tracker::look(&ctx, &m.body().id).await,
        }
        m.ack();
    }
    Ok(())
}

#[event(scheduled)]
pub async fn scheduled(_e: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let Ok(mut ctx) = context(&env, "cron") else { return };
    // Every shard is swept in turn.
    let shards: Vec<String> = ctx.shards.bindings().iter().map(|b| b.to_string()).collect();
    for b in shards {
        if let Err(e) = ctx.on_shard(&b, Start::Primary) {
            worker::console_error!("cron: shard {b}: {}", e.message);
            continue;
        }
        super::tracker::sweep(&ctx).await;
        super::directory::sweep(&ctx).await;
        super::delivery::sweep(&ctx).await;
        forget_expired(&ctx).await;
    }
}

/// Deletes a chunk of what is past its retention (`sql::retention`): one small write a minute.
async fn forget_expired(ctx: &Ctx) {
    let purge = crate::sql::retention::purge_idempotency_keys(ctx.now, crate::sql::retention::SWEEP_CHUNK);
    let done = match super::db::prepared(&ctx.db, &purge) {
        Ok(s) => super::db::batch(&ctx.db, vec![s]).await.map(|_| ()),
        Err(e) => Err(e),
    };
    if let Err(e) = done {
        worker::console_warn!("retention sweep: {} {}", e.code, e.message);
    }
}
