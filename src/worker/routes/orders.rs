//! Switch role (sessions), orders placed on behalf, Customer Orders and View Resources.

use super::customers::{prerequisite_input, visible_customer};
use super::Res;
use crate::audit::Action;
use crate::catalog::catalog;
use crate::customers::Customer;
use crate::decode::{no_fields, Decoder, Obj};
use crate::drafts::validate;
use crate::error::{ApiError, Code, Path};
use crate::idempotency::{self, Decision};
use crate::ids::{QuoteId, SessionId};
use crate::orders::{budget_gate, placement, project_id, resources, OrderStatus, Provenance};
use crate::partners::{Ability, Actor};
use crate::prerequisites::{check, Report};
use crate::quotes::{quote, without_secrets, QuoteCustomer};
use crate::sessions::{self, Session, StartRequest};
use crate::sql;
use crate::upstream::{Simulated, Upstream};
use crate::worker::db::{self, audit, orders as store};
use crate::worker::http::{json, json_body, json_text, query, random_bytes, Ctx};
use serde_json::{json, Value};
use worker::Request;

fn secret(ctx: &Ctx) -> Result<&[u8], ApiError> {
    ctx.session_secret.as_deref().ok_or_else(|| db::fault("sessions", "SESSION_SECRET is not set (at least 32 bytes)"))
}

/// `POST /v1/customers/{id}/sessions` `{minutes?}`: the "OK" of the confirm dialog. Starts acting as
/// the customer when the prerequisite check passes (else 403 with the report, audited as refused).
pub async fn start(ctx: &Ctx, req: &mut Request, id: &str) -> Res {
    let auth = ctx.credential(req).await?;
    let actor = auth.actor.clone();
    let secret = secret(ctx)?.to_vec();
    let customer = visible_customer(ctx, &actor, id).await?;
    let ask = StartRequest::decode(&json_body(req).await?)?;
    let input = prerequisite_input(ctx, &actor, &customer).await?;
    let report = check(&actor, &customer.facts, &input.distributor_permissions, &input.authorizations, ctx.now);
    let sid = SessionId::from_bytes(&random_bytes()?);
    let session = match Session::start(sid, &report, ask, auth.credential.clone(), auth.expires_at, ctx.now) {
        Ok(s) => s,
        Err(e) => {
            let ev = ctx.partner_event(
                &actor,
                Some(&customer.facts.id),
                Action::SessionRefused,
                customer.facts.id.as_str(),
                json!({"blocking": report.blocking}),
            );
            db::batch(&ctx.db, vec![audit::append(&ctx.db, &ev)?]).await?;
            return Err(e);
        }
    };
    let token = sessions::token(&secret, &session.id).ok_or_else(|| db::fault("sessions", "unusable secret"))?;
    let ev = ctx.partner_event(
        &actor,
        Some(&customer.facts.id),
        Action::SessionStarted,
        session.id.as_str(),
        json!({"expires_at": session.expires_at, "relied_on": session.relied_on}),
    );
    // The write holds what the check read: the credential still works, the customer is not frozen,
    // the grants relied on are not revoked.
    let mut guards = vec![sql::guards::credential_live(&auth.credential, ctx.now)];
    guards.extend(sql::guards::relied_on(&customer.facts.id, &report.relied_on));
    db::guarded(&ctx.db, guards, vec![store::insert_session(&ctx.db, &session)?, audit::append(&ctx.db, &ev)?]).await?;
    let mut v = session.view(ctx.now);
    if let Some(o) = v.as_object_mut() {
        o.insert("token".into(), Value::from(token));
    }
    json(201, &v)
}

/// A request made with a session: the session, its source user and customer, and a fresh passing
/// check (grants and freezes take effect on the next request).
pub struct Acting {
    pub session: Session,
    pub actor: Actor,
    pub customer: Customer,
    pub report: Report,
}

/// The session a request's bearer token names, its signature verified: `session_invalid` otherwise.
fn session_id(ctx: &Ctx, req: &Request) -> Result<SessionId, ApiError> {
    let header = req.headers().get("Authorization").ok().flatten();
    let token = sessions::bearer(header.as_deref()).ok_or_else(|| ApiError::new(Code::SessionInvalid))?;
    sessions::verify(secret(ctx)?, token)
}

async fn session_of(ctx: &Ctx, req: &Request) -> Result<Session, ApiError> {
    let id = session_id(ctx, req)?;
    store::session(&ctx.db, &id).await?.ok_or_else(|| ApiError::new(Code::SessionInvalid))
}

/// Authenticates a session request and runs the check again, reading everything in one D1 round trip.
pub async fn acting(ctx: &Ctx, req: &Request) -> Result<Acting, ApiError> {
    let id = session_id(ctx, req)?;
    let rows = store::acting(&ctx.db, &id).await?.ok_or_else(|| ApiError::new(Code::SessionInvalid))?;
    rows.session.check_live(ctx.now)?;
    let actor = rows.actor.ok_or_else(|| ApiError::new(Code::SessionInvalid))?;
    let customer = rows
        .customer
        .filter(|c| actor.sees(&c.facts.partner_id, c.facts.partner_distributor_id.as_ref()))
        .ok_or_else(|| ApiError::new(Code::NotFound))?;
    let permissions = if actor.needs_distributor_permission() { rows.permissions } else { Vec::new() };
    let report = check(&actor, &customer.facts, &permissions, &rows.authorizations, ctx.now);
    if !report.can_order {
        return Err(sessions::refusal(&report));
    }
    Ok(Acting { session: rows.session, actor, customer, report })
}

/// `GET /v1/sessions/current`: whom the portal acts for and for how long.
pub async fn current(ctx: &Ctx, req: &Request) -> Res {
    let s = session_of(ctx, req).await?;
    s.check_live(ctx.now)?;
    json(200, &s.view(ctx.now))
}

/// `DELETE /v1/sessions/current`: Switch Role. The token is refused from then on.
pub async fn end(ctx: &Ctx, req: &mut Request) -> Res {
    let s = session_of(ctx, req).await?;
    s.check_live(ctx.now)?;
    no_fields(&json_body(req).await?)?;
    let actor = db::partners::actor_by_user(&ctx.db, &s.source_user_id)
        .await?
        .ok_or_else(|| ApiError::new(Code::SessionInvalid))?;
    let ev = ctx.partner_event(
        &actor,
        Some(&s.customer_id),
        Action::SessionEnded,
        s.id.as_str(),
        json!({"reason": "switch_role"}),
    );
    audit::change_once(&ctx.db, store::end_session(&ctx.db, &s.id, ctx.now)?, &ev, Code::SessionEnded).await?;
    let ended = store::session(&ctx.db, &s.id).await?.ok_or_else(|| ApiError::new(Code::SessionInvalid))?;
    json(200, &ended.view(ctx.now))
}

/// A cited quote: its id and the total it locked.
struct Cited {
    id: String,
    total: crate::money::Money,
}

/// Reads `{"draft": …}` or `{"quote_id": …, "password"?: …}` into the draft to order and the quote it
/// cites (`quote_expired` past its 15 minutes; `not_found` for another partner's quote).
async fn order_body(ctx: &Ctx, actor: &Actor, body: &Value) -> Result<(Value, Option<Cited>), ApiError> {
    let mut d = Decoder::new();
    let parts = (|| {
        let mut o: Obj = d.object(body, Path::new())?;
        let draft = d.optional(&mut o, "draft").map(|(v, _)| v.clone());
        let quote = d
            .optional(&mut o, "quote_id")
            .and_then(|(v, p)| d.parsed(v, &p, "a quote id (qt_ and 24 hex digits)", QuoteId::parse));
        let password = d.optional(&mut o, "password").and_then(|(v, p)| d.str(v, &p).map(str::to_string));
        let p = o.path().clone();
        d.close(o);
        if draft.is_some() == quote.is_some() {
            d.error(p, Code::Required, "Send either `draft` or `quote_id`.");
            return None;
        }
        Some((draft, quote, password))
    })();
    let (draft, quote_id, password) = d.finish(parts)?;
    let Some(qid) = quote_id else { return Ok((draft.unwrap_or(Value::Null), None)) };
    let row = db::quotes::by_id(&ctx.db, actor.partner_id.as_str(), &qid)
        .await?
        .ok_or_else(|| ApiError::new(Code::NotFound))?;
    let expires = db::stored("quote expires_at", crate::time::Timestamp::parse(&row.expires_at))?;
    if ctx.now >= expires {
        return Err(ApiError::new(Code::QuoteExpired));
    }
    let q: Value = serde_json::from_str(&row.quote).map_err(|e| db::fault("stored quote", e))?;
    let total = (|| {
        Some(crate::money::Money::new(
            q["total"]["minor"].as_i64()?,
            crate::money::Currency::parse(q["total"]["currency"].as_str()?)?,
        ))
    })();
    let total = db::stored("quote total", total)?;
    let mut dv: Value = serde_json::from_str(&row.draft).map_err(|e| db::fault("stored draft", e))?;
    // The stored draft has no password; a password login sends it again with the order.
    if let (Some(pw), Some(login)) =
        (password, dv.get_mut("ecs").and_then(|e| e.get_mut("login")).and_then(Value::as_object_mut))
    {
        login.insert("password".into(), Value::from(pw));
    }
    Ok((dv, Some(Cited { id: qid.as_str().to_string(), total })))
}

/// `POST /v1/orders` (session; `Idempotency-Key` required): re-checks prerequisites and budget
/// before any write, sends the exact Huawei request upstream, records the order (yearly/monthly)
/// or the resources (pay-per-use). The same key and body replay the first answer.
pub async fn place(ctx: &Ctx, req: &mut Request) -> Res {
    let a = acting(ctx, req).await?;
    let key = idempotency::key(req.headers().get("Idempotency-Key").ok().flatten().as_deref())?;
    let body = json_body(req).await?;
    let fp = idempotency::fingerprint(&body);
    let (partner, customer) = (a.actor.partner_id.clone(), a.customer.facts.id.clone());
    let claimed = db::batch(&ctx.db, vec![store::claim_key(&ctx.db, &partner, &customer, &key, &fp, ctx.now)?]).await?;
    if claimed.first() != Some(&1) {
        let stored = store::stored_key(&ctx.db, &partner, &customer, &key)
            .await?
            .ok_or_else(|| ApiError::new(Code::IdempotencyKeyInFlight))?;
        let Decision::Replay { status, body } = idempotency::decide(&stored, &fp)?;
        let mut r = json_text(status, body);
        let _ = r.headers_mut().set("Idempotency-Replayed", "true");
        return Ok(r);
    }
    match execute(ctx, &a, &body, &key).await {
        Ok(r) => Ok(r),
        Err(e) => {
            // Nothing was written: forget the key so a corrected request can use it, and audit the refusal.
            let ev = ctx.partner_event(
                &a.actor,
                Some(&customer),
                Action::OrderRefused,
                &key,
                json!({"code": e.code, "session_id": a.session.id}),
            );
            db::batch(
                &ctx.db,
                vec![store::release_key(&ctx.db, &partner, &customer, &key)?, audit::append(&ctx.db, &ev)?],
            )
            .await?;
            Err(e)
        }
    }
}

async fn execute(ctx: &Ctx, a: &Acting, body: &Value, key: &str) -> Res {
    let (draft_json, cited) = order_body(ctx, &a.actor, body).await?;
    let cat = catalog()?;
    let draft = validate(&draft_json, cat)?;
    let facts = &a.customer.facts;
    crate::orders::require_customer(&draft, &facts.id)?;
    let mut q = quote(&draft, cat, &QuoteCustomer { id: facts.id.clone(), budget: facts.budget.clone() })?;
    if let Some(c) = &cited {
        // The quote locked its price for 15 minutes: the order costs what was quoted.
        q.total = c.total;
    }
    let after = budget_gate(facts.budget.as_ref(), q.total)?;
    let project = project_id(&facts.id, &draft.region);
    let request = crate::payloads::build(&draft, &project)?;
    let token = format!("{}:{}:{key}:{}", a.actor.partner_id, facts.id, ctx.now);
    let answer = Simulated.send(&request, &token, ctx.now).await;
    let request_json = serde_json::to_value(&request).map_err(|e| db::fault("encode request", e))?;
    let p = Provenance {
        partner_id: a.actor.partner_id.clone(),
        placed_by: a.actor.user_id.clone(),
        session_id: a.session.id.clone(),
        relied_on: a.report.relied_on.clone(),
        quote_id: cited.map(|c| c.id),
    };
    let placed = placement(&draft, q.total, after, &p, request_json, &answer.body, ctx.now)?;
    // The write holds what the re-check read: the session is live, the customer not frozen, the
    // grants relied on not revoked, and the budget has room for the spend.
    let mut guards = sql::guards::acting(&a.session.id, &facts.id, &a.report.relied_on);
    let mut stmts = Vec::new();
    if let Some(order) = &placed.order {
        stmts.push(store::insert_order(&ctx.db, order, key, &without_secrets(&draft_json))?);
    }
    if let Some((amount, freeze)) = placed.spend {
        guards.push(sql::guards::budget(&facts.id, amount.minor));
        stmts.push(store::spend(&ctx.db, &facts.id, amount.minor, freeze)?);
    }
    for r in &placed.resources {
        stmts.push(store::insert_resource(&ctx.db, r, &p.partner_id, key)?);
    }
    let ids: Vec<&str> = placed.resources.iter().map(|r| r.resource_id.as_str()).collect();
    let ev = match &placed.order {
        Some(o) => ctx.partner_event(
            &a.actor,
            Some(&facts.id),
            Action::OrderPlaced,
            &o.order_id,
            json!({"session_id": p.session_id, "status": o.status, "amount": o.amount, "relied_on": p.relied_on}),
        ),
        None => ctx.partner_event(
            &a.actor,
            Some(&facts.id),
            Action::ResourcesEnabled,
            ids.first().copied().unwrap_or_default(),
            json!({"session_id": p.session_id, "resources": ids, "hourly": q.hourly, "relied_on": p.relied_on}),
        ),
    };
    stmts.push(audit::append(&ctx.db, &ev)?);
    let status = 201;
    let out = match &placed.order {
        Some(o) => json!({"order": o, "resources": placed.resources, "quote": q}),
        None => json!({"order": null, "resources": placed.resources, "upstream": answer.body, "quote": q}),
    };
    let text = out.to_string();
    stmts.push(store::finish_key(&ctx.db, &p.partner_id, &facts.id, key, status, &text)?);
    if let Err(e) = db::guarded(&ctx.db, guards, stmts).await {
        return Err(budget_or(ctx, &facts.id, q.total, e).await);
    }
    Ok(json_text(status, text))
}

/// `POST /v1/orders/{id}/pay` (session): pays an order pending payment; budget re-checked; completes
/// it. The write holds every precondition: the order is still pending (a concurrent cancel wins or
/// loses as a whole), the budget has room, the session and its grants still hold.
pub async fn pay(ctx: &Ctx, req: &mut Request, id: &str) -> Res {
    let a = acting(ctx, req).await?;
    let row = store::order(&ctx.db, &a.actor.partner_id, id)
        .await?
        .filter(|o| o.order.customer_id == a.customer.facts.id.as_str())
        .ok_or_else(|| ApiError::new(Code::NotFound))?;
    no_fields(&json_body(req).await?)?;
    let from = OrderStatus::from_code(row.order.status).ok_or_else(|| db::fault("order status", row.order.status))?;
    let to = crate::orders::pay(from)?;
    let amount = crate::money::Money::new(
        row.order.amount_minor,
        a.customer.facts.budget.as_ref().map_or(crate::money::Currency::USD, |b| b.amount.currency),
    );
    let after = budget_gate(a.customer.facts.budget.as_ref(), amount)?;
    let draft_json: Value = serde_json::from_str(&row.draft).map_err(|e| db::fault("stored draft", e))?;
    let draft = validate(&draft_json, catalog()?).ok();
    let answer: Value = serde_json::from_str(&row.upstream).map_err(|e| db::fault("stored answer", e))?;
    let p = Provenance {
        partner_id: a.actor.partner_id.clone(),
        placed_by: a.actor.user_id.clone(),
        session_id: a.session.id.clone(),
        relied_on: a.report.relied_on.clone(),
        quote_id: row.order.quote_id.clone(),
    };
    let rs = draft.map(|d| resources(&d, &answer, &p, Some(id), ctx.now)).unwrap_or_default();
    let ev = ctx.partner_event(
        &a.actor,
        Some(&a.customer.facts.id),
        Action::OrderPaid,
        id,
        json!({"session_id": a.session.id, "amount": amount}),
    );
    let mut guards = vec![sql::guards::order_pending(id)];
    guards.extend(sql::guards::acting(&a.session.id, &a.customer.facts.id, &a.report.relied_on));
    guards.push(sql::guards::budget(&a.customer.facts.id, amount.minor));
    let mut stmts = vec![
        store::set_status(&ctx.db, id, from.code(), to.code(), Some(ctx.now))?,
        audit::append(&ctx.db, &ev)?,
        store::spend(&ctx.db, &a.customer.facts.id, amount.minor, after.is_some_and(|(_, f)| f))?,
    ];
    for r in &rs {
        stmts.push(store::insert_resource(&ctx.db, r, &p.partner_id, &row.idempotency_key)?);
    }
    if let Err(e) = db::guarded(&ctx.db, guards, stmts).await {
        return Err(budget_or(ctx, &a.customer.facts.id, amount, e).await);
    }
    show(ctx, &a.actor, id).await
}

/// `POST /v1/orders/{id}/cancel` (session): cancels an order pending payment. A cancelled order costs
/// nothing: the write succeeds only if the order is still pending, so a concurrent payment either
/// happened first (and cancel is refused) or not at all.
pub async fn cancel(ctx: &Ctx, req: &mut Request, id: &str) -> Res {
    let a = acting(ctx, req).await?;
    let row = store::order(&ctx.db, &a.actor.partner_id, id)
        .await?
        .filter(|o| o.order.customer_id == a.customer.facts.id.as_str())
        .ok_or_else(|| ApiError::new(Code::NotFound))?;
    no_fields(&json_body(req).await?)?;
    let from = OrderStatus::from_code(row.order.status).ok_or_else(|| db::fault("order status", row.order.status))?;
    let to = crate::orders::cancel(from)?;
    let ev = ctx.partner_event(
        &a.actor,
        Some(&a.customer.facts.id),
        Action::OrderCancelled,
        id,
        json!({"session_id": a.session.id}),
    );
    let mut guards = vec![sql::guards::order_pending(id)];
    guards.extend(sql::guards::acting(&a.session.id, &a.customer.facts.id, &a.report.relied_on));
    db::guarded(
        &ctx.db,
        guards,
        vec![store::set_status(&ctx.db, id, from.code(), to.code(), None)?, audit::append(&ctx.db, &ev)?],
    )
    .await?;
    show(ctx, &a.actor, id).await
}

/// After a failed write batch: when the budget guard failed (a concurrent order spent the room
/// first), the budget refusal with its figures as the budget is now; else the original error.
async fn budget_or(ctx: &Ctx, customer: &crate::ids::CustomerId, amount: crate::money::Money, e: ApiError) -> ApiError {
    if e.code != Code::BudgetWouldBeExceeded {
        return e;
    }
    match db::customers::by_id(&ctx.db, customer).await {
        Ok(Some(c)) => budget_gate(c.facts.budget.as_ref(), amount).err().unwrap_or(e),
        _ => e,
    }
}

async fn show(ctx: &Ctx, actor: &Actor, id: &str) -> Res {
    let row = store::order(&ctx.db, &actor.partner_id, id).await?.ok_or_else(|| ApiError::new(Code::NotFound))?;
    json(200, &order_view(&row.order))
}

fn order_view(o: &store::OrderRow) -> Value {
    let mut v = serde_json::to_value(o).unwrap_or(Value::Null);
    if let Some(m) = v.as_object_mut() {
        m.insert("source_type".into(), Value::from(2));
        m.insert("source".into(), Value::from("placed by partner"));
    }
    v
}

/// `GET /v1/orders?customer_id=&status=&service_type_code=&created_from=&created_to=&order_id=&limit=`:
/// Customer Orders, the yearly/monthly orders your partner placed on behalf, newest first.
pub async fn list(ctx: &Ctx, req: &Request) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    let mut d = Decoder::new();
    let status = query(req, "status").and_then(|s| match s.parse::<i64>().ok().and_then(OrderStatus::from_code) {
        Some(st) => Some(st.code()),
        None => {
            d.error(crate::error::path(&["status"]), Code::InvalidValue, "One of 3, 4, 5, 6.");
            None
        }
    });
    let limit = crate::worker::http::limit_param(req, 50, 100)?;
    let f = store::OrderFilter {
        customer_id: query(req, "customer_id"),
        status,
        service_type_code: query(req, "service_type_code"),
        created_from: time_param(req, &mut d, "created_from"),
        created_to: time_param(req, &mut d, "created_to"),
        order_id: query(req, "order_id"),
        limit,
    };
    d.finish(Some(()))?;
    let rows = store::list_orders(&ctx.db, &actor.partner_id, &f).await?;
    let orders: Vec<Value> = rows.iter().map(order_view).collect();
    json(200, &json!({"orders": orders}))
}

/// An optional RFC 3339 query parameter, as stored (UTC, `Z`), so that it compares as text; an
/// `invalid_format` error at its name otherwise.
fn time_param(req: &Request, d: &mut Decoder, name: &'static str) -> Option<String> {
    let raw = query(req, name)?;
    d.timestamp(&Value::from(raw), &crate::error::path(&[name])).map(|t| t.to_string())
}

/// `GET /v1/customers/{id}/resources?billing=pay_per_use|yearly_monthly`: View Resources.
pub async fn list_resources(ctx: &Ctx, req: &Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    let customer = visible_customer(ctx, &actor, id).await?;
    let billing = query(req, "billing");
    if let Some(b) = billing.as_deref() {
        if !matches!(b, "pay_per_use" | "yearly_monthly") {
            let mut d = Decoder::new();
            d.error(crate::error::path(&["billing"]), Code::InvalidValue, "pay_per_use or yearly_monthly.");
            return Err(ApiError::validation(d.into_errors()));
        }
    }
    let rows = store::list_resources(&ctx.db, &actor.partner_id, &customer.facts.id, billing.as_deref()).await?;
    json(200, &json!({"resources": rows}))
}

/// `GET /v1/ledger?customer_id=&limit=`: orders and pay-per-use enablements across customers in one
/// list, newest first, each with who placed it, under which session and grants.
pub async fn ledger(ctx: &Ctx, req: &Request) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    let limit = crate::worker::http::limit_param(req, 50, 200)?;
    let customer = query(req, "customer_id");
    let f = store::OrderFilter { customer_id: customer.clone(), limit, ..Default::default() };
    let orders = store::list_orders(&ctx.db, &actor.partner_id, &f).await?;
    let ppu = store::enablements(&ctx.db, &actor.partner_id, customer.as_deref(), limit).await?;
    let mut entries: Vec<(String, Value)> = orders
        .iter()
        .map(|o| (o.created_at.clone(), json!({"kind": "order", "at": o.created_at, "customer_id": o.customer_id, "order_id": o.order_id,
            "service_type_code": o.service_type_code, "status": o.status, "amount": {"minor": o.amount_minor, "currency": o.currency},
            "placed_by": o.placed_by, "session_id": o.session_id, "relied_on": {"distributor_permission": o.permission_id, "authorization": o.authorization_id}})))
        .chain(ppu.iter().map(|e| (e.at.clone(), json!({"kind": "pay_per_use", "at": e.at, "customer_id": e.customer_id,
            "service_type_code": e.service_type_code, "resource_ids": e.resource_ids.split(',').collect::<Vec<_>>(),
            "placed_by": e.placed_by, "session_id": e.session_id}))))
        .collect();
    entries.sort_by(|a, b| b.0.cmp(&a.0));
    entries.truncate(limit as usize);
    json(200, &json!({"entries": entries.into_iter().map(|(_, v)| v).collect::<Vec<_>>()}))
}
