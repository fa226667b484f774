//! The one Queue (`TRACKER`) the background work shares: its message names a followed request (the
//! tracker's) or a directory sync run; `background` hands each delivered message to its owner.

use super::context::Ctx;
use worker::MessageBuilder;

/// The queue binding (wrangler.toml).
pub const QUEUE: &str = "TRACKER";

/// A queue message. (A struct, not a `serde_json::Value`: a Value's map would cross into
/// JavaScript as a `Map`, which the queue's JSON encoding drops.) `kind` is absent for a followed
/// request (the tracker's), `sync` for a step of a directory sync run `id`.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Look {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The shard (D1 binding) the request or run lives in; set by [`send`] from the sender's
    /// context (absent: the default database, as in messages sent before shards).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
}

/// Sends `m` to the queue, delivered in `delay` seconds (at most 15 min). A failure is logged: the
/// Cron Trigger's sweeps find what a lost message left.
pub async fn send(ctx: &Ctx, mut m: Look, delay: i64) {
    let id = m.id.clone();
    m.shard = (ctx.binding != crate::shard::DEFAULT_BINDING).then(|| ctx.binding.clone());
    let sent = match ctx.env.queue(QUEUE) {
        Ok(q) => q.send(MessageBuilder::new(m).delay_seconds(delay.clamp(0, 900) as u32).build()).await,
        Err(e) => Err(e),
    };
    if let Err(e) = sent {
        worker::console_warn!("queue: send {id}: {e}");
    }
}
