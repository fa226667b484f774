//! Switch role: start acting as a customer (the confirm dialog's "OK"), the current session, and
//! Switch Role back to the partner.

use super::Res;
use crate::audit::Action;
use crate::decode::no_fields;
use crate::error::{ApiError, Code, OrCode};
use crate::ids::SessionId;
use crate::prerequisites::check;
use crate::sessions::{self, Session, StartRequest};
use crate::sql;
use crate::worker::context::Ctx;
use crate::worker::db::{self, audit};
use crate::worker::http::{json, json_body, random_bytes};
use serde_json::{json, Value};
use worker::Request;

/// `POST /v1/customers/{id}/sessions` `{minutes?}`: starts acting as the customer when the
/// prerequisite check passes (else 403 with the report, audited as refused).
pub async fn start(ctx: &Ctx, req: &mut Request, id: &str) -> Res {
    let auth = ctx.credential(req).await?;
    let actor = &auth.actor;
    let secret = ctx.session_secret()?.to_vec();
    let (customer, input) = ctx.visible_customer_and_input(actor, id).await?;
    let ask = StartRequest::decode(&json_body(req).await?)?;
    let report = check(actor, &customer.facts, &input.distributor_permissions, &input.authorizations, ctx.now);
    let cid = &customer.facts.id;
    let sid = SessionId::from_bytes(&random_bytes()?);
    let session = match Session::start(sid, &report, ask, auth.credential.clone(), auth.expires_at, ctx.now) {
        Ok(s) => s,
        Err(e) => {
            let ev = ctx.partner_event(
                actor,
                Some(cid),
                Action::SessionRefused,
                cid.as_str(),
                json!({"blocking": report.blocking}),
            );
            db::batch(&ctx.db, vec![audit::append(&ctx.db, &ev)?]).await?;
            return Err(e);
        }
    };
    let token = sessions::token(&secret, &session.id).ok_or_else(|| db::fault("sessions", "unusable secret"))?;
    let ev = ctx.partner_event(
        actor,
        Some(cid),
        Action::SessionStarted,
        session.id.as_str(),
        json!({"expires_at": session.expires_at, "relied_on": session.relied_on}),
    );
    // The write holds what the check read: the credential still works, the customer is not frozen,
    // the grants relied on are not revoked.
    let mut guards = vec![sql::guards::credential_live(&auth.credential, ctx.now)];
    guards.extend(sql::guards::relied_on(cid, &report.relied_on));
    let writes = vec![db::sessions::insert(&ctx.db, &session)?, audit::append(&ctx.db, &ev)?];
    db::guarded(&ctx.db, guards, writes).await?;
    let mut v = session.view(ctx.now);
    if let Some(o) = v.as_object_mut() {
        o.insert("token".into(), Value::from(token));
    }
    json(201, &v)
}

async fn live_session(ctx: &Ctx, req: &Request) -> Result<Session, ApiError> {
    let id = ctx.session_id(req)?;
    let s = db::sessions::by_id(&ctx.db, &id).await?.or_code(Code::SessionInvalid)?;
    s.check_live(ctx.now)?;
    Ok(s)
}

/// `GET /v1/sessions/current`: whom the portal acts for and for how long.
pub async fn current(ctx: &Ctx, req: &Request) -> Res {
    json(200, &live_session(ctx, req).await?.view(ctx.now))
}

/// `DELETE /v1/sessions/current`: Switch Role. The token is refused from then on.
pub async fn end(ctx: &Ctx, req: &mut Request) -> Res {
    // The session and its source user: one round trip.
    let id = ctx.session_id(req)?;
    let rs = db::batch_results(
        &ctx.db,
        vec![db::sessions::by_id_stmt(&ctx.db, &id)?, db::partners::actor_of_session(&ctx.db, id.as_str())?],
    )
    .await?;
    let [s, actor] = rs.as_slice() else { return Err(db::fault("session batch", "wrong number of results")) };
    let s = db::sessions::read_session(s)?.or_code(Code::SessionInvalid)?;
    s.check_live(ctx.now)?;
    no_fields(&json_body(req).await?)?;
    let actor = db::partners::read_actor(actor)?.or_code(Code::SessionInvalid)?;
    let ev = ctx.partner_event(
        &actor,
        Some(&s.customer_id),
        Action::SessionEnded,
        s.id.as_str(),
        json!({"reason": "switch_role"}),
    );
    let end = db::sessions::end(&ctx.db, &s.id, ctx.now)?;
    let read = db::sessions::by_id_stmt(&ctx.db, &s.id)?;
    let rs = audit::change_once_then(&ctx.db, end, &ev, Code::SessionEnded, vec![read]).await?;
    let ended = db::sessions::read_session(db::only(&rs)?)?.or_code(Code::SessionInvalid)?;
    json(200, &ended.view(ctx.now))
}
