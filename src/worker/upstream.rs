//! Sends a prepared order to the configured upstream: the simulated Huawei Cloud (answers at once),
//! or Huawei Cloud itself (in the customer's account through the agency, signed, with the order's
//! `X-Client-Token`). What comes back: accepted (maybe still running: followed by the tracker) or
//! in doubt (sent without an answer: followed too, never reported lost or sent blindly again).

use super::context::{Acting, Ctx};
use super::db::huawei::TrackingRow;
use super::http::random_bytes;
use super::huawei::{in_account, record, send, Who};
use crate::error::ApiError;
use crate::huawei::call::{build, Target};
use crate::huawei::config::{Endpoints, Upstream};
use crate::huawei::fault::Step;
use crate::huawei::track::{service_of, watch_of, Watch};
use crate::orders::{paid_at_once, project_id, without_password, Prepared};
use crate::tracking::{client_token, TrackState};
use crate::upstream::{Simulated, Upstream as _};
use serde_json::Value;

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
) -> Result<Placed, ApiError> {
    let facts = &a.customer.facts;
    let d = &prepared.draft;
    let ep = match &ctx.upstream {
        Upstream::Simulated => {
            let request = prepared.request(&project_id(&facts.id, &d.region))?;
            let token = format!("{}:{}:{key}:{}", a.actor.partner_id, facts.id, ctx.now);
            let answer = Simulated.send(&request, &token, ctx.now).await.body;
            let request = serde_json::to_value(&request).map_err(|e| super::db::fault("encode request", e))?;
            return Ok(Placed::Accepted { request, answer, tracking: None });
        }
        Upstream::Huawei(ep) => ep,
    };
    let who = Who {
        partner: &a.actor.partner_id,
        user: &a.actor.user_id,
        customer: &facts.id,
        session: &a.session.id,
        until: a.session.expires_at,
    };
    let acc = in_account(ctx, ep, &who, &d.region).await?;
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
) -> Option<super::huawei::Reply> {
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
