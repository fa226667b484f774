//! Customer Orders and View Resources as Huawei Cloud lists them for the partner, merged with what
//! onbehalf placed (`crate::huawei::customer_orders`): `GET /v1/customer-orders` and
//! `GET /v1/customer-resources`. In simulated mode the simulation is the upstream: the lines are
//! onbehalf's own, in the same shape.

use super::Res;
use crate::error::{ApiError, Code};
use crate::huawei::config::Upstream;
use crate::huawei::customer_orders::{
    local_line, next_cursor, offset_of, order_line, orders_query, read_orders, read_resources, resource_line,
    resources_body, ORDERS_PATH, RESOURCES_PATH,
};
use crate::huawei::fault::Step;
use crate::partners::Ability;
use crate::worker::context::Ctx;
use crate::worker::db;
use crate::worker::http::{invalid_param, json, limit_param, query};
use crate::worker::huawei::{call, partner_key};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use worker::Request;

fn offset(req: &Request) -> Result<u64, ApiError> {
    match query(req, "cursor") {
        None => Ok(0),
        Some(c) => offset_of(&c)
            .ok_or_else(|| invalid_param("cursor", Code::InvalidValue, "A next_cursor from a previous page.")),
    }
}

/// Adds `placed.placed_by_name` (the user's name, or null) to lines onbehalf placed.
async fn with_names(ctx: &Ctx, lines: Vec<Value>) -> Result<Vec<Value>, ApiError> {
    let ids: Vec<String> = lines
        .iter()
        .filter_map(|l| l.pointer("/placed/placed_by").and_then(Value::as_str).map(str::to_string))
        .collect();
    if ids.is_empty() {
        return Ok(lines);
    }
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    Ok(named(lines, &db::partners::user_names(&ctx.db, &refs).await?))
}

/// Adds `placed.placed_by_name` from names already read.
fn named(mut lines: Vec<Value>, names: &db::partners::Names) -> Vec<Value> {
    for l in &mut lines {
        let name = l.pointer("/placed/placed_by").and_then(Value::as_str).and_then(|u| names.get(u)).cloned();
        if let Some(Value::Object(p)) = l.get_mut("placed") {
            p.insert("placed_by_name".into(), name.map_or(Value::Null, Value::from));
        }
    }
    lines
}

fn unanswered(what: &str) -> ApiError {
    ApiError::with_message(Code::UpstreamUnavailable, format!("Huawei Cloud did not answer ({what}); try again."))
        .with_data(json!({"retry_after": 30, "call": what}))
}

/// `GET /v1/customer-orders?customer_id=&status=&service_type_code=&created_from=&created_to=&order_id=&limit=&cursor=`
pub async fn orders(ctx: &Ctx, req: &Request) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    let mut f = super::orders::filter(req, 20)?;
    let from = offset(req)?;
    let Upstream::Huawei(ep) = &ctx.upstream else {
        // Simulated: onbehalf's orders are the upstream's.
        let limit = f.limit;
        f.limit = limit + from as i64 + 1;
        let (all, names) = db::orders::list_with_names(&ctx.db, &actor.partner_id, &f).await?;
        let page: Vec<Value> = all.iter().skip(from as usize).take(limit as usize).map(local_line).collect();
        let page = named(page, &names);
        let more = all.len() as u64 > from + limit as u64;
        let next = more.then(|| format!("o{}", from + page.len() as u64));
        return json(200, &json!({"orders": page, "next_cursor": next, "total": null, "source": "simulated"}));
    };
    let cred = partner_key(ctx, &actor.partner_id).await?;
    let q = orders_query(&f, from);
    let pairs: Vec<(&str, &str)> = q.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let answer = call(ctx, &cred, "GET", &ep.bss, ORDERS_PATH, &pairs, None)
        .await
        .ok_or_else(|| unanswered("customer-orders"))?
        .into_result(Step::Other)?;
    let currency = crate::catalog::catalog()?.currency;
    let (listed, total) = read_orders(&answer, currency).ok_or_else(|| unanswered("customer-orders"))?;
    let ids: Vec<&str> = listed.iter().map(|o| o.order_id.as_str()).collect();
    let here: BTreeMap<String, _> = db::orders::views_by_ids(&ctx.db, &actor.partner_id, &ids)
        .await?
        .into_iter()
        .map(|v| (v.order_id.clone(), v))
        .collect();
    let lines: Vec<Value> = listed.iter().map(|o| order_line(o, here.get(&o.order_id))).collect();
    let lines = with_names(ctx, lines).await?;
    json(
        200,
        &json!({"orders": lines, "next_cursor": next_cursor(from, listed.len(), total), "total": total, "source": "huawei"}),
    )
}

/// `GET /v1/customer-resources?customer_id=&limit=&cursor=`: the customer's pay-per-use resources.
pub async fn resources(ctx: &Ctx, req: &Request) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    let Some(id) = query(req, "customer_id") else {
        return Err(invalid_param("customer_id", Code::Required, "`customer_id` is required."));
    };
    let limit = limit_param(req, 20, 100)?;
    let from = offset(req)?;
    let ppu = Some("pay_per_use");
    let (customer, results) = ctx
        .visible_customer_with(&actor, &id, |cid| {
            Ok(vec![
                db::orders::resources_stmt(&ctx.db, &actor.partner_id, cid, ppu)?,
                db::orders::resource_placers(&ctx.db, &actor.partner_id, cid, ppu)?,
            ])
        })
        .await?;
    let [mine, names] = results.as_slice() else {
        return Err(db::fault("resources batch", "wrong number of results"));
    };
    let (mine, names) = (db::orders::read_resources(mine)?, db::partners::read_names(names)?);
    let Upstream::Huawei(ep) = &ctx.upstream else {
        let page: Vec<Value> = mine
            .iter()
            .skip(from as usize)
            .take(limit as usize)
            .map(|r| resource_line(&serde_json::to_value(r).unwrap_or(Value::Null), Some(r)))
            .collect();
        let page = named(page, &names);
        let next = next_cursor(from, page.len(), mine.len() as u64);
        return json(200, &json!({"resources": page, "next_cursor": next, "total": mine.len(), "source": "simulated"}));
    };
    let cred = partner_key(ctx, &customer.facts.partner_id).await?;
    let body = resources_body(&customer.facts.id, from, limit as u64);
    let answer = call(ctx, &cred, "POST", &ep.bss, RESOURCES_PATH, &[], Some(&body))
        .await
        .ok_or_else(|| unanswered("on-demand-resources"))?
        .into_result(Step::Other)?;
    let (list, total) = read_resources(&answer).ok_or_else(|| unanswered("on-demand-resources"))?;
    let here: BTreeMap<&str, _> = mine.iter().map(|r| (r.resource_id.as_str(), r)).collect();
    let lines: Vec<Value> = list
        .iter()
        .map(|r| resource_line(r, r.get("resource_id").and_then(Value::as_str).and_then(|i| here.get(i).copied())))
        .collect();
    let lines = named(lines, &names);
    json(
        200,
        &json!({"resources": lines, "next_cursor": next_cursor(from, list.len(), total), "total": total, "source": "huawei"}),
    )
}

/// `POST /v1/customer-orders/{order_id}/cancel` `{customer_id}` (admins and operators of the
/// customer's own partner): cancels an order pending payment from Customer Orders, the same rule as
/// in a session (only status 6). With Huawei Cloud, through BSS with the partner's key (also an
/// order placed elsewhere); an order onbehalf placed is cancelled here too, in one guarded write.
pub async fn cancel(ctx: &Ctx, req: &mut Request, order_id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    let body = crate::worker::http::json_body(req).await?;
    let customer_id = crate::decode::Decoder::run(|d| {
        let mut o = d.object(&body, crate::error::Path::new())?;
        let id = d
            .required(&mut o, "customer_id")
            .and_then(|(v, p)| d.parsed(v, &p, "32 lowercase hex digits", crate::ids::CustomerId::parse));
        d.close(o);
        id
    })?;
    let (c, rs) = ctx
        .visible_customer_with(&actor, customer_id.as_str(), |cid| {
            Ok(vec![db::orders::by_id_stmt(&ctx.db, &actor.partner_id, cid, order_id)?])
        })
        .await?;
    crate::operations::may_operate(&actor, &c.facts)?;
    actor.require(Ability::PlaceOrder)?;
    let here = db::orders::read_order(db::only(&rs)?)?;
    let huawei = matches!(ctx.upstream, Upstream::Huawei(_));
    let to = crate::huawei::customer_orders::cancellation(here.as_ref().map(|o| o.view.status), huawei)?;
    if let Upstream::Huawei(ep) = &ctx.upstream {
        let cred = partner_key(ctx, &actor.partner_id).await?;
        let body = json!({"order_id": order_id});
        call(ctx, &cred, "PUT", &ep.bss, crate::huawei::customer_orders::CANCEL_PATH, &[], Some(&body))
            .await
            .ok_or_else(|| unanswered("customer-orders/cancel"))?
            .into_result(Step::Other)?;
    }
    let ev = ctx.partner_event(
        &actor,
        Some(&c.facts.id),
        crate::audit::Action::OrderCancelled,
        order_id,
        json!({"from": "customer_orders", "placed_here": here.is_some()}),
    );
    let mut writes = vec![crate::worker::db::audit::append(&ctx.db, &ev)?];
    match to {
        Some((from, to)) => {
            writes.insert(0, db::orders::set_status(&ctx.db, order_id, from, to, None)?);
            db::guarded(&ctx.db, vec![crate::sql::guards::order_pending(order_id)], writes).await?;
        }
        None => {
            db::batch(&ctx.db, writes).await?;
        }
    }
    json(200, &json!({"order_id": order_id, "customer_id": c.facts.id, "status": 4, "placed_here": here.is_some()}))
}
