//! Customer authorizations, customer side: the consent link. The token is the customer's proof;
//! approving also needs the verification code sent to their mobile.

use super::Res;
use crate::audit::Action;
use crate::consent::{self, may_decide, may_revoke, CodeState};
use crate::customers::Customer;
use crate::decode::no_fields;
use crate::error::{ApiError, Code, OrCode};
use crate::grants::{decode_reason, Approval, AuthStatus, CustomerAuthorization};
use crate::outbox;
use crate::sql;
use crate::worker::context::Ctx;
use crate::worker::db::outbox::When;
use crate::worker::db::{self, audit, grants};
use crate::worker::http::{json, json_body, random_bytes};
use serde_json::json;
use worker::Request;

type Opened = (CustomerAuthorization, CodeState, Vec<crate::worker::db::StatementResult>);

/// The authorization a consent token opens, read with `more` (statements by the token's hash, built
/// from it) in one round trip: `not_found` for anything else.
async fn open_with(
    ctx: &Ctx,
    token: &str,
    more: impl FnOnce(&str) -> Result<Vec<worker::D1PreparedStatement>, ApiError>,
) -> Result<Opened, ApiError> {
    if !consent::is_token(token) {
        return Err(ApiError::new(Code::NotFound));
    }
    let hash = consent::token_hash(token);
    db::consent::by_token_hash_with(&ctx.db, &hash, more(&hash)?).await?.or_not_found()
}

/// `GET /v1/consent/{token}`: what the partner asks for, and where the request stands.
pub async fn show(ctx: &Ctx, token: &str) -> Res {
    crate::row! {
        struct Account {
            huawei_domain_name: Option<String>,
            huawei_agency_name: Option<String>,
        }
    }
    let (auth, code, rs) = open_with(ctx, token, |hash| db::consent::page_of(&ctx.db, hash)).await?;
    let [partner, customer, account, key] = rs.as_slice() else {
        return Err(db::fault("consent page", "wrong number of results"));
    };
    let partner: Option<db::partners::PartnerRow> = db::row(partner, "decode partner")?;
    let customer: Customer = db::customers::read_customer(customer)?.or_not_found()?;
    let account: Option<Account> = db::row(account, "decode account")?;
    let (domain_name, agency_name) = account.map_or((None, None), |a| (a.huawei_domain_name, a.huawei_agency_name));
    let key: Option<db::huawei::KeyRow> = db::row(key, "decode key")?;
    let suggested =
        crate::huawei::settings::Account::suggested_agency(partner.as_ref().map_or("", |p| p.name.as_str()));
    // Once the customer answered with the SMS code (approved, later maybe revoked), the link shows it
    // its own account in clear; before, masked like everywhere else.
    let shown_account = if crate::consent::shows_account(&auth) {
        customer.account_name.clone()
    } else {
        crate::masking::name(&customer.account_name)
    };
    json(
        200,
        &json!({
            "authorization": auth.view(ctx.now),
            "partner": partner,
            "huawei_account": {"domain_name": domain_name, "agency_name": agency_name, "suggested_agency_name": suggested,
                               "partner_account_name": key.and_then(|k| k.account_name)},
            "customer": {"id": customer.facts.id, "account_name": shown_account,
                         "mobile": crate::masking::mobile(&customer.mobile)},
            "code": {"expires_at": code.expires_at, "attempts_left": code.attempts_left(), "codes_left": (consent::MAX_CODES - code.codes_sent).max(0)},
        }),
    )
}

/// `GET /v1/consent/{token}/events`: what partners did on the customer's account (the audit events
/// about it, from every partner), newest first; the customer's own view of the trail.
pub async fn events(ctx: &Ctx, token: &str) -> Res {
    let (auth, _, rs) =
        open_with(ctx, token, |hash| Ok(vec![db::audit::of_consent_customer(&ctx.db, hash, 200)?])).await?;
    let events = db::audit::read_events(db::only(&rs)?)?;
    json(200, &json!({"customer_id": auth.customer_id, "events": events}))
}

/// `POST /v1/consent/{token}/{approve|reject|revoke|code}`.
pub async fn act(ctx: &Ctx, req: &mut Request, token: &str, action: &str) -> Res {
    if !matches!(action, "approve" | "reject" | "revoke" | "code") {
        return Err(ApiError::new(Code::RouteNotFound));
    }
    // The token is the customer's credential: it is checked before the body is read.
    // The partner and the customer come along (the code's SMS needs them): still one round trip.
    let (auth, code, people) = open_with(ctx, token, |hash| {
        let mut stmts = db::consent::people_of(&ctx.db, hash)?;
        stmts.push(db::channels::kinds_of_token_stmt(&ctx.db, hash)?);
        Ok(stmts)
    })
    .await?;
    let body = json_body(req).await?;
    match action {
        "approve" => approve(ctx, &auth, &code, &body).await,
        "reject" => {
            may_decide(&auth, ctx.now)?;
            let reason = decode_reason(&body, false)?;
            let event = ctx.customer_event(
                &auth.partner_id,
                &auth.customer_id,
                Action::AuthorizationRejected,
                auth.id.as_str(),
                json!({"reason": reason}),
            );
            let stmt = grants::close_pending(&ctx.db, &auth.id, AuthStatus::Rejected, ctx.now, reason.as_deref())?;
            finish(ctx, &auth, stmt, &event, Code::ConsentAlreadyDecided).await
        }
        "revoke" => {
            let reason = decode_reason(&body, true)?.unwrap_or_default();
            may_revoke(&auth, ctx.now)?;
            let event = ctx.customer_event(
                &auth.partner_id,
                &auth.customer_id,
                Action::AuthorizationRevoked,
                auth.id.as_str(),
                json!({"reason": reason}),
            );
            let stmt = grants::revoke(&ctx.db, &auth.id, ctx.now, &reason)?;
            finish(ctx, &auth, stmt, &event, Code::AuthorizationNotActive).await
        }
        _ => {
            let [partner, customer, channels] = people.as_slice() else {
                return Err(db::fault("consent batch", "wrong number of results"));
            };
            let partner: Option<db::partners::PartnerRow> = db::row(partner, "decode partner")?;
            let customer = db::customers::read_customer(customer)?.or_not_found()?;
            let partner_name = partner.map(|p| p.name).unwrap_or_default();
            let configured = db::channels::read_configured(channels)?;
            resend_code(ctx, &auth, &code, &body, &customer, &partner_name, configured).await
        }
    }
}

/// Runs a conditional update with its audit event; `lost` when the row had already moved on.
async fn finish(
    ctx: &Ctx,
    auth: &CustomerAuthorization,
    stmt: worker::D1PreparedStatement,
    event: &crate::audit::AuditEvent,
    lost: Code,
) -> Res {
    let read = db::consent::by_id_stmt(&ctx.db, &auth.id)?;
    let rs = audit::change_once_then(&ctx.db, stmt, event, lost, vec![read]).await?;
    let (auth, _) = db::consent::read_with_code(db::only(&rs)?)?.or_not_found()?;
    json(200, &auth.view(ctx.now))
}

crate::row! {
    /// The counters once a guess was claimed.
    struct Claimed {
        code_attempts: i64,
        guesses: i64,
    }
}

crate::row! {
    struct Wrong {
        wrong_guesses: i64,
    }
}

/// Approves with the verification code. The guess is claimed (counted, by a conditional write that
/// holds the limits) before the code is compared, so concurrent guesses never evaluate more than the
/// limits allow; a wrong guess is audited, and the tenth wrong one locks the request.
async fn approve(ctx: &Ctx, auth: &CustomerAuthorization, code: &CodeState, body: &serde_json::Value) -> Res {
    may_decide(auth, ctx.now)?;
    let approval = Approval::decode(body, &auth.capabilities)?;
    consent::may_guess(auth, code, ctx.now)?;
    let claim = db::prepared(&ctx.db, &sql::consent::claim_guess(&auth.id, &code.hash, ctx.now))?;
    let results = db::batch_results(&ctx.db, vec![claim]).await?;
    let claimed: Option<Claimed> = results
        .first()
        .map(|r| r.results::<Claimed>())
        .transpose()
        .map_err(|e| db::fault("decode claim", e))?
        .and_then(|v| v.into_iter().next());
    let Some(claimed) = claimed else {
        // Another request changed the code or took the last guess meanwhile: explain from the row as it is now.
        let (auth, now_code) = db::consent::by_id_with_code(&ctx.db, &auth.id).await?.or_not_found()?;
        consent::may_guess(&auth, &now_code, ctx.now)?;
        return Err(ApiError::with_message(
            Code::VerificationCodeExpired,
            "A newer code was sent; use the newest code.",
        ));
    };
    let after = CodeState { attempts: claimed.code_attempts, guesses: claimed.guesses, ..code.clone() };
    if consent::code_matches(&code.hash, &auth.id, &approval.code) {
        let account = approval.huawei_account.clone();
        let approved = crate::grants::approve(auth, approval, ctx.now);
        let event = ctx.customer_event(
            &auth.partner_id,
            &auth.customer_id,
            Action::AuthorizationApproved,
            auth.id.as_str(),
            json!({"capabilities": approved.capabilities, "expires_at": approved.expires_at}),
        );
        let mut writes =
            vec![db::consent::approve(&ctx.db, &approved, &code.hash)?, audit::append_if_changed(&ctx.db, &event)?];
        if let Some(a) = account {
            // The account and agency the customer confirmed, recorded with the approval (only if it is).
            let set = ctx.customer_event(
                &auth.partner_id,
                &auth.customer_id,
                Action::HuaweiAccountSet,
                auth.customer_id.as_str(),
                json!({"domain_name": a.domain_name, "agency_name": a.agency_name, "authorization_id": auth.id}),
            );
            writes.push(db::huawei::set_account_if_approved(&ctx.db, auth, &a.domain_name, &a.agency_name, ctx.now)?);
            writes.push(audit::append_if_changed(&ctx.db, &set)?);
        }
        let read = db::consent::by_id_stmt(&ctx.db, &auth.id)?;
        let (changed, rs) = db::write_then_read(&ctx.db, writes, vec![read]).await?;
        if changed.first() != Some(&1) {
            return Err(ApiError::new(Code::ConsentAlreadyDecided));
        }
        let (now, _) = db::consent::read_with_code(db::only(&rs)?)?.or_not_found()?;
        return json(200, &now.view(ctx.now));
    }
    let failed = ctx.customer_event(
        &auth.partner_id,
        &auth.customer_id,
        Action::ConsentCodeFailed,
        auth.id.as_str(),
        json!({"attempts_left": after.attempts_left()}),
    );
    let locked = ctx.customer_event(
        &auth.partner_id,
        &auth.customer_id,
        Action::AuthorizationLocked,
        auth.id.as_str(),
        json!({"wrong_guesses": consent::MAX_WRONG_GUESSES}),
    );
    let results = db::batch_results(
        &ctx.db,
        vec![
            db::prepared(&ctx.db, &sql::consent::record_wrong(&auth.id))?,
            audit::append(&ctx.db, &failed)?,
            db::prepared(&ctx.db, &sql::consent::lock_if_exhausted(&auth.id, ctx.now))?,
            audit::append_if_changed(&ctx.db, &locked)?,
        ],
    )
    .await?;
    let wrong: Option<Wrong> = results
        .first()
        .map(|r| r.results::<Wrong>())
        .transpose()
        .map_err(|e| db::fault("decode wrong", e))?
        .and_then(|v| v.into_iter().next());
    Err(consent::wrong_code_error(&after, wrong.map_or(0, |w| w.wrong_guesses)))
}

/// Sends a fresh code (at most one per minute, at most five per request); the old one stops working.
/// The write that replaces the code holds those limits; the SMS and the audit event are written only
/// if it did.
async fn resend_code(
    ctx: &Ctx,
    auth: &CustomerAuthorization,
    code: &CodeState,
    body: &serde_json::Value,
    customer: &Customer,
    partner_name: &str,
    configured: crate::delivery::Configured,
) -> Res {
    no_fields(body)?;
    consent::may_resend(auth, code, ctx.now)?;
    let via = crate::delivery::route(configured, outbox::Channel::Sms, ctx.dev)?;
    let (new_code, hash) = consent::new_code(random_bytes()?, &auth.id);
    let state = CodeState::fresh(hash, ctx.now, code.codes_sent + 1);
    let sms = outbox::code_sms(partner_name, &customer.mobile_international(), &new_code, consent::CODE_TTL / 60);
    let event = ctx.customer_event(
        &auth.partner_id,
        &auth.customer_id,
        Action::ConsentCodeSent,
        auth.id.as_str(),
        json!({"codes_sent": state.codes_sent}),
    );
    let (sms_stmt, sms_id) = ctx.message(auth, &sms, via, When::IfChanged)?;
    let changed = db::batch(
        &ctx.db,
        vec![
            db::prepared(&ctx.db, &sql::consent::replace_code(&auth.id, &state, ctx.now, None))?,
            sms_stmt,
            audit::append_if_changed(&ctx.db, &event)?,
        ],
    )
    .await?;
    if changed.first() != Some(&1) {
        // A concurrent request sent a code (or decided) first: explain from the row as it is now.
        let (auth, now_code) = db::consent::by_id_with_code(&ctx.db, &auth.id).await?.or_not_found()?;
        consent::may_resend(&auth, &now_code, ctx.now)?;
        return Err(ApiError::with_message(Code::RateLimited, "A code was just sent; retry in a minute.")
            .with_data(json!({"retry_after": consent::RESEND_INTERVAL})));
    }
    if via.goes_out() {
        crate::worker::delivery::enqueue(ctx, &[sms_id]).await;
    }
    json(
        202,
        &json!({"code": {"expires_at": state.expires_at, "attempts_left": state.attempts_left(), "codes_left": (consent::MAX_CODES - state.codes_sent).max(0)}}),
    )
}
