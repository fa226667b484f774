//! The catalog, draft checks and Huawei payloads, quotes.

use super::Res;
use crate::audit::Action;
use crate::catalog::catalog;
use crate::decode::Decoder;
use crate::drafts::validate;
use crate::error::{ApiError, OrCode, Path};
use crate::ids::QuoteId;
use crate::partners::Ability;
use crate::payloads::build;
use crate::quotes::{quote, QuoteCustomer, StoredQuote};
use crate::worker::context::Ctx;
use crate::worker::db::{self, audit};
use crate::worker::http::{json, json_body, query, random_bytes};
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
    Decoder::run(|d| {
        let mut o = d.object(body, Path::new())?;
        let draft = d.required(&mut o, "draft").map(|(v, _)| v);
        let project = d.required(&mut o, "project_id").and_then(|(v, p)| d.str(v, &p).map(str::to_string));
        d.close(o);
        Some((draft?, project?))
    })
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
    let customer = ctx.visible_customer(&actor, draft.customer_id.as_str()).await?;
    let c = &customer.facts;
    let q = quote(&draft, cat, &QuoteCustomer { id: c.id.clone(), budget: c.budget.clone() })?;
    let stored = StoredQuote::new(QuoteId::from_bytes(&random_bytes()?), &body, &q, ctx.now)?;
    let event = ctx.partner_event(&actor, Some(&c.id), Action::QuoteCreated, stored.id.as_str(),
        json!({"service": q.service, "billing": q.billing, "total": q.total, "blocked": q.budget.as_ref().map(|b| b.blocked)}));
    let insert = db::quotes::insert(&ctx.db, &stored, &actor, &q.catalog_version)?;
    db::batch(&ctx.db, vec![insert, audit::append(&ctx.db, &event)?]).await?;
    json(201, &stored.view(ctx.now))
}

/// `GET /v1/quotes/{id}`: a quote of the caller's partner, with `valid` false once expired.
pub async fn show(ctx: &Ctx, req: &Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    let id = QuoteId::parse(id).or_not_found()?;
    let stored = db::quotes::by_id(&ctx.db, actor.partner_id.as_str(), &id).await?.or_not_found()?;
    json(200, &stored.view(ctx.now))
}
