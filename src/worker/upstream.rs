//! Sends a prepared order to the configured upstream: the simulated Huawei Cloud (answers at once),
//! or Huawei Cloud itself (in the customer's account through the agency, signed, with the order's
//! `X-Client-Token`). What comes back: accepted (maybe still running: followed by the tracker) or
//! in doubt (sent without an answer: followed too, never reported lost or sent blindly again).

use super::context::{Acting, Ctx};
use super::db::huawei::TrackingRow;
use super::http::random_bytes;
use super::huawei::{in_account, record, InAccount, Who};
use super::outbound::send;
use crate::error::ApiError;
use crate::huawei::call::{build, Target};
use crate::huawei::config::{Endpoints, Upstream};
use crate::huawei::fault::Step;
use crate::huawei::track::{service_of, watch_of, Watch};
use crate::orders::{paid_at_once, project_id, without_password, Prepared};
use crate::tracking::{client_token, TrackState};
use crate::upstream::{Simulated, Upstream as _};
use serde_json::Value;

/// Signed in to the customer's account in `region` when the upstream is Huawei Cloud; `None` when
/// it is the simulation.
pub async fn account(ctx: &Ctx, a: &Acting, region: &str) -> Result<Option<InAccount>, ApiError> {
    match &ctx.upstream {
        Upstream::Simulated => Ok(None),
        Upstream::Huawei(ep) => Ok(Some(in_account(ctx, ep, &Who::of(a), region).await?)),
    }
}

/// Prices `prepared` with Huawei's inquiry for its exact configuration (BSS ratings, in the
/// customer's project). Any failure (no answer, a refusal, another currency) leaves the catalog's
/// price, and the quote says which priced it.
pub async fn price(ctx: &Ctx, acc: &mut InAccount, prepared: &mut Prepared, budget: Option<&crate::customers::Budget>) {
    let Upstream::Huawei(ep) = &ctx.upstream else { return };
    let (path, body) = crate::huawei::rating::inquiry(&prepared.draft, &acc.project);
    let target = Target { body: Some(&body), ..Target::new("POST", &ep.bss, path) };
    let Ok(call) = build(&target, &acc.credential, ctx.now) else { return };
    let reply = send(&call, ctx.upstream_timeout_ms).await;
    acc.calls.push(record("bss.rating", reply.as_ref(), ctx.now));
    let hours = crate::catalog::catalog().map(|c| c.hours_per_month).unwrap_or(730);
    let q = &mut prepared.quote;
    let total = reply
        .filter(|r| r.ok())
        .and_then(|r| crate::huawei::rating::total(&prepared.draft, &r.body, q.currency, hours));
    match total {
        Some(t) => q.priced_by_huawei(t, budget),
        None => worker::console_warn!("price inquiry: no usable answer; the catalog's price stands"),
    }
}

/// What the upstream did with an order.
pub enum Placed {
    /// Accepted: upstream's answer; `tracking` is the row to write when upstream still runs it.
    Accepted { request: Value, answer: Value, tracking: Option<TrackingRow> },
    /// Sent without an answer.
    InDoubt { request: Value, tracking: TrackingRow },
}

/// The order placed under Idempotency-Key `key`: `draft` is the stored draft (without secrets).
pub async fn send_order(
    ctx: &Ctx,
    a: &Acting,
    prepared: &Prepared,
    key: &str,
    draft: &Value,
    quote_id: Option<&str>,
    account: Option<InAccount>,
) -> Result<Placed, ApiError> {
    let facts = &a.customer.facts;
    let d = &prepared.draft;
    let (ep, acc) = match (&ctx.upstream, account) {
        (Upstream::Huawei(ep), Some(acc)) => (ep, acc),
        _ => {
            let request = prepared.request(&project_id(&facts.id, &d.region))?;
            let token = format!("{}:{}:{key}:{}", a.actor.partner_id, facts.id, ctx.now);
            let answer = Simulated.send(&request, &token, ctx.now).await.body;
            let request = serde_json::to_value(&request).map_err(|e| super::db::fault("encode request", e))?;
            return Ok(Placed::Accepted { request, answer, tracking: None });
        }
    };
    let request = prepared.request(&acc.project)?;
    let request_json = serde_json::to_value(&request).map_err(|e| super::db::fault("encode request", e))?;
    let token = client_token(a.actor.partner_id.as_str(), facts.id.as_str(), key);
    let service = service_of(&request.path);
    let reply = post(ctx, ep, &d.region, &request_json, &token, &acc.credential).await;
    let mut calls = acc.calls;
    calls.push(record(&format!("{service}.create"), reply.as_ref(), ctx.now));
    let paid = paid_at_once(d);
    let sealed =
        ctx.vault()?.seal(random_bytes()?, &format!("tracking:{token}"), request_json.to_string().as_bytes())?;
    let now = ctx.now.to_string();
    let row = |state: TrackState, answer: Option<&Value>, watch: Option<&Watch>| TrackingRow {
        id: token.clone(),
        partner_id: a.actor.partner_id.as_str().to_string(),
        customer_id: facts.id.as_str().to_string(),
        session_id: a.session.id.as_str().to_string(),
        placed_by: a.actor.user_id.as_str().to_string(),
        permission_id: a.report.relied_on.distributor_permission.as_ref().map(|p| p.as_str().to_string()),
        authorization_id: a.report.relied_on.authorization.as_ref().map(|p| p.as_str().to_string()),
        quote_id: quote_id.map(str::to_string),
        idempotency_key: key.to_string(),
        region: d.region.clone(),
        project_id: acc.project.clone(),
        path: request.path.clone(),
        paid: paid as i64,
        amount_minor: prepared.quote.total.minor,
        currency: prepared.quote.total.currency.as_str().to_string(),
        state: state.as_str().to_string(),
        watch: watch.and_then(|w| serde_json::to_string(w).ok()),
        order_id: answer.and_then(|a| a.get("order_id")).and_then(Value::as_str).map(str::to_string),
        draft: draft.to_string(),
        request_sealed: sealed.clone(),
        answer: answer.map(Value::to_string),
        error_code: None,
        reason: None,
        checks: 0,
        next_check_at: ctx.now.plus(crate::huawei::track::next_check_in(0)).to_string(),
        created_at: now.clone(),
        updated_at: now.clone(),
        calls: serde_json::to_string(&calls).unwrap_or_else(|_| "[]".into()),
    };
    let shown = without_password(&request_json);
    match reply {
        None => Ok(Placed::InDoubt { tracking: row(TrackState::InDoubt, None, None), request: shown }),
        Some(r) if r.ok() => {
            let watch = watch_of(&request.path, &r.body, paid);
            let tracking = (watch != Watch::Nothing).then(|| row(TrackState::Running, Some(&r.body), Some(&watch)));
            Ok(Placed::Accepted { request: shown, answer: r.body, tracking })
        }
        Some(r) => Err(r.into_result(Step::Other).err().unwrap_or_else(|| ApiError::new(crate::error::Code::Internal))),
    }
}

/// Sends the create `request` (`{method, path, body}` as the core built it) to its regional
/// endpoint, signed, with `X-Client-Token: token`.
pub async fn post(
    ctx: &Ctx,
    ep: &Endpoints,
    region: &str,
    request: &Value,
    token: &str,
    cred: &crate::huawei::call::Credential,
) -> Option<super::outbound::Reply> {
    let path = request.get("path").and_then(Value::as_str)?;
    let body = request.get("body")?;
    let base = ep.regional(service_of(path), region);
    let target = Target { body: Some(body), extra: &[("X-Client-Token", token)], ..Target::new("POST", &base, path) };
    send(&build(&target, cred, ctx.now).ok()?, ctx.upstream_timeout_ms).await
}

/// The statements recording a placement: the order (yearly/monthly), the spend it counts, the
/// resources provisioned. Used when upstream answers and when the tracker learns the answer later.
pub fn placement_writes(
    ctx: &Ctx,
    placed: &crate::orders::Placement,
    customer: &crate::ids::CustomerId,
    partner: &crate::ids::PartnerId,
    key: &str,
    draft: &Value,
) -> Result<Vec<worker::D1PreparedStatement>, ApiError> {
    let mut writes = Vec::new();
    if let Some(order) = &placed.order {
        writes.push(super::db::orders::insert(&ctx.db, order, key, draft)?);
    }
    if let Some((amount, freeze)) = placed.spend {
        writes.push(super::db::orders::spend(&ctx.db, customer, amount.minor, freeze)?);
    }
    for r in &placed.resources {
        writes.push(super::db::orders::insert_resource(&ctx.db, r, partner, key)?);
    }
    Ok(writes)
}

/// BSS: pay and cancel a customer order (the customer's temporary credential).
const PAY: &str = "/v3/orders/customer-orders/pay";
const CANCEL: &str = "/v2/orders/customer-orders/cancel";

fn bss<'a>(ep: &'a Endpoints, method: &'static str, path: &'a str, body: &'a Value) -> Target<'a> {
    Target { body: Some(body), ..Target::new(method, &ep.bss, path) }
}

/// How Huawei answered a BSS call on an existing order: accepted, or silent but the order's details
/// show `done` (the call went through).
async fn bss_call(
    ctx: &Ctx,
    ep: &Endpoints,
    cred: &crate::huawei::call::Credential,
    target: &Target<'_>,
    order_id: &str,
    done: fn(Option<i64>) -> bool,
    name: &str,
) -> Result<Vec<crate::tracking::UpstreamCall>, ApiError> {
    let reply = send(&build(target, cred, ctx.now)?, ctx.upstream_timeout_ms).await;
    let mut calls = vec![record(name, reply.as_ref(), ctx.now)];
    match reply {
        Some(r) => {
            r.into_result(Step::Other)?;
            Ok(calls)
        }
        None => {
            // No answer: the order's details tell whether it went through.
            let path = format!("/v2/orders/customer-orders/details/{order_id}");
            let details = super::huawei::get(ctx, &ep.bss, &path, &[], cred).await;
            calls.push(record("bss.order", details.as_ref(), ctx.now));
            let status =
                details.filter(|d| d.ok()).and_then(|d| d.body.pointer("/order_info/status").and_then(Value::as_i64));
            if done(status) {
                Ok(calls)
            } else {
                Err(super::huawei::silent(name))
            }
        }
    }
}

/// Pays a pending order upstream. Simulated: nothing to do (`None`: it completes at once). Huawei:
/// BSS `POST /v3/orders/customer-orders/pay`, then the order runs: the row the tracker follows.
pub async fn pay_order(
    ctx: &Ctx,
    a: &Acting,
    order: &super::db::orders::StoredOrder,
    draft: &crate::drafts::Draft,
) -> Result<Option<TrackingRow>, ApiError> {
    let Upstream::Huawei(ep) = &ctx.upstream else { return Ok(None) };
    let v = &order.view;
    let acc = in_account(ctx, ep, &Who::of(a), &v.region).await?;
    let body = serde_json::json!({"order_id": v.order_id, "use_coupon": "NO", "use_discount": "NO"});
    let paid = crate::orders::paid_upstream;
    let mut calls = acc.calls;
    calls.extend(bss_call(ctx, ep, &acc.credential, &bss(ep, "POST", PAY, &body), &v.order_id, paid, "bss.pay").await?);
    let path = crate::payloads::build(draft, &acc.project)?.path;
    let watch = match watch_of(&path, &order.upstream, true) {
        Watch::Nothing => Watch::Order { order_id: v.order_id.clone() },
        w => w,
    };
    let now = ctx.now.to_string();
    Ok(Some(TrackingRow {
        id: format!("pay-{}", v.order_id),
        partner_id: a.actor.partner_id.as_str().to_string(),
        customer_id: a.customer.facts.id.as_str().to_string(),
        session_id: a.session.id.as_str().to_string(),
        placed_by: a.actor.user_id.as_str().to_string(),
        permission_id: v.relied_on.distributor_permission.as_ref().map(|p| p.as_str().to_string()),
        authorization_id: v.relied_on.authorization.as_ref().map(|p| p.as_str().to_string()),
        quote_id: v.quote_id.clone(),
        idempotency_key: order.idempotency_key.clone(),
        region: v.region.clone(),
        project_id: acc.project.clone(),
        path,
        paid: 1,
        amount_minor: v.amount.minor,
        currency: v.amount.currency.as_str().to_string(),
        state: TrackState::Running.as_str().to_string(),
        watch: serde_json::to_string(&watch).ok(),
        order_id: Some(v.order_id.clone()),
        draft: order.draft.to_string(),
        request_sealed: String::new(),
        answer: Some(order.upstream.to_string()),
        error_code: None,
        reason: None,
        checks: 0,
        next_check_at: ctx.now.plus(crate::huawei::track::next_check_in(0)).to_string(),
        created_at: now.clone(),
        updated_at: now,
        calls: serde_json::to_string(&calls).unwrap_or_else(|_| "[]".into()),
    }))
}

/// Cancels a pending order upstream (Huawei: BSS `PUT /v2/orders/customer-orders/cancel`; simulated:
/// nothing to do).
pub async fn cancel_order(ctx: &Ctx, a: &Acting, order: &super::db::orders::StoredOrder) -> Result<(), ApiError> {
    let Upstream::Huawei(ep) = &ctx.upstream else { return Ok(()) };
    let v = &order.view;
    let acc = in_account(ctx, ep, &Who::of(a), &v.region).await?;
    let body = serde_json::json!({"order_id": v.order_id});
    let cancelled = |s: Option<i64>| s == Some(4);
    bss_call(ctx, ep, &acc.credential, &bss(ep, "PUT", CANCEL, &body), &v.order_id, cancelled, "bss.cancel").await?;
    Ok(())
}
