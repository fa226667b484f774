//! Grants, partner side: distributor permissions (a distributor admin grants its resellers order
//! placement and/or O&M), a distributor's resellers, and customer authorizations (request, list,
//! withdraw; the customer answers through the consent link, `consent.rs`).

use super::Res;
use crate::audit::Action;
use crate::consent::{self, CodeState};
use crate::delivery::{self, Via};
use crate::error::{ApiError, Code, OrCode};
use crate::grants::{authorize_grant, authorize_permission_revoke, decode_reason, GrantPermission};
use crate::grants::{authorize_request, authorize_withdraw, AuthStatus, RequestAuthorization};
use crate::ids::{AuthorizationId, MessageId, PartnerId, PermissionId};
use crate::outbox;
use crate::partners::{Ability, PartnerKind};
use crate::sql;
use crate::worker::context::Ctx;
use crate::worker::db::outbox::When;
use crate::worker::db::{self, audit, grants};
use crate::worker::delivery as delivery_queue;
use crate::worker::http::{invalid_param, json, json_body, query, random_bytes};
use serde_json::json;
use worker::Request;

/// `POST /v1/distributor-permissions` `{reseller_id, customer_id?, capabilities, valid_until?}`.
pub async fn grant(ctx: &Ctx, req: &mut Request) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require_kind(PartnerKind::Distributor)?;
    actor.require(Ability::ManagePermissions)?;
    let request = GrantPermission::decode(&json_body(req).await?, ctx.now)?;
    // The reseller and the customer named: one round trip.
    let mut reads = vec![db::partners::partner_stmt(&ctx.db, request.reseller_id.as_str())?];
    if let Some(id) = &request.customer_id {
        reads.push(db::customers::by_id_stmt(&ctx.db, id)?);
    }
    let rs = db::batch_results(&ctx.db, reads).await?;
    let reseller = db::partners::read_reseller_facts(&request.reseller_id, db::only(&rs)?)?;
    let customer = match rs.get(1) {
        Some(r) => db::customers::read_customer(r)?.map(|c| c.facts),
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
    // The grant answers the open requests it covers, in the same batch.
    let answered = sql::permission_requests::answered_by_grant(&perm);
    db::batch(
        &ctx.db,
        vec![
            grants::insert_permission(&ctx.db, &perm)?,
            audit::append(&ctx.db, &event)?,
            db::prepared(&ctx.db, &answered)?,
        ],
    )
    .await?;
    json(201, &perm.view(ctx.now))
}

/// `GET /v1/distributor-permissions?reseller_id=`: granted (distributor) or received (reseller).
pub async fn list_permissions(ctx: &Ctx, req: &Request) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    let reseller =
        match query(req, "reseller_id") {
            Some(s) => Some(PartnerId::parse(&s).ok_or_else(|| {
                invalid_param("reseller_id", Code::InvalidFormat, "Expected 32 lowercase hex digits.")
            })?),
            None => None,
        };
    let perms = grants::permissions_of(&ctx.db, &actor.partner_id, reseller.as_ref()).await?;
    let views: Vec<_> = perms.iter().map(|p| p.view(ctx.now)).collect();
    json(200, &json!({"permissions": views}))
}

/// `POST /v1/distributor-permissions/{id}/revoke` `{reason?}`.
pub async fn revoke_permission(ctx: &Ctx, req: &mut Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    let id = PermissionId::parse(id).or_not_found()?;
    let perm = grants::permission(&ctx.db, &id).await?.or_not_found()?;
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
    let read = grants::permission_stmt(&ctx.db, &id)?;
    let rs = audit::change_once_then(&ctx.db, update, &event, Code::PermissionAlreadyRevoked, vec![read]).await?;
    let perm = grants::read_permissions(db::only(&rs)?)?.into_iter().next().or_not_found()?;
    json(200, &perm.view(ctx.now))
}

/// `GET /v1/resellers`: a distributor's resellers.
pub async fn resellers(ctx: &Ctx, req: &Request) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require_kind(PartnerKind::Distributor)?;
    let rows = db::partners::resellers_of(&ctx.db, actor.partner_id.as_str()).await?;
    json(200, &json!({"resellers": rows}))
}

/// `POST /v1/customers/{id}/authorizations` `{capabilities, valid_days?}`: asks the customer.
/// The consent link goes to the customer's email and the code to their mobile (the outbox); the
/// partner never sees either.
pub async fn request_authorization(ctx: &Ctx, req: &mut Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    // The customer, its authorizations to this partner and the partner's name: one round trip.
    let (customer, rs) = ctx
        .visible_customer_with(&actor, id, |cid| {
            Ok(vec![
                grants::authorizations_for_stmt(&ctx.db, cid, Some(&actor.partner_id))?,
                db::partners::partner_stmt(&ctx.db, actor.partner_id.as_str())?,
                db::channels::kinds_stmt(&ctx.db, &actor.partner_id)?,
            ])
        })
        .await?;
    let [existing, partner, channels] = rs.as_slice() else {
        return Err(db::fault("authorization batch", "wrong number of results"));
    };
    actor.require(Ability::RequestAuthorization)?;
    // Both messages must have a way to the customer before anything is written.
    let configured = db::channels::read_configured(channels)?;
    let (email_via, sms_via) = delivery::route_consent(configured, ctx.dev)?;
    let body = json_body(req).await?;
    let request = RequestAuthorization::decode(&body)?;
    let commitment = request.commitment;
    let existing = grants::read_authorizations(existing)?;
    let partner: Option<db::partners::PartnerRow> = db::row(partner, "decode partner")?;
    let auth_id = AuthorizationId::from_bytes(&random_bytes()?);
    let auth = authorize_request(&actor, &customer.facts, &existing, request, auth_id, ctx.now)?;

    let token = consent::new_token(&random_bytes()?);
    let (code, code_hash) = consent::new_code(random_bytes()?, &auth.id);
    let code_state = CodeState::fresh(code_hash, ctx.now, 1);
    let partner_name = partner.map(|p| p.name).unwrap_or_default();
    let link = consent::link(&ctx.origin, &token);
    let email = outbox::consent_email(&partner_name, &customer.email, &auth, &link);
    let sms = outbox::code_sms(&partner_name, &customer.mobile_international(), &code, consent::CODE_TTL / 60);

    let event = ctx.partner_event(
        &actor,
        Some(&auth.customer_id),
        Action::AuthorizationRequested,
        auth.id.as_str(),
        json!({"capabilities": auth.capabilities, "valid_days": auth.valid_days, "commitment_confirmed": commitment}),
    );
    let (email_stmt, email_id) = ctx.message(&auth, &email, email_via, When::Always)?;
    let (sms_stmt, sms_id) = ctx.message(&auth, &sms, sms_via, When::Always)?;
    let stmts = vec![
        grants::insert_authorization(&ctx.db, &auth, &consent::token_hash(&token), &code_state)?,
        email_stmt,
        sms_stmt,
        audit::append(&ctx.db, &event)?,
    ];
    if let Err(e) = db::batch(&ctx.db, stmts).await {
        // The partial unique index allows one pending request per partner and customer; a
        // concurrent duplicate loses here.
        let now_pending = grants::authorizations_for(&ctx.db, &auth.customer_id, Some(&actor.partner_id))
            .await?
            .iter()
            .any(|a| a.status == AuthStatus::Pending && a.id != auth.id);
        return Err(if now_pending { ApiError::new(Code::AuthorizationRequestPending) } else { e });
    }
    delivery_queue::enqueue(ctx, &queued([(email_via, email_id), (sms_via, sms_id)])).await;
    json(201, &auth.view(ctx.now))
}

/// The ids of messages that go out (not held in the dev outbox).
fn queued(messages: [(Via, MessageId); 2]) -> Vec<MessageId> {
    messages.into_iter().filter(|(via, _)| via.goes_out()).map(|(_, id)| id).collect()
}

/// `GET /v1/authorizations/{id}`: one authorization request with the delivery status of every message
/// sent for it (never their content). Its partner and that partner's distributor may see it.
pub async fn show_authorization(ctx: &Ctx, req: &Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    let id = AuthorizationId::parse(id).or_not_found()?;
    let rs = db::batch_results(
        &ctx.db,
        vec![
            db::consent::by_id_stmt(&ctx.db, &id)?,
            db::partners::partner_stmt_where(
                &ctx.db,
                "id = (SELECT partner_id FROM authorizations WHERE id = ?1)",
                id.as_str(),
            )?,
            db::outbox::of_authorization_stmt(&ctx.db, &id)?,
        ],
    )
    .await?;
    let [auth, partner, messages] = rs.as_slice() else {
        return Err(db::fault("authorization batch", "wrong number of results"));
    };
    let (auth, _) = db::consent::read_with_code(auth)?.or_not_found()?;
    let partner: Option<db::partners::PartnerRow> = db::row(partner, "decode partner")?;
    let distributor = db::opt_partner("distributor id", partner.as_ref().and_then(|p| p.distributor_id.as_deref()))?;
    crate::grants::may_see(&actor, &auth, distributor.as_ref())?;
    let mut view = json!(auth.view(ctx.now));
    view["messages"] = json!(db::outbox::read_statuses(messages)?);
    json(200, &view)
}

/// `GET /v1/customers/{id}/authorizations`: the customer's authorizations of the caller's partner
/// (a distributor also sees those of its resellers).
pub async fn list_authorizations(ctx: &Ctx, req: &Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    actor.require(Ability::Read)?;
    let listable = crate::grants::listable_authorizations(&actor);
    let (_, results) = ctx
        .visible_customer_with(&actor, id, |cid| Ok(vec![grants::authorizations_for_stmt(&ctx.db, cid, listable)?]))
        .await?;
    let auths = grants::read_authorizations(db::only(&results)?)?;
    let views: Vec<_> = auths.iter().map(|a| a.view(ctx.now)).collect();
    json(200, &json!({"authorizations": views}))
}

/// `POST /v1/authorizations/{id}/withdraw`: withdraws a pending request of the caller's partner.
pub async fn withdraw(ctx: &Ctx, req: &mut Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    let id = AuthorizationId::parse(id).or_not_found()?;
    let auth = grants::authorization(&ctx.db, &id).await?.or_not_found()?;
    authorize_withdraw(&actor, &auth, ctx.now)?;
    let reason = decode_reason(&json_body(req).await?, false)?;
    let event = ctx.partner_event(
        &actor,
        Some(&auth.customer_id),
        Action::AuthorizationWithdrawn,
        auth.id.as_str(),
        json!({"reason": reason}),
    );
    let update = grants::close_pending(&ctx.db, &auth.id, AuthStatus::Withdrawn, ctx.now, reason.as_deref())?;
    let read = db::consent::by_id_stmt(&ctx.db, &id)?;
    let rs = audit::change_once_then(&ctx.db, update, &event, Code::AuthorizationNotPending, vec![read]).await?;
    let (auth, _) = db::consent::read_with_code(db::only(&rs)?)?.or_not_found()?;
    json(200, &auth.view(ctx.now))
}

/// `POST /v1/authorizations/{id}/resend`: sends the customer a new consent link by email and a new
/// code by SMS for a pending request of the caller's partner; the old link and code stop working.
/// Who may: as for withdrawing. The limits of the customer's own resend hold (a minute apart, at most
/// five codes per request), in the write that replaces link and code; email, SMS and the audit event
/// are written only if it did.
pub async fn resend(ctx: &Ctx, req: &mut Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    let id = AuthorizationId::parse(id).or_not_found()?;
    // The request, its customer and the partner's name: one round trip.
    let rs = db::batch_results(
        &ctx.db,
        vec![
            db::consent::by_id_stmt(&ctx.db, &id)?,
            db::customers::where_stmt(
                &ctx.db,
                "c.id = (SELECT customer_id FROM authorizations WHERE id = ?1)",
                crate::args![id.as_str()],
            )?,
            db::partners::partner_stmt(&ctx.db, actor.partner_id.as_str())?,
            db::channels::kinds_stmt(&ctx.db, &actor.partner_id)?,
        ],
    )
    .await?;
    let [auth, customer, partner, channels] = rs.as_slice() else {
        return Err(db::fault("resend batch", "wrong number of results"));
    };
    let (auth, code) = db::consent::read_with_code(auth)?.or_not_found()?;
    authorize_withdraw(&actor, &auth, ctx.now)?;
    crate::decode::no_fields(&json_body(req).await?)?;
    consent::may_resend(&auth, &code, ctx.now)?;
    let configured = db::channels::read_configured(channels)?;
    let (email_via, sms_via) = delivery::route_consent(configured, ctx.dev)?;
    let customer = db::customers::read_customer(customer)?.or_not_found()?;
    let partner: Option<db::partners::PartnerRow> = db::row(partner, "decode partner")?;
    let partner_name = partner.map(|p| p.name).unwrap_or_default();
    let token = consent::new_token(&random_bytes()?);
    let (new_code, hash) = consent::new_code(random_bytes()?, &auth.id);
    let state = CodeState::fresh(hash, ctx.now, code.codes_sent + 1);
    let link = consent::link(&ctx.origin, &token);
    let email = outbox::consent_email(&partner_name, &customer.email, &auth, &link);
    let sms = outbox::code_sms(&partner_name, &customer.mobile_international(), &new_code, consent::CODE_TTL / 60);
    let event = ctx.partner_event(
        &actor,
        Some(&auth.customer_id),
        Action::AuthorizationResent,
        auth.id.as_str(),
        json!({"codes_sent": state.codes_sent}),
    );
    let write = sql::consent::replace_code(&auth.id, &state, ctx.now, Some(&consent::token_hash(&token)));
    let (email_stmt, email_id) = ctx.message(&auth, &email, email_via, When::IfChanged)?;
    let (sms_stmt, sms_id) = ctx.message(&auth, &sms, sms_via, When::IfChanged)?;
    let changed = db::batch(
        &ctx.db,
        vec![db::prepared(&ctx.db, &write)?, email_stmt, sms_stmt, audit::append_if_changed(&ctx.db, &event)?],
    )
    .await?;
    if changed.first() != Some(&1) {
        // A concurrent resend (or the customer's, or a decision) came first: explain from the row now.
        let (auth, now_code) = db::consent::by_id_with_code(&ctx.db, &auth.id).await?.or_not_found()?;
        authorize_withdraw(&actor, &auth, ctx.now)?;
        consent::may_resend(&auth, &now_code, ctx.now)?;
        return Err(ApiError::with_message(Code::RateLimited, "A code was just sent; retry in a minute.")
            .with_data(json!({"retry_after": consent::RESEND_INTERVAL})));
    }
    delivery_queue::enqueue(ctx, &queued([(email_via, email_id), (sms_via, sms_id)])).await;
    json(
        202,
        &json!({
            "authorization": auth.view(ctx.now),
            "code": {"expires_at": state.expires_at, "codes_left": (consent::MAX_CODES - state.codes_sent).max(0)},
        }),
    )
}
