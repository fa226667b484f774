//! Delivering the outbox on the platform's own machinery: each recorded message gets a Queue message
//! (`kind: "message"`) once its batch has committed; the consumer makes one attempt per delivery
//! (`crate::delivery` decides what the answer means and when to try again) and queues the next one,
//! delayed. The Cron Trigger sweeps what is due (a lost queue message, a worker that died between
//! recording and sending, or mid-send once its lease ran out), so nothing recorded is lost.
//!
//! An attempt claims its message with a conditional write (due, and one more attempt), so the queue
//! and the sweep never attempt it twice at once; its outcome is recorded only if the message is
//! still that attempt's.

use super::context::Ctx;
use super::db;
use super::http::random_bytes;
use super::queue::Look;
use crate::delivery::{
    after_attempt, email_call, outcome, sms_call, webhook_call, Answer, ChannelKind, EmailConfig, Next, Outgoing,
    Policy, Sealed, SmsConfig, Via, WebhookConfig,
};
use crate::error::ApiError;
use crate::ids::MessageId;
use crate::outbox::Channel;

/// The queue message kind.
pub const KIND: &str = "message";

/// Messages looked at per sweep.
const SWEEP: i64 = 20;

/// Queues the first attempt of each message (after the batch recording them committed). A failure
/// is logged: the sweep finds the message.
pub async fn enqueue(ctx: &Ctx, ids: &[MessageId]) {
    for id in ids {
        super::queue::send(ctx, Look { id: id.as_str().to_string(), kind: Some(KIND.into()), shard: None }, 0).await;
    }
}

/// The Cron Trigger's part: every message that is due gets an attempt.
pub async fn sweep(ctx: &Ctx) {
    match db::outbox::due(&ctx.db, ctx.now, SWEEP).await {
        Ok(ids) => {
            for id in ids {
                attempt(ctx, &id).await;
            }
        }
        Err(e) => worker::console_error!("delivery sweep: {}", e.message),
    }
}

fn policy(ctx: &Ctx) -> Policy {
    let var = |n: &str| ctx.env.var(n).ok().map(|v| v.to_string());
    Policy::from_vars(var("DELIVERY_ATTEMPTS").as_deref(), var("DELIVERY_BACKOFF_S").as_deref())
}

fn timeout_ms(ctx: &Ctx) -> u64 {
    ctx.env
        .var("DELIVERY_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.to_string().parse().ok())
        .unwrap_or(10_000)
        .clamp(100, 30_000)
}

/// One attempt at message `id`, if it is due; a retry is queued for when it is due.
pub async fn attempt(ctx: &Ctx, id: &str) {
    match try_attempt(ctx, id).await {
        Ok(Some(Next::Retry { at, reason })) => {
            worker::console_warn!("delivery {id}: {reason}; next attempt at {at}");
            let look = Look { id: id.to_string(), kind: Some(KIND.into()), shard: None };
            super::queue::send(ctx, look, at.unix() - ctx.now.unix()).await
        }
        Ok(Some(Next::Failed { reason })) => worker::console_warn!("delivery {id}: failed: {reason}"),
        Ok(_) => {}
        Err(e) => worker::console_warn!("delivery {id}: {} {}", e.code, e.message),
    }
}

async fn try_attempt(ctx: &Ctx, id: &str) -> Result<Option<Next>, ApiError> {
    let lease = crate::delivery::lease_s(timeout_ms(ctx));
    let claim = db::outbox::claim(&ctx.db, id, ctx.now, ctx.now.plus(lease))?;
    let (changed, rs) = db::write_then_read(&ctx.db, vec![claim], vec![db::outbox::claimed_stmt(&ctx.db, id)?]).await?;
    let Some(m) = db::row::<db::outbox::Claimed>(db::only(&rs)?, "decode message")? else { return Ok(None) };
    if changed.first() != Some(&1) {
        // Not claimed: already final, another attempt has it, or not due yet. A queued message
        // delivered early (a queue that does not honour the delay) is looked at again when due.
        let due = m.next_attempt_at.as_deref().and_then(crate::time::Timestamp::parse);
        return Ok(match due {
            Some(at) if m.status == "queued" && at.unix() > ctx.now.unix() => {
                Some(Next::Retry { at, reason: "not due yet".into() })
            }
            _ => None,
        });
    }
    let next = match send(ctx, &m).await {
        Ok(answer) => {
            let via = Via::parse(&m.via).unwrap_or(Via::DevOutbox);
            let jitter = u32::from_le_bytes(random_bytes::<4>()?);
            after_attempt(&policy(ctx), m.attempts, outcome(via, &answer), ctx.now, jitter)
        }
        Err(reason) => Next::Failed { reason },
    };
    db::batch(&ctx.db, vec![db::outbox::record(&ctx.db, &m.id, m.attempts, &next, ctx.now)?]).await?;
    Ok(Some(next))
}

/// Sends a claimed message through its channel: the answer, or why it cannot be sent at all (the
/// channel was removed, its secret does not open: final).
async fn send(ctx: &Ctx, m: &db::outbox::Claimed) -> Result<Answer, String> {
    let via = Via::parse(&m.via).ok_or("unknown route")?;
    let kind: ChannelKind = via.channel().ok_or("a dev-outbox message is never sent")?;
    let partner = m.partner_id.as_deref().ok_or("the message names no partner")?;
    let vault = ctx.vault().map_err(|e| e.message)?;
    let channel_of_message = Channel::parse(&m.channel).ok_or("the message's channel is unknown")?;
    let sealed = m.sealed.as_deref().ok_or("the message's content is gone")?;
    let plain = vault
        .open(sealed, &format!("message:{}", m.id))
        .map_err(|e| e.message)?
        .ok_or("the message's content was sealed with a key this deployment no longer has")?;
    let content: Sealed = serde_json::from_slice(&plain).map_err(|_| "the message's content does not parse")?;
    let channel = db::channels::for_delivery(&ctx.db, partner, kind)
        .await
        .map_err(|e| e.message)?
        .ok_or_else(|| format!("the partner has no {} channel any more", kind.as_str()))?;
    let secret = vault
        .open(&channel.secret_sealed, &format!("channel:{partner}:{}", kind.as_str()))
        .map_err(|e| e.message)?
        .and_then(|s| String::from_utf8(s).ok())
        .ok_or("the channel's secret does not open")?;
    let out = Outgoing {
        id: &m.id,
        created_at: &m.created_at,
        channel: channel_of_message,
        recipient: &m.recipient,
        partner_id: partner,
        customer_id: m.customer_id.as_deref().unwrap_or(""),
        authorization_id: m.authorization_id.as_deref().unwrap_or(""),
        content: &content,
    };
    let bad = |_| format!("the stored {} channel does not parse", kind.as_str());
    let call = match kind {
        ChannelKind::Sms => {
            let cfg: SmsConfig = serde_json::from_str(&channel.config).map_err(bad)?;
            sms_call(&cfg, &secret, &out, content.status_callback.as_deref(), ctx.now).map_err(|e| e.message)?
        }
        ChannelKind::Email => {
            email_call(&serde_json::from_str::<EmailConfig>(&channel.config).map_err(bad)?, &secret, &out)
        }
        ChannelKind::Webhook => {
            webhook_call(&serde_json::from_str::<WebhookConfig>(&channel.config).map_err(bad)?, &secret, &out, ctx.now)
        }
    };
    Ok(match super::outbound::send(&call, timeout_ms(ctx)).await {
        Some(r) => {
            let retry_after = r.retry_after.as_deref().and_then(|s| s.trim().parse::<i64>().ok());
            Answer::Http { status: r.status, body: r.body, retry_after }
        }
        None => Answer::Silent(format!("no answer in {} ms or the connection failed", timeout_ms(ctx))),
    })
}
