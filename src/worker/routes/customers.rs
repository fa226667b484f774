//! Customers and their prerequisite reports.

use super::Res;
use crate::customers::Customer;
use crate::error::{ApiError, Code};
use crate::ids::CustomerId;
use crate::partners::{Ability, Actor, PartnerKind};
use crate::prerequisites::{report_with_input, PrerequisiteInput};
use crate::worker::db;
use crate::worker::http::{json, limit_param, query, Ctx};
use serde_json::json;
use worker::Request;

/// The customer `id` if it exists and `actor` may see it; `not_found` otherwise (existence of
/// other partners' customers is not leaked).
pub async fn visible_customer(ctx: &Ctx, actor: &Actor, id: &str) -> Result<Customer, ApiError> {
    let id = CustomerId::parse(id).ok_or_else(|| ApiError::new(Code::NotFound))?;
    match db::customers::by_id(&ctx.db, &id).await? {
        Some(c) if actor.sees(&c.facts.partner_id, c.facts.partner_distributor_id.as_ref()) => Ok(c),
        _ => Err(ApiError::new(Code::NotFound)),
    }
}

/// Everything the prerequisite check reads for `actor` and `customer`.
pub async fn prerequisite_input(ctx: &Ctx, actor: &Actor, customer: &Customer) -> Result<PrerequisiteInput, ApiError> {
    let c = &customer.facts;
    let distributor_permissions = match actor.partner_kind {
        PartnerKind::Reseller => db::grants::permissions_for(&ctx.db, &actor.partner_id, &c.id).await?,
        PartnerKind::Distributor => Vec::new(),
    };
    let authorizations = db::grants::authorizations_for(&ctx.db, &c.id, Some(&actor.partner_id)).await?;
    Ok(PrerequisiteInput { now: ctx.now, actor: actor.clone(), customer: c.clone(), distributor_permissions, authorizations })
}

/// `GET /v1/customers?limit=`: visible customers, masked, newest association first.
pub async fn list(ctx: &Ctx, req: &Request) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    let limit = limit_param(req, 50, 100)?;
    let rows = db::customers::visible_to(&ctx.db, &actor.partner_id, limit).await?;
    let customers: Vec<_> = rows.iter().map(Customer::masked_view).collect();
    json(200, &json!({"customers": customers}))
}

/// `GET /v1/customers/{id}`: one customer, masked.
pub async fn show(ctx: &Ctx, req: &Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    let c = visible_customer(ctx, &actor, id).await?;
    json(200, &c.masked_view())
}

/// `GET /v1/customers/{id}/prerequisites[?include=input]`: the prerequisite report; with
/// `include=input`, also the exact input, so a client can re-run the check in the browser module.
pub async fn prerequisites(ctx: &Ctx, req: &Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    let c = visible_customer(ctx, &actor, id).await?;
    let input = prerequisite_input(ctx, &actor, &c).await?;
    let report = input.run();
    if query(req, "include").as_deref() == Some("input") {
        json(200, &report_with_input(&input, &report))
    } else {
        json(200, &report)
    }
}
