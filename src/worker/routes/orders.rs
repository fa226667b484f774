//! Orders placed on behalf (place, pay, cancel), Customer Orders, View Resources and the ledger.
//! Every order comes back as the core's `OrderView`, every resource as its `Resource`.

use super::Res;
use crate::audit::Action;
use crate::catalog::catalog;
use crate::decode::{no_fields, Decoder};
use crate::error::{path, ApiError, Code, OrCode};
use crate::idempotency::{self, Decision};
use crate::ids::CustomerId;
use crate::money::Money;
use crate::orders::OrderFilter;
use crate::orders::{budget_gate, ledger as merge_ledger, placement, prepare, resources};
use crate::orders::{OrderRequest, OrderStatus, Provenance, Sent};
use crate::partners::Ability;
use crate::quotes::{without_secrets, QuoteCustomer};
use crate::sql;
use crate::worker::context::{Acting, Ctx};
use crate::worker::db::{self, audit};
use crate::worker::http::{choice_param, json, json_body, json_text, limit_param, query, time_param};
use crate::worker::tracker::enqueue;
use crate::worker::upstream::{account, cancel_order, pay_order, placement_writes, price, send_order, Placed};
use serde_json::{json, Value};
use worker::Request;

/// `POST /v1/orders` (session; `Idempotency-Key` required): re-checks prerequisites and budget
/// before any write, sends the exact Huawei request upstream, records the order (yearly/monthly)
/// or the resources (pay-per-use). The same key and body replay the first answer.
pub async fn place(ctx: &Ctx, req: &mut Request) -> Res {
    ctx.session_id(req)?;
    let key = idempotency::key(req.headers().get("Idempotency-Key").ok().flatten().as_deref())?;
    let body = json_body(req).await?;
    let fp = idempotency::fingerprint(&body);
    // A quote the order cites is read with the rest (the body is decoded for real in `execute`).
    let cites = match OrderRequest::decode(&body) {
        Ok(OrderRequest::Quoted { quote_id, .. }) => Some(quote_id),
        _ => None,
    };
    // One round trip: the key is claimed (or what it holds read) with the session's re-check.
    let (acting, rs) = ctx
        .acting_with(req, |sid| {
            let mut first = vec![
                db::idempotency::claim_for_session(&ctx.db, sid, &key, &fp, ctx.now)?,
                db::idempotency::stored_for_session(&ctx.db, sid, &key)?,
            ];
            if let Some(q) = &cites {
                first.push(db::quotes::of_session_partner(&ctx.db, sid, q)?);
            }
            Ok(first)
        })
        .await?;
    let (claim, stored) = match rs.as_slice() {
        [claim, stored, ..] => (claim, stored),
        _ => return Err(db::fault("order batch", "wrong number of results")),
    };
    let cited = match (&cites, rs.get(2)) {
        (Some(id), Some(r)) => Some((id.clone(), db::quotes::read_quote(r)?)),
        _ => None,
    };
    let took = db::idempotency::claimed(claim);
    let a = match acting {
        Ok(a) => a,
        Err(e) => {
            if took {
                // The re-check refused: nothing was tried, so the key is given back.
                let sid = ctx.session_id(req)?;
                db::batch(&ctx.db, vec![db::idempotency::release_for_session(&ctx.db, &sid, &key)?]).await?;
            }
            return Err(e);
        }
    };
    let (partner, customer) = (&a.actor.partner_id, &a.customer.facts.id);
    if !took {
        let stored = db::idempotency::read_stored(stored)?.or_code(Code::IdempotencyKeyInFlight)?;
        let Decision::Replay { status, body } = idempotency::decide(&stored, &fp)?;
        let mut r = json_text(status, body);
        let _ = r.headers_mut().set("Idempotency-Replayed", "true");
        return Ok(r);
    }
    let e = match execute(ctx, &a, &body, &key, cited).await {
        Ok(r) => return Ok(r),
        Err(e) => e,
    };
    // Nothing was written: forget the key so a corrected request can use it, and audit the refusal.
    let ev = ctx.partner_event(
        &a.actor,
        Some(customer),
        Action::OrderRefused,
        &key,
        json!({"code": e.code, "session_id": a.session.id,
               "huawei_request_id": e.data.as_deref().and_then(|d| d.get("huawei_request_id")).cloned()}),
    );
    let release = db::idempotency::release(&ctx.db, partner, customer, &key)?;
    db::batch(&ctx.db, vec![release, audit::append(&ctx.db, &ev)?]).await?;
    Err(e)
}

fn provenance(a: &Acting, quote_id: Option<String>) -> Provenance {
    Provenance {
        partner_id: a.actor.partner_id.clone(),
        placed_by: a.actor.user_id.clone(),
        session_id: a.session.id.clone(),
        relied_on: a.report.relied_on.clone(),
        quote_id,
    }
}

/// The quote an order cites as read with the session (`None` when the body cites none).
type Cited = Option<(crate::ids::QuoteId, Option<crate::quotes::StoredQuote>)>;

async fn execute(ctx: &Ctx, a: &Acting, body: &Value, key: &str, read: Cited) -> Res {
    let (draft_json, cited) = match OrderRequest::decode(body)? {
        OrderRequest::Draft(draft) => (draft, None),
        OrderRequest::Quoted { quote_id, password } => {
            let q = match read {
                Some((id, q)) if id == quote_id => q,
                _ => db::quotes::by_id(&ctx.db, a.actor.partner_id.as_str(), &quote_id).await?,
            }
            .or_not_found()?;
            (q.draft_to_order(password, ctx.now)?, Some(q))
        }
    };
    let facts = &a.customer.facts;
    let customer = QuoteCustomer { id: facts.id.clone(), budget: facts.budget.clone() };
    let mut prepared = prepare(&draft_json, catalog()?, &customer, cited.as_ref())?;
    // Huawei Cloud: signed in to the customer's account first; it prices the exact configuration
    // (a cited quote keeps its price).
    let mut account = account(ctx, a, &prepared.draft.region).await?;
    if let (Some(acc), None) = (account.as_mut(), &cited) {
        price(ctx, acc, &mut prepared, facts.budget.as_ref()).await;
    }
    let (draft, quote) = (&prepared.draft, &prepared.quote);
    let after = budget_gate(facts.budget.as_ref(), quote.total)?;
    let stored = without_secrets(&draft_json);
    let quote_id = cited.map(|q| q.id.as_str().to_string());
    let p = provenance(a, quote_id.clone());
    let (request_json, answer, tracking) =
        match send_order(ctx, a, &prepared, key, &stored, quote_id.as_deref(), account).await? {
            Placed::Accepted { request, answer, tracking } => (request, answer, tracking),
            Placed::InDoubt { request, tracking } => return in_doubt(ctx, a, key, quote, request, tracking).await,
        };
    let sent = Sent { request: request_json.clone(), answer: &answer, running: tracking.is_some() };
    let placed = placement(draft, quote.total, after, &p, &sent, ctx.now)?;
    // The write holds what the re-check read: the session is live, the customer not frozen, the
    // grants relied on not revoked, and the budget has room for the spend.
    let mut guards = sql::guards::acting(&a.session.id, &facts.id, &a.report.relied_on);
    if let Some((amount, _)) = placed.spend {
        guards.push(sql::guards::budget(&facts.id, amount.minor));
    }
    let mut writes = placement_writes(ctx, &placed, &facts.id, &p.partner_id, key, &stored)?;
    let ids: Vec<&str> = placed.resources.iter().map(|r| r.resource_id.as_str()).collect();
    let ev = match &placed.order {
        Some(o) => ctx.partner_event(
            &a.actor,
            Some(&facts.id),
            Action::OrderPlaced,
            &o.view.order_id,
            json!({"session_id": p.session_id, "status": o.view.status, "amount": o.view.amount, "relied_on": p.relied_on,
                   "placement_id": tracking.as_ref().map(|t| &t.id)}),
        ),
        None => ctx.partner_event(
            &a.actor,
            Some(&facts.id),
            Action::ResourcesEnabled,
            ids.first().copied().or(tracking.as_ref().map(|t| t.id.as_str())).unwrap_or_default(),
            json!({"session_id": p.session_id, "resources": ids, "hourly": quote.hourly, "relied_on": p.relied_on,
                   "placement_id": tracking.as_ref().map(|t| &t.id)}),
        ),
    };
    writes.push(audit::append(&ctx.db, &ev)?);
    if let Some(t) = &tracking {
        writes.push(db::huawei::insert_tracking(&ctx.db, t)?);
    }
    // 201 when done; 202 while Huawei still runs it (the tracker finishes it; follow `tracking`).
    let status = if tracking.is_some() { 202 } else { 201 };
    let text = json!({
        "order": placed.order.as_ref().map(|o| &o.view),
        "resources": placed.resources,
        "quote": quote,
        "request": request_json,
        "upstream": answer,
        "tracking": tracking.as_ref().map(db::huawei::TrackingRow::view),
    })
    .to_string();
    writes.push(db::idempotency::finish(&ctx.db, &p.partner_id, &facts.id, key, status, &text)?);
    if let Err(e) = db::guarded(&ctx.db, guards, writes).await {
        return Err(budget_or(ctx, &facts.id, quote.total, e).await);
    }
    if let Some(t) = &tracking {
        enqueue(ctx, &t.id, crate::huawei::track::next_check_in(0)).await;
    }
    Ok(json_text(status, text))
}

/// Sent to Huawei without an answer: the order is in doubt. Recorded (202, with the followed
/// request), never reported lost; the tracker sends the same request again (the same
/// `X-Client-Token`) and records what Huawei did. The same Idempotency-Key replays this answer.
async fn in_doubt(
    ctx: &Ctx,
    a: &Acting,
    key: &str,
    quote: &crate::quotes::Quote,
    request: Value,
    tracking: db::huawei::TrackingRow,
) -> Res {
    let cid = &a.customer.facts.id;
    let ev = ctx.partner_event(
        &a.actor,
        Some(cid),
        Action::OrderInDoubt,
        &tracking.id,
        json!({"session_id": a.session.id, "placement_id": tracking.id, "calls": tracking.calls()}),
    );
    let text = json!({
        "order": null, "resources": [], "quote": quote, "request": request, "upstream": null,
        "tracking": tracking.view(),
    })
    .to_string();
    let writes = vec![
        db::huawei::insert_tracking(&ctx.db, &tracking)?,
        audit::append(&ctx.db, &ev)?,
        db::idempotency::finish(&ctx.db, &a.actor.partner_id, cid, key, 202, &text)?,
    ];
    db::batch(&ctx.db, writes).await?;
    enqueue(ctx, &tracking.id, crate::huawei::track::next_check_in(0)).await;
    Ok(json_text(202, text))
}

/// `POST /v1/orders/{id}/pay` (session): pays an order pending payment; budget re-checked; completes
/// it. The write holds every precondition: the order is still pending (a concurrent cancel wins or
/// loses as a whole), the budget has room, the session and its grants still hold.
pub async fn pay(ctx: &Ctx, req: &mut Request, id: &str) -> Res {
    let (a, order) = acting_on_order(ctx, req, id).await?;
    let cid = &a.customer.facts.id;
    no_fields(&json_body(req).await?)?;
    let (from, amount) = (order.view.status, order.view.amount);
    crate::orders::pay(from, false)?;
    let after = budget_gate(a.customer.facts.budget.as_ref(), amount)?;
    let draft = crate::orders::stored_draft(&order.draft, catalog()?)?;
    // Huawei: BSS pays it, then it runs (the tracker completes it); simulated: completes at once.
    let tracking = pay_order(ctx, &a, &order, &draft).await?;
    let to = crate::orders::pay(from, tracking.is_some())?;
    let p = provenance(&a, order.view.quote_id.clone());
    let rs = if tracking.is_some() { Vec::new() } else { resources(&draft, &order.upstream, &p, Some(id), ctx.now) };
    let ev = ctx.partner_event(
        &a.actor,
        Some(cid),
        Action::OrderPaid,
        id,
        json!({"session_id": a.session.id, "amount": amount}),
    );
    let mut guards = vec![sql::guards::order_pending(id)];
    guards.extend(sql::guards::acting(&a.session.id, cid, &a.report.relied_on));
    guards.push(sql::guards::budget(cid, amount.minor));
    let mut writes = vec![
        db::orders::set_status(&ctx.db, id, from, to, Some(ctx.now))?,
        audit::append(&ctx.db, &ev)?,
        db::orders::spend(&ctx.db, cid, amount.minor, after.is_some_and(|(_, freeze)| freeze))?,
    ];
    for r in &rs {
        writes.push(db::orders::insert_resource(&ctx.db, r, &p.partner_id, &order.idempotency_key)?);
    }
    if let Some(t) = &tracking {
        writes.push(db::huawei::insert_tracking(&ctx.db, t)?);
    }
    let read = db::orders::of_session(&ctx.db, &a.session.id, id)?;
    let rs = match db::guarded_then(&ctx.db, guards, writes, vec![read]).await {
        Ok((_, rs)) => rs,
        Err(e) => return Err(budget_or(ctx, cid, amount, e).await),
    };
    if let Some(t) = &tracking {
        enqueue(ctx, &t.id, crate::huawei::track::next_check_in(0)).await;
    }
    shown(&rs)
}

/// `POST /v1/orders/{id}/cancel` (session): cancels an order pending payment. A cancelled order costs
/// nothing: the write succeeds only if the order is still pending, so a concurrent payment either
/// happened first (and cancel is refused) or not at all.
pub async fn cancel(ctx: &Ctx, req: &mut Request, id: &str) -> Res {
    let (a, order) = acting_on_order(ctx, req, id).await?;
    let cid = &a.customer.facts.id;
    no_fields(&json_body(req).await?)?;
    let from = order.view.status;
    let to = crate::orders::cancel(from)?;
    cancel_order(ctx, &a, &order).await?;
    let ev = ctx.partner_event(&a.actor, Some(cid), Action::OrderCancelled, id, json!({"session_id": a.session.id}));
    let mut guards = vec![sql::guards::order_pending(id)];
    guards.extend(sql::guards::acting(&a.session.id, cid, &a.report.relied_on));
    let writes = vec![db::orders::set_status(&ctx.db, id, from, to, None)?, audit::append(&ctx.db, &ev)?];
    let read = db::orders::of_session(&ctx.db, &a.session.id, id)?;
    let (_, rs) = db::guarded_then(&ctx.db, guards, writes, vec![read]).await?;
    shown(&rs)
}

/// The session's re-check and its order `id`, in one round trip.
async fn acting_on_order(ctx: &Ctx, req: &Request, id: &str) -> Result<(Acting, db::orders::StoredOrder), ApiError> {
    let (a, rs) = ctx.acting_with(req, |sid| Ok(vec![db::orders::of_session(&ctx.db, sid, id)?])).await?;
    let a = a?;
    let order = db::orders::read_order(db::only(&rs)?)?.or_not_found()?;
    Ok((a, order))
}

/// The order as read back by the write's own batch.
fn shown(rs: &[crate::worker::db::StatementResult]) -> Res {
    let order = db::orders::read_order(db::only(rs)?)?.or_not_found()?;
    json(200, &order.view)
}

/// After a failed write batch: when the budget guard failed (a concurrent order spent the room
/// first), the budget refusal with its figures as the budget is now; else the original error.
async fn budget_or(ctx: &Ctx, customer: &CustomerId, amount: Money, e: ApiError) -> ApiError {
    if e.code != Code::BudgetWouldBeExceeded {
        return e;
    }
    match db::customers::by_id(&ctx.db, customer).await {
        Ok(Some(c)) => budget_gate(c.facts.budget.as_ref(), amount).err().unwrap_or(e),
        _ => e,
    }
}

/// `GET /v1/orders?customer_id=&status=&service_type_code=&created_from=&created_to=&order_id=&limit=`:
/// Customer Orders, the yearly/monthly orders your partner placed on behalf, newest first.
pub async fn list(ctx: &Ctx, req: &Request) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    let f = filter(req, 50)?;
    let orders = db::orders::list(&ctx.db, &actor.partner_id, &f).await?;
    json(200, &json!({"orders": orders}))
}

/// Customer Orders' filters from the query string (`customer_id`, `status`, `service_type_code`,
/// `created_from`, `created_to`, `order_id`, `limit` up to 100).
pub fn filter(req: &Request, default_limit: i64) -> Result<OrderFilter, ApiError> {
    let limit = limit_param(req, default_limit, 100)?;
    Decoder::run(|d| {
        let status = query(req, "status").and_then(|s| match s.parse().ok().and_then(OrderStatus::from_code) {
            Some(st) => Some(st.code()),
            None => {
                d.error(path(&["status"]), Code::InvalidValue, "One of 3, 4, 5, 6.");
                None
            }
        });
        Some(OrderFilter {
            customer_id: query(req, "customer_id"),
            status,
            service_type_code: query(req, "service_type_code"),
            created_from: time_param(req, d, "created_from"),
            created_to: time_param(req, d, "created_to"),
            order_id: query(req, "order_id"),
            limit,
        })
    })
}

/// `GET /v1/customers/{id}/resources?billing=pay_per_use|yearly_monthly`: View Resources.
pub async fn resources_of_customer(ctx: &Ctx, req: &Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    let billing = choice_param(req, "billing", crate::orders::BILLINGS)?;
    let (_, results) = ctx
        .visible_customer_with(&actor, id, |cid| {
            Ok(vec![db::orders::resources_stmt(&ctx.db, &actor.partner_id, cid, billing.as_deref())?])
        })
        .await?;
    let rows = db::orders::read_resources(db::only(&results)?)?;
    json(200, &json!({"resources": rows}))
}

/// `GET /v1/ledger?customer_id=&limit=`: orders and pay-per-use enablements across customers in one
/// list, newest first, each with who placed it, under which session and grants.
pub async fn ledger(ctx: &Ctx, req: &Request) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    let limit = limit_param(req, 50, 200)?;
    let customer = query(req, "customer_id");
    let f = OrderFilter { customer_id: customer.clone(), limit, ..Default::default() };
    // Both lists in one round trip.
    let rs = db::batch_results(
        &ctx.db,
        vec![
            db::orders::list_stmt(&ctx.db, &actor.partner_id, &f)?,
            db::orders::enablements(&ctx.db, &actor.partner_id, customer.as_deref(), limit)?,
        ],
    )
    .await?;
    let [orders, enablements] = rs.as_slice() else { return Err(db::fault("ledger batch", "wrong number of results")) };
    let (orders, enablements) = (db::orders::read_orders(orders)?, db::orders::read_enablements(enablements)?);
    json(200, &json!({"entries": merge_ledger(orders, enablements, limit as usize)}))
}
