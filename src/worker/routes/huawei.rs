//! Huawei Cloud settings and lookups: the partner's access key (write-only), the customer's account
//! and agency, the pickers' lookups in the customer's project, and followed requests.

use super::Res;
use crate::audit::Action;
use crate::catalog::catalog;
use crate::error::{path, ApiError, Code, OrCode};
use crate::huawei::config::Upstream;
use crate::huawei::fault::Step;
use crate::huawei::lookups::{reduce, simulated, Lookup};
use crate::huawei::settings::{masked_key_id, Account, KeyInput};
use crate::partners::Ability;
use crate::worker::context::Ctx;
use crate::worker::db::{self, audit};
use crate::worker::http::{json, json_body, json_text, query, random_bytes};
use crate::worker::huawei::{cached_lookup, get, in_account, keep_lookup, lookup_key, silent, Who};
use serde_json::{json, Value};
use worker::Request;

fn key_view(ctx: &Ctx, row: Option<db::huawei::KeyRow>) -> Value {
    match row {
        Some(k) => json!({
            "configured": true, "upstream": ctx.upstream.name(), "access_key_id": masked_key_id(&k.access_key_id),
            "account_name": k.account_name,
            "set_by": k.set_by, "set_at": k.set_at, "version": k.version,
        }),
        None => {
            json!({"configured": false, "upstream": ctx.upstream.name(), "access_key_id": null, "account_name": null, "set_by": null, "set_at": null, "version": 0})
        }
    }
}

/// `GET /v1/huawei-key` (admin): whether the partner's key is set, its id masked, who set it when.
pub async fn show_key(ctx: &Ctx, req: &Request) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::ManageApiKeys)?;
    json(200, &key_view(ctx, db::huawei::key(&ctx.db, &actor.partner_id).await?))
}

/// `PUT /v1/huawei-key` (admin, API key): sets or rotates the partner's Huawei access key. The secret
/// is sealed before it is stored and never returned or logged; the audit event names the key id.
pub async fn set_key(ctx: &Ctx, req: &mut Request) -> Res {
    let actor = ctx.api_key_actor(req).await?;
    actor.require(Ability::ManageApiKeys)?;
    let k = KeyInput::decode(&json_body(req).await?)?;
    let context = format!("partner:{}", actor.partner_id.as_str());
    let sealed = ctx.vault()?.seal(random_bytes()?, &context, k.secret_access_key.as_bytes())?;
    let at = ctx.now.to_string();
    let masked = masked_key_id(&k.access_key_id);
    let ev = ctx.partner_event(
        &actor,
        None,
        Action::HuaweiKeySet,
        actor.partner_id.as_str(),
        json!({"access_key_id": masked}),
    );
    let set = db::huawei::set_key(&ctx.db, &actor.partner_id, &k, &sealed, actor.user_id.as_str(), &at)?;
    db::batch(&ctx.db, vec![set, audit::append(&ctx.db, &ev)?]).await?;
    json(200, &key_view(ctx, db::huawei::key(&ctx.db, &actor.partner_id).await?))
}

/// `GET /v1/customers/{id}/huawei-account`: the customer's Huawei account and agency names.
pub async fn show_account(ctx: &Ctx, req: &Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    // The customer, its Huawei account and the partner's name: one round trip.
    let (c, rs) = ctx
        .visible_customer_with(&actor, id, |cid| {
            Ok(vec![
                db::partners::partner_stmt(&ctx.db, actor.partner_id.as_str())?,
                db::huawei::account_stmt(&ctx.db, cid)?,
            ])
        })
        .await?;
    let [partner, account] = rs.as_slice() else { return Err(db::fault("account batch", "wrong number of results")) };
    let partner: Option<db::partners::PartnerRow> = db::row(partner, "decode partner")?;
    account_view(&c, &partner, db::huawei::read_account(account)?)
}

fn account_view(
    c: &crate::customers::Customer,
    partner: &Option<db::partners::PartnerRow>,
    (domain_name, agency_name): (Option<String>, Option<String>),
) -> Res {
    json(
        200,
        &json!({
            "customer_id": c.facts.id, "domain_name": domain_name, "agency_name": agency_name,
            "suggested_agency_name": Account::suggested_agency(partner.as_ref().map_or("", |p| p.name.as_str())),
        }),
    )
}

/// `PUT /v1/customers/{id}/huawei-account` (admin or operator): records them (audited; the customer
/// sees it in its events).
pub async fn set_account(ctx: &Ctx, req: &mut Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::RequestAuthorization)?;
    let (c, rs) = ctx
        .visible_customer_with(&actor, id, |_| {
            Ok(vec![db::partners::partner_stmt(&ctx.db, actor.partner_id.as_str())?])
        })
        .await?;
    let partner: Option<db::partners::PartnerRow> = db::row(db::only(&rs)?, "decode partner")?;
    let a = Account::decode(&json_body(req).await?)?;
    let ev = ctx.partner_event(
        &actor,
        Some(&c.facts.id),
        Action::HuaweiAccountSet,
        c.facts.id.as_str(),
        json!({"domain_name": a.domain_name, "agency_name": a.agency_name}),
    );
    let set = db::huawei::set_account(&ctx.db, &c.facts.id, &a.domain_name, &a.agency_name)?;
    db::batch(&ctx.db, vec![set, audit::append(&ctx.db, &ev)?]).await?;
    account_view(&c, &partner, (Some(a.domain_name), Some(a.agency_name)))
}

fn region_param(req: &Request) -> Result<String, ApiError> {
    let region = query(req, "region").ok_or_else(|| {
        ApiError::validation(vec![crate::error::FieldError::new(
            path(&["region"]),
            Code::Required,
            "Give the region (?region=).",
        )])
    })?;
    if !catalog()?.region_ids().iter().any(|r| *r == region) {
        return Err(ApiError::validation(vec![crate::error::FieldError::new(
            path(&["region"]),
            Code::InvalidValue,
            "Not a region of the catalog.",
        )]));
    }
    Ok(region)
}

/// `GET /v1/sessions/current/{vpcs|subnets|security-groups|key-pairs}?region=&vpc_id=` (session): what
/// Select Products offers, from the customer's project (Huawei) or the simulated customer.
pub async fn lookup(ctx: &Ctx, req: &Request, what: &str) -> Res {
    let what = Lookup::parse(what).or_code(Code::RouteNotFound)?;
    let a = ctx.acting(req).await?;
    let region = region_param(req)?;
    let vpc_id = query(req, "vpc_id");
    let ep = match &ctx.upstream {
        Upstream::Simulated => {
            return json(200, &simulated(what, a.customer.facts.id.as_str(), &region, vpc_id.as_deref()));
        }
        Upstream::Huawei(ep) => ep,
    };
    let who = Who::of(&a);
    let key = lookup_key(&a.session.id, &region, what.key(), vpc_id.as_deref());
    if let Some(text) = cached_lookup(&key).await {
        return Ok(json_text(200, text));
    }
    let acc = in_account(ctx, ep, &who, &region).await?;
    let (service, p) = what.upstream(&acc.project);
    let q: Vec<(&str, &str)> = vpc_id.as_deref().map(|v| ("vpc_id", v)).into_iter().collect();
    let reply = get(ctx, &ep.regional(service, &region), &p, &q, &acc.credential).await;
    let answer = reply.ok_or_else(|| silent(&format!("{service}.{}", what.key())))?.into_result(Step::Other)?;
    let text = reduce(what, &answer).to_string();
    keep_lookup(&key, &text).await;
    Ok(json_text(200, text))
}

/// `GET /v1/sessions/current/project?region=` (session): the customer's project id in the region
/// (Huawei: from IAM; simulated: derived), for previews built in the browser.
pub async fn project(ctx: &Ctx, req: &Request) -> Res {
    let a = ctx.acting(req).await?;
    let region = region_param(req)?;
    let project_id = match &ctx.upstream {
        Upstream::Simulated => crate::orders::project_id(&a.customer.facts.id, &region),
        Upstream::Huawei(ep) => {
            let who = Who::of(&a);
            in_account(ctx, ep, &who, &region).await?.project
        }
    };
    json(200, &json!({"region": region, "project_id": project_id, "upstream": ctx.upstream.name()}))
}

/// `GET /v1/sessions/current/identity?region=` (session): the customer's account user, whose id
/// a yearly/monthly server logging in with a key pair takes as `metadata.op_svc_userid` (Huawei: IAM's
/// user named as the account; simulated: a stable id).
pub async fn identity(ctx: &Ctx, req: &Request) -> Res {
    let a = ctx.acting(req).await?;
    let region = region_param(req)?;
    let ep = match &ctx.upstream {
        Upstream::Simulated => return json(200, &crate::huawei::lookups::simulated_user(a.customer.facts.id.as_str())),
        Upstream::Huawei(ep) => ep,
    };
    let who = Who::of(&a);
    let key = lookup_key(&a.session.id, &region, "identity", None);
    if let Some(text) = cached_lookup(&key).await {
        return Ok(json_text(200, text));
    }
    let acc = in_account(ctx, ep, &who, &region).await?;
    let q = [("name", acc.domain_name.as_str())];
    let reply = get(ctx, &ep.iam, crate::huawei::lookups::USERS_PATH, &q, &acc.credential).await;
    let answer = reply.ok_or_else(|| silent("iam.users"))?.into_result(Step::Other)?;
    let user = crate::huawei::lookups::account_user(&answer, &acc.domain_name).ok_or_else(|| {
        ApiError::with_message(
            Code::UpstreamRejected,
            "Huawei Cloud lists no user named as the customer's account; the agency may lack IAM read permission.",
        )
    })?;
    let text = user.to_string();
    keep_lookup(&key, &text).await;
    Ok(json_text(200, text))
}

/// `GET /v1/placements/{id}`: a request sent to Huawei that the tracker follows (running or in doubt
/// until it succeeds or fails), with every call made for it and Huawei's request ids.
pub async fn placement(ctx: &Ctx, req: &Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    let t = db::huawei::tracking(&ctx.db, id)
        .await?
        .filter(|t| t.partner_id == actor.partner_id.as_str())
        .or_not_found()?;
    json(200, &t.view())
}
