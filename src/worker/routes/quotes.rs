//! The catalog, draft checks and Huawei payloads, quotes.

use super::customers::visible_customer;
use super::Res;
use crate::audit::Action;
use crate::catalog::catalog;
use crate::decode::Decoder;
use crate::drafts::validate;
use crate::error::{ApiError, Code, Path};
use crate::ids::QuoteId;
use crate::partners::Ability;
use crate::payloads::build;
use crate::quotes::{draft_sha256, quote, view, without_secrets, QuoteCustomer, QUOTE_TTL};
use crate::worker::db::{self, audit, quotes};
use crate::worker::http::{json, json_body, query, random_bytes, Ctx};
use serde_json::{json, Value};
use worker::Request;

/// `GET /v1/catalog[?region=]`: the whole catalog, or one region's view. Public reference data.
pub async fn show_catalog(req: &Request) -> Res {
    let c = catalog()?;
    match query(req, "region") {
        Some(r) => json(200, &c.for_region(&r)?),
        None => json(200, c),
    }
}

/// `POST /v1/drafts/validate` (a draft): `{"valid": true}` or `validation_failed` with every error.
pub async fn validate_draft(ctx: &Ctx, req: &mut Request) -> Res {
    ctx.actor(req).await?;
    let body = json_body(req).await?;
    validate(&body, catalog()?)?;
    json(200, &json!({"valid": true}))
}

/// Reads `{"draft", "project_id"}`.
fn draft_and_project(body: &Value) -> Result<(&Value, String), ApiError> {
    let mut d = Decoder::new();
    let parts = (|| {
        let mut o = d.object(body, Path::new())?;
        let draft = d.required(&mut o, "draft").map(|(v, _)| v);
        let project = d.required(&mut o, "project_id").and_then(|(v, p)| d.str(v, &p).map(str::to_string));
        d.close(o);
        Some((draft?, project?))
    })();
    d.finish(parts)
}

/// `POST /v1/drafts/payload` `{draft, project_id}`: the exact Huawei Cloud request `{method, path,
/// body}`, or `validation_failed`.
pub async fn payload(ctx: &Ctx, req: &mut Request) -> Res {
    ctx.actor(req).await?;
    let body = json_body(req).await?;
    let (draft, project) = draft_and_project(&body)?;
    let d = validate(draft, catalog()?)?;
    json(200, &build(&d, &project)?)
}

/// `POST /v1/quotes` (a draft): validates, prices for the draft's customer (visible to the caller,
/// else `not_found`) and stores the quote for 15 minutes. Operators and admins only.
pub async fn create(ctx: &Ctx, req: &mut Request) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::PlaceOrder)?;
    let body = json_body(req).await?;
    let cat = catalog()?;
    let draft = validate(&body, cat)?;
    let customer = visible_customer(ctx, &actor, draft.customer_id.as_str()).await?;
    let q =
        quote(&draft, cat, &QuoteCustomer { id: customer.facts.id.clone(), budget: customer.facts.budget.clone() })?;
    let id = QuoteId::from_bytes(&random_bytes()?);
    let expires_at = ctx.now.plus(QUOTE_TTL);
    let hash = draft_sha256(&body);
    let stored = without_secrets(&body);
    let new = quotes::NewQuote {
        id: &id,
        actor: &actor,
        customer: &customer.facts.id,
        draft: &stored,
        draft_sha256: &hash,
        quote: &q,
        created_at: ctx.now,
        expires_at,
    };
    let event = ctx.partner_event(&actor, Some(&customer.facts.id), Action::QuoteCreated, id.as_str(),
        json!({"service": q.service, "billing": q.billing, "total": q.total, "blocked": q.budget.as_ref().map(|b| b.blocked)}));
    db::batch(&ctx.db, vec![quotes::insert(&ctx.db, &new)?, audit::append(&ctx.db, &event)?]).await?;
    let qv = serde_json::to_value(&q).map_err(|e| db::fault("encode quote", e))?;
    json(201, &view(&id, ctx.now, expires_at, ctx.now, &hash, &stored, &qv))
}

/// `GET /v1/quotes/{id}`: a quote of the caller's partner, with `valid` false once expired.
pub async fn show(ctx: &Ctx, req: &Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    let id = QuoteId::parse(id).ok_or_else(|| ApiError::new(Code::NotFound))?;
    let row =
        quotes::by_id(&ctx.db, actor.partner_id.as_str(), &id).await?.ok_or_else(|| ApiError::new(Code::NotFound))?;
    let created = db::stored("quote created_at", crate::time::Timestamp::parse(&row.created_at))?;
    let expires = db::stored("quote expires_at", crate::time::Timestamp::parse(&row.expires_at))?;
    let q: Value = serde_json::from_str(&row.quote).map_err(|e| db::fault("stored quote", e))?;
    let draft: Value = serde_json::from_str(&row.draft).map_err(|e| db::fault("stored draft", e))?;
    json(200, &view(&id, created, expires, ctx.now, &row.draft_sha256, &draft, &q))
}
