//! A reseller's requests to its distributor for a permission: ask, list (the distributor's inbox or
//! the reseller's own), withdraw (reseller) and decline (distributor). A grant that covers a request
//! answers it in the grant's own batch (`grants::grant`).

use super::Res;
use crate::audit::Action;
use crate::error::{ApiError, Code, OrCode};
use crate::grants::decode_reason;
use crate::grants::requests::{authorize_ask, authorize_close, AskPermission, Close, RequestStatus};
use crate::ids::PermissionRequestId;
use crate::partners::{Ability, PartnerKind};
use crate::sql::permission_requests::{self as sql, Side};
use crate::worker::context::Ctx;
use crate::worker::db::{self, audit};
use crate::worker::http::{invalid_param, json, json_body, query, random_bytes};
use serde_json::json;
use worker::Request;

/// `POST /v1/permission-requests` `{customer_id?, capabilities, note?}`: a reseller asks its
/// distributor. One open request per customer (or for all customers), held by the insert itself.
pub async fn ask(ctx: &Ctx, req: &mut Request) -> Res {
    let actor = ctx.actor(req).await?;
    let ask = AskPermission::decode(&json_body(req).await?)?;
    let customer = match &ask.customer_id {
        Some(id) => db::customers::by_id(&ctx.db, id).await?.map(|c| c.facts),
        None => None,
    };
    let id = PermissionRequestId::from_bytes(&random_bytes()?);
    let r = authorize_ask(&actor, ask, customer.as_ref(), id, ctx.now)?;
    let event = ctx.partner_event(
        &actor,
        r.customer_id.as_ref(),
        Action::PermissionRequested,
        r.id.as_str(),
        json!({"distributor_id": r.distributor_id, "capabilities": r.capabilities}),
    );
    let done =
        db::batch(&ctx.db, vec![db::prepared(&ctx.db, &sql::insert(&r))?, audit::append_if_changed(&ctx.db, &event)?])
            .await;
    match done {
        Ok(changed) if changed.first() == Some(&1) => json(201, &r),
        // The insert's NOT EXISTS (or, under a race, the unique index) found an open request.
        Ok(_) => Err(ApiError::new(Code::PermissionRequestOpen)),
        Err(e) => {
            let open = db::permission_requests::list(
                &ctx.db,
                Side::Reseller,
                &actor.partner_id,
                Some(RequestStatus::Open),
                500,
            )
            .await?
            .iter()
            .any(|x| x.customer_id == r.customer_id);
            Err(if open { ApiError::new(Code::PermissionRequestOpen) } else { e })
        }
    }
}

/// `GET /v1/permission-requests?status=`: a distributor's inbox (its resellers' requests) or a
/// reseller's own requests; open first, then newest; at most 200.
pub async fn list(ctx: &Ctx, req: &Request) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    let status = match query(req, "status") {
        None => None,
        Some(s) => Some(RequestStatus::parse(&s).ok_or_else(|| {
            invalid_param("status", Code::InvalidValue, "One of: open, granted, declined, withdrawn.")
        })?),
    };
    let side = match actor.partner_kind {
        PartnerKind::Distributor => Side::Distributor,
        PartnerKind::Reseller => Side::Reseller,
    };
    let list = db::permission_requests::list(&ctx.db, side, &actor.partner_id, status, 200).await?;
    json(200, &json!({"requests": list}))
}

/// `POST /v1/permission-requests/{id}/decline|withdraw` `{reason?}`.
pub async fn close(ctx: &Ctx, req: &mut Request, id: &str, how: Close) -> Res {
    let actor = ctx.actor(req).await?;
    let id = PermissionRequestId::parse(id).or_not_found()?;
    let r = db::permission_requests::by_id(&ctx.db, &id).await?.or_not_found()?;
    authorize_close(&actor, &r, how)?;
    let reason = decode_reason(&json_body(req).await?, false)?;
    let status = how.status();
    let event = ctx.partner_event(
        &actor,
        r.customer_id.as_ref(),
        Action::PermissionRequestClosed,
        r.id.as_str(),
        json!({"status": status, "reason": reason}),
    );
    let update = db::prepared(&ctx.db, &sql::close(&r.id, status, &actor.user_id, ctx.now, reason.as_deref()))?;
    let read = db::permission_requests::by_id_stmt(&ctx.db, &id)?;
    let rs = audit::change_once_then(&ctx.db, update, &event, Code::PermissionRequestNotOpen, vec![read]).await?;
    let r = db::permission_requests::read_one(db::only(&rs)?)?.or_not_found()?;
    json(200, &r)
}
