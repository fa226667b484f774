//! The Queue consumer and the Cron Trigger: each delivered message goes to its owner (the tracker
//! or the directory sync), and every minute both sweep what is due or stalled.

use super::context::Ctx;
use super::http::random_bytes;
use super::queue::Look;
use crate::error::ApiError;
use crate::ids::hex;
use worker::{event, Context, Env, MessageBatch, MessageExt, ScheduleContext, ScheduledEvent};

fn context(env: &Env, kind: &str) -> Result<Ctx, ApiError> {
    let id = random_bytes::<8>().map(|b| format!("{kind}_{}", hex(&b))).unwrap_or_else(|_| kind.to_string());
    Ctx::new(env, id, String::new(), super::db::Start::Primary)
}

#[event(queue)]
pub async fn queue(batch: MessageBatch<Look>, env: Env, _ctx: Context) -> worker::Result<()> {
    let ctx = context(&env, "queue").map_err(|e| worker::Error::RustError(e.message))?;
    // At most one sync step per invocation (each may take 20 subrequests and 23 D1 calls); the
    // others come back in the next batch.
    let mut synced = false;
    for m in batch.messages()? {
        match m.body().kind.as_deref() {
            Some(super::directory::KIND) if synced => {
                m.retry();
                continue;
            }
            Some(super::directory::KIND) => {
                synced = true;
                super::directory::step(&ctx, &m.body().id).await;
            }
            _ => super::tracker::look(&ctx, &m.body().id).await,
        }
        m.ack();
    }
    Ok(())
}

#[event(scheduled)]
pub async fn scheduled(_e: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let Ok(ctx) = context(&env, "cron") else { return };
    super::tracker::sweep(&ctx).await;
    super::directory::sweep(&ctx).await;
}
