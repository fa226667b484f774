//! Distributor permissions: a distributor admin grants its resellers order placement and/or O&M.

use super::Res;
use crate::audit::Action;
use crate::error::{ApiError, Code};
use crate::grants::{authorize_grant, authorize_permission_revoke, decode_reason, GrantPermission};
use crate::ids::{PartnerId, PermissionId};
use crate::partners::{Ability, PartnerKind};
use crate::worker::db::{self, audit, grants};
use crate::worker::http::{json, json_body, query, random_bytes, Ctx};
use serde_json::json;
use worker::Request;

/// `POST /v1/distributor-permissions` `{reseller_id, customer_id?, capabilities, valid_until?}`.
pub async fn grant(ctx: &Ctx, req: &mut Request) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require_kind(PartnerKind::Distributor)?;
    actor.require(Ability::ManagePermissions)?;
    let request = GrantPermission::decode(&json_body(req).await?, ctx.now)?;
    let reseller = db::partners::reseller_facts(&ctx.db, &request.reseller_id).await?;
    let customer = match &request.customer_id {
        Some(id) => db::customers::by_id(&ctx.db, id).await?.map(|c| c.facts),
        None => None,
    };
    let id = PermissionId::from_bytes(&random_bytes()?);
    let perm = authorize_grant(&actor, request, reseller.as_ref(), customer.as_ref(), id, ctx.now)?;
    let event = ctx.partner_event(
        &actor,
        perm.customer_id.as_ref(),
        Action::PermissionGranted,
        perm.id.as_str(),
        json!({"reseller_id": perm.reseller_id, "capabilities": perm.capabilities, "valid_until": perm.valid_until}),
    );
    db::batch(&ctx.db, vec![grants::insert_permission(&ctx.db, &perm)?, audit::append(&ctx.db, &event)?]).await?;
    json(201, &perm.view(ctx.now))
}

/// `GET /v1/distributor-permissions?reseller_id=`: granted (distributor) or received (reseller).
pub async fn list(ctx: &Ctx, req: &Request) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    let reseller = match query(req, "reseller_id") {
        Some(s) => Some(PartnerId::parse(&s).ok_or_else(|| {
            ApiError::validation(vec![crate::error::FieldError::new(
                crate::error::path(&["reseller_id"]),
                Code::InvalidFormat,
                "Expected 32 lowercase hex digits.",
            )])
        })?),
        None => None,
    };
    let perms = grants::permissions_of(&ctx.db, &actor.partner_id, reseller.as_ref()).await?;
    let views: Vec<_> = perms.iter().map(|p| p.view(ctx.now)).collect();
    json(200, &json!({"permissions": views}))
}

/// `POST /v1/distributor-permissions/{id}/revoke` `{reason?}`.
pub async fn revoke(ctx: &Ctx, req: &mut Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    let id = PermissionId::parse(id).ok_or_else(|| ApiError::new(Code::NotFound))?;
    let perm = grants::permission(&ctx.db, &id).await?.ok_or_else(|| ApiError::new(Code::NotFound))?;
    authorize_permission_revoke(&actor, &perm, ctx.now)?;
    let reason = decode_reason(&json_body(req).await?, false)?;
    let event = ctx.partner_event(
        &actor,
        perm.customer_id.as_ref(),
        Action::PermissionRevoked,
        perm.id.as_str(),
        json!({"reseller_id": perm.reseller_id, "reason": reason}),
    );
    let update = grants::revoke_permission(&ctx.db, &perm.id, &actor.user_id, ctx.now, reason.as_deref())?;
    audit::change_once(&ctx.db, update, &event, Code::PermissionAlreadyRevoked).await?;
    let perm = grants::permission(&ctx.db, &id).await?.ok_or_else(|| ApiError::new(Code::NotFound))?;
    json(200, &perm.view(ctx.now))
}

/// `GET /v1/resellers`: a distributor's resellers.
pub async fn resellers(ctx: &Ctx, req: &Request) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require_kind(PartnerKind::Distributor)?;
    let rows = db::partners::resellers_of(&ctx.db, actor.partner_id.as_str()).await?;
    json(200, &json!({"resellers": rows}))
}
