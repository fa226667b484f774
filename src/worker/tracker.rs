//! The tracker: follows requests sent to Huawei Cloud to their end on the platform's own background
//! machinery. A Queue consumer (`TRACKER`) takes one message per followed request and sends it
//! again, delayed, while the request is still open; a Cron Trigger sweeps the open requests that are
//! due (a lost message, a restart of the worker) so nothing is forgotten. Each look is one
//! `crate::tracking::step`, applied in one batch that holds only if no other look moved the request
//! first (`guard_unmoved`), so the queue and the sweep can never apply a step twice.

use super::context::Ctx;
use super::db::huawei::TrackingRow;
use super::db::{self, audit};
use super::huawei::{get, in_account, record, Who};
use super::queue::Look;
use crate::audit::Action;
use crate::catalog::catalog;
use crate::error::ApiError;
use crate::huawei::config::Upstream;
use crate::huawei::track::Watch;
use crate::ids::{CustomerId, PartnerId, SessionId, UserId};
use crate::money::{Currency, Money};
use crate::orders::{accepted_spend, finished_resources, placement, stored_draft, OrderStatus, Provenance, Sent};
use crate::time::Timestamp;
use crate::tracking::{step, Seen, Step, TrackState, UpstreamCall};
use serde_json::{json, Value};

/// Requests looked at per sweep (well within a Cron invocation's subrequests).
const SWEEP: i64 = 20;

/// Asks the queue to look at the followed request `id` in `delay` seconds. A failure is logged: the
/// sweep finds it.
pub async fn enqueue(ctx: &Ctx, id: &str, delay: i64) {
    super::queue::send(ctx, Look { id: id.to_string(), kind: None, shard: None }, delay).await
}

/// The Cron Trigger's part: every open request that is due gets a look.
pub async fn sweep(ctx: &Ctx) {
    match db::huawei::due(&ctx.db, &ctx.now.to_string(), SWEEP).await {
        Ok(ids) => {
            for id in ids {
                look(ctx, &id).await;
            }
        }
        Err(e) => worker::console_error!("tracker sweep: {}", e.message),
    }
}

/// One look at the followed request `id`, if it is open and due; then its next look is queued.
pub async fn look(ctx: &Ctx, id: &str) {
    match try_look(ctx, id).await {
        Ok(Some(at)) => {
            worker::console_log!("tracker {id}: next look at {at}");
            enqueue(ctx, id, at.unix() - ctx.now.unix()).await
        }
        Ok(None) => worker::console_log!("tracker {id}: nothing to do"),
        Err(e) => worker::console_warn!("tracker {id}: {} {}", e.code, e.message),
    }
}

async fn try_look(ctx: &Ctx, id: &str) -> Result<Option<Timestamp>, ApiError> {
    let Some(mut t) = db::huawei::tracking(&ctx.db, id).await? else { return Ok(None) };
    let state = t.state();
    if !state.open() {
        return Ok(None);
    }
    let due = Timestamp::parse(&t.next_check_at).unwrap_or(ctx.now);
    if due.unix() > ctx.now.unix() {
        return Ok(Some(due)); // early: look when due
    }
    let Upstream::Huawei(ep) = &ctx.upstream else { return Ok(None) };
    let ids = Ids::of(&t)?;
    let who =
        Who { partner: &ids.partner, user: &ids.user, customer: &ids.customer, session: &ids.session, until: ctx.now };
    let mut calls = t.calls();
    let acc = match in_account(ctx, ep, &who, &t.region).await {
        Ok(acc) => acc,
        Err(e) => {
            worker::console_warn!("tracker {id}: signing in: {}", e.code);
            return moved(ctx, &mut t, calls, Step::Wait(ctx.now.plus(60))).await;
        }
    };
    calls.extend(acc.calls.iter().cloned());
    let watch: Option<Watch> = t.watch.as_deref().and_then(|w| serde_json::from_str(w).ok());
    let (seen, call) = match (state, watch) {
        (TrackState::InDoubt, _) => {
            let plain = ctx.vault()?.open(&t.request_sealed, &format!("tracking:{}", t.id))?.unwrap_or_default();
            let request: Value = serde_json::from_slice(&plain).unwrap_or(Value::Null);
            let reply = super::upstream::post(ctx, ep, &t.region, &request, &t.id, &acc.credential).await;
            let name = format!("{}.create", crate::huawei::track::service_of(&t.path));
            let call = record(&name, reply.as_ref(), ctx.now);
            let seen = reply.map_or(Seen::Nothing, |r| Seen::Resent { status: r.status, body: r.body });
            (seen, call)
        }
        (_, Some(Watch::Job { service, job_id })) => {
            let path = format!("/v1/{}/jobs/{job_id}", t.project_id);
            let reply = get(ctx, &ep.regional(&service, &t.region), &path, &[], &acc.credential).await;
            let call = record(&format!("{service}.job"), reply.as_ref(), ctx.now);
            (reply.filter(|r| r.ok()).map_or(Seen::Nothing, |r| Seen::Job(r.body)), call)
        }
        (_, Some(Watch::Order { order_id })) => {
            let path = format!("/v2/orders/customer-orders/details/{order_id}");
            let reply = get(ctx, &ep.bss, &path, &[], &acc.credential).await;
            let call = record("bss.order", reply.as_ref(), ctx.now);
            (reply.filter(|r| r.ok()).map_or(Seen::Nothing, |r| Seen::Order(r.body)), call)
        }
        _ => (Seen::Nothing, record("none", None, ctx.now)),
    };
    calls.push(call);
    let next = step(state, &t.path, t.paid != 0, t.checks, seen, ctx.now);
    moved(ctx, &mut t, calls, next).await
}

/// The ids of a followed request, parsed.
struct Ids {
    partner: PartnerId,
    user: UserId,
    customer: CustomerId,
    session: SessionId,
}

impl Ids {
    fn of(t: &TrackingRow) -> Result<Self, ApiError> {
        Ok(Ids {
            partner: db::stored("partner id", PartnerId::parse(&t.partner_id))?,
            user: db::stored("user id", UserId::parse(&t.placed_by))?,
            customer: db::stored("customer id", CustomerId::parse(&t.customer_id))?,
            session: db::stored("session id", SessionId::parse(&t.session_id))?,
        })
    }
}

/// Applies `next` to `t` in one batch guarded by `t` being unmoved; the time of the next look, if any.
async fn moved(
    ctx: &Ctx,
    t: &mut TrackingRow,
    calls: Vec<UpstreamCall>,
    next: Step,
) -> Result<Option<Timestamp>, ApiError> {
    let before = t.clone();
    let ids = Ids::of(t)?;
    t.calls = serde_json::to_string(&calls).unwrap_or_else(|_| "[]".into());
    t.updated_at = ctx.now.to_string();
    t.checks += 1;
    let amount = Money::new(t.amount_minor, db::stored("currency", Currency::parse(&t.currency))?);
    let p = Provenance {
        partner_id: ids.partner.clone(),
        placed_by: ids.user.clone(),
        session_id: ids.session.clone(),
        relied_on: db::relied_on(t.permission_id.as_deref(), t.authorization_id.as_deref())?,
        quote_id: t.quote_id.clone(),
    };
    let draft_json: Value = serde_json::from_str(&t.draft).unwrap_or(Value::Null);
    let mut writes = Vec::new();
    let mut again = None;
    let last_request_id = calls.last().and_then(|c| c.request_id.clone());
    match next {
        Step::Wait(at) => {
            t.next_check_at = at.to_string();
            again = Some(at);
        }
        Step::Accepted { answer, watch } => {
            let draft = stored_draft(&draft_json, catalog()?)?;
            let running = watch != Watch::Nothing;
            let customer = db::customers::by_id(&ctx.db, &ids.customer).await?;
            // Upstream took the money: the spend is recorded as it is, freezing when it uses the budget up.
            let after = accepted_spend(customer.as_ref().and_then(|c| c.facts.budget.as_ref()), amount);
            let request = Value::Null;
            let sent = Sent { request, answer: &answer, running };
            let placed = placement(&draft, amount, after, &p, &sent, ctx.now)?;
            writes.extend(super::upstream::placement_writes(
                ctx,
                &placed,
                &ids.customer,
                &ids.partner,
                &t.idempotency_key,
                &draft_json,
            )?);
            let target = placed.order.as_ref().map_or(t.id.clone(), |o| o.view.order_id.clone());
            let ev = ctx.user_event(&ids.partner, &ids.user, &ids.customer, Action::OrderPlaced, &target, json!({
                "session_id": t.session_id, "resolved": "in_doubt", "placement_id": t.id, "huawei_request_id": last_request_id,
            }));
            writes.push(audit::append(&ctx.db, &ev)?);
            t.order_id = placed.order.as_ref().map(|o| o.view.order_id.clone());
            t.answer = Some(answer.to_string());
            t.watch = serde_json::to_string(&watch).ok();
            if running {
                t.state = TrackState::Running.as_str().into();
                let at = ctx.now.plus(crate::huawei::track::next_check_in(0));
                t.next_check_at = at.to_string();
                again = Some(at);
            } else {
                t.state = TrackState::Succeeded.as_str().into();
            }
        }
        Step::Finished { resource_ids } => {
            let draft = stored_draft(&draft_json, catalog()?)?;
            let answer: Value = t.answer.as_deref().and_then(|a| serde_json::from_str(a).ok()).unwrap_or(Value::Null);
            let rs = finished_resources(&draft, &answer, &resource_ids, &p, t.order_id.as_deref(), ctx.now);
            for r in &rs {
                writes.push(db::orders::insert_resource(&ctx.db, r, &ids.partner, &t.idempotency_key)?);
            }
            let ids_list: Vec<&str> = rs.iter().map(|r| r.resource_id.as_str()).collect();
            let (action, target) = match &t.order_id {
                Some(o) => {
                    writes.push(db::orders::set_status(
                        &ctx.db,
                        o,
                        OrderStatus::Processing,
                        OrderStatus::Completed,
                        None,
                    )?);
                    (Action::OrderCompleted, o.clone())
                }
                None => (Action::ResourcesEnabled, ids_list.first().map_or(t.id.clone(), |s| s.to_string())),
            };
            let ev = ctx.user_event(&ids.partner, &ids.user, &ids.customer, action, &target, json!({
                "session_id": t.session_id, "resources": ids_list, "placement_id": t.id, "huawei_request_id": last_request_id,
            }));
            writes.push(audit::append(&ctx.db, &ev)?);
            t.state = TrackState::Succeeded.as_str().into();
        }
        Step::Failed { code, reason } => {
            if let (Some(o), TrackState::Running) = (&t.order_id, before.state()) {
                writes.push(db::orders::set_status(&ctx.db, o, OrderStatus::Processing, OrderStatus::Cancelled, None)?);
                if t.paid != 0 {
                    // Nothing was provisioned: what was counted is given back.
                    writes.push(db::orders::spend(&ctx.db, &ids.customer, -t.amount_minor, false)?);
                }
            }
            let target = t.order_id.clone().unwrap_or_else(|| t.id.clone());
            let ev = ctx.user_event(&ids.partner, &ids.user, &ids.customer, Action::OrderFailed, &target, json!({
                "session_id": t.session_id, "placement_id": t.id, "huawei_code": code, "reason": reason, "huawei_request_id": last_request_id,
            }));
            writes.push(audit::append(&ctx.db, &ev)?);
            t.state = TrackState::Failed.as_str().into();
            t.error_code = code;
            t.reason = Some(reason);
        }
    }
    let mut stmts = vec![db::huawei::guard_unmoved(&ctx.db, &before)?];
    stmts.extend(writes);
    stmts.push(db::huawei::update_tracking(&ctx.db, t)?);
    stmts.push(db::stmt(&ctx.db, crate::sql::guards::CLEAR, Vec::new())?);
    db::batch(&ctx.db, stmts).await?;
    if let Err(e) = db::audit::seal_pending(&ctx.db).await {
        worker::console_warn!("tracker: sealing the audit chain: {}", e.message);
    }
    Ok(again)
}
