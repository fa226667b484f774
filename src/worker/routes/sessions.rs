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
    let customer = ctx.visible_customer(actor, id).await?;
    let ask = StartRequest::decode(&json_body(req).await?)?;
    let input = ctx.prerequisite_input(actor, &customer).await?;
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
    let s = live_session(ctx, req).await?;
    no_fields(&json_body(req).await?)?;
    let actor = db::partners::actor_by_user(&ctx.db, &s.source_user_id).await?.or_code(Code::SessionInvalid)?;
    let ev = ctx.partner_event(
        &actor,
        Some(&s.customer_id),
        Action::SessionEnded,
        s.id.as_str(),
        json!({"reason": "switch_role"}),
    );
    audit::change_once(&ctx.db, db::sessions::end(&ctx.db, &s.id, ctx.now)?, &ev, Code::SessionEnded).await?;
    let ended = db::sessions::by_id(&ctx.db, &s.id).await?.or_code(Code::SessionInvalid)?;
    json(200, &ended.view(ctx.now))
}
