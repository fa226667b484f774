//! Customers and their prerequisite reports.

use super::Res;
use crate::audit::Action;
use crate::customers::query::{auth_summary, encode_cursor, list_item, page_of, CustomerQuery, ListPage};
use crate::error::Code;
use crate::masking::{reveal_refusal, reveal_targets, revealed, RevealRequest, REVEALS_PER_WINDOW, REVEAL_WINDOW};
use crate::partners::Ability;
use crate::prerequisites::{check, report_with_input};
use crate::worker::context::Ctx;
use crate::worker::db;
use crate::worker::http::{invalid_param, json, json_body, query};
use serde_json::json;
use worker::Request;

/// `GET /v1/customers?<filters>&sort=&order=&limit=&cursor=`: Customer Management. The 12 filters,
/// `can_order`, `authorization`, `reseller_id`; masked rows with their verdict chips; the total; the
/// next page's cursor.
pub async fn list(ctx: &Ctx, req: &Request) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    let pairs: Vec<(String, String)> = crate::worker::http::query_pairs(req);
    let q = CustomerQuery::decode(&pairs)?;
    let compiled = crate::sql::customers::compile(&q, &actor, ctx.now);
    let page = db::customers::list_page(&ctx.db, &compiled, &actor).await?;
    let (rows, next) = page_of(&q, page.rows);
    let items: Vec<_> = rows
        .iter()
        .map(|c| {
            let report = check(&actor, &c.facts, &page.permissions, &page.authorizations, ctx.now);
            list_item(c, &report, auth_summary(&actor.partner_id, &c.facts.id, &page.authorizations, ctx.now))
        })
        .collect();
    json(
        200,
        &ListPage {
            customers: items,
            total: page.total,
            total_exact: page.total_exact,
            limit: q.limit,
            next_cursor: next.map(|c| encode_cursor(&q, &c)),
        },
    )
}

/// `GET /v1/customers/{id}`: one customer, masked.
pub async fn show(ctx: &Ctx, req: &Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    let c = ctx.visible_customer(&actor, id).await?;
    json(200, &c.masked_view())
}

/// `GET /v1/customers/{id}/prerequisites[?include=input]`: the prerequisite report; with
/// `include=input`, also the exact input, so a client can re-run the check in the browser module.
pub async fn prerequisites(ctx: &Ctx, req: &Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    let (_, input) = ctx.visible_customer_and_input(&actor, id).await?;
    let with_input = match query(req, "include").as_deref() {
        None => false,
        Some("input") => true,
        Some(_) => return Err(invalid_param("include", Code::InvalidValue, "Only `input` can be included.")),
    };
    let report = input.run();
    if with_input {
        json(200, &report_with_input(&input, &report))
    } else {
        json(200, &report)
    }
}

/// `POST /v1/customers/{id}/reveal` `{fields, reason}` (one customer) and `POST /v1/customers/reveal`
/// `{ids, fields, reason}` (a column of the visible page, at most 30): the clear values, for admins
/// and operators; one audit event per customer with the fields and the reason; at most 30 distinct
/// customers per user per minute (`rate_limited` with `Retry-After`), held by the write itself.
pub async fn reveal(ctx: &Ctx, req: &mut Request, id: Option<&str>) -> Res {
    let actor = ctx.actor(req).await?;
    // Visibility before role: someone else's customer is `not_found` whatever the caller's role.
    let one = match id {
        Some(id) => Some(ctx.visible_customer(&actor, id).await?),
        None => None,
    };
    actor.require(Ability::RevealSensitive)?;
    let request = RevealRequest::decode(&json_body(req).await?, id.is_none())?;
    let found = match one {
        Some(c) => vec![c],
        None => db::customers::by_ids(&ctx.db, &request.ids).await?,
    };
    let visible = match id {
        Some(_) => found.iter().collect(),
        None => reveal_targets(&actor, &request.ids, &found)?,
    };
    let detail = json!({"fields": request.fields, "reason": request.reason});
    let events = visible
        .iter()
        .map(|c| {
            db::audit::append(
                &ctx.db,
                &ctx.partner_event(
                    &actor,
                    Some(&c.facts.id),
                    Action::CustomerRevealed,
                    c.facts.id.as_str(),
                    detail.clone(),
                ),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let ids: Vec<&str> = visible.iter().map(|c| c.facts.id.as_str()).collect();
    let since = ctx.now.plus(-REVEAL_WINDOW);
    let limit = crate::sql::guards::reveals(actor.user_id.as_str(), since, &ids, REVEALS_PER_WINDOW);
    if let Err(e) = db::guarded(&ctx.db, vec![limit], events).await {
        if e.code != Code::RateLimited {
            return Err(e);
        }
        let (_, oldest) = db::audit::recent_reveals(&ctx.db, &actor.user_id, since).await?;
        return Err(reveal_refusal(oldest, ctx.now));
    }
    let values: Vec<_> = visible.iter().map(|c| revealed(c, &request.fields)).collect();
    match id {
        Some(_) => json(200, &values.into_iter().next().unwrap_or_default()),
        None => json(200, &json!({"customers": values})),
    }
}
