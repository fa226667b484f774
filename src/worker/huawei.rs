//! Calls to Huawei Cloud from the worker: the transport (a signed `crate::huawei::call::Call` sent
//! with `fetch`, raced against a timeout) and acting in a customer's account (assume the agency
//! with the partner's key, find the project, cache both for the session). What to send and how to
//! read the answers is the core's (`crate::huawei`); this module only moves bytes and rows.

use super::context::Ctx;
use super::db::{self, audit};
use crate::audit::Action;
use crate::error::{ApiError, Code, OrCode};
use crate::huawei::call::{build, Credential, Target};
use crate::huawei::config::Endpoints;
use crate::huawei::fault::{error_of, Step};
use crate::huawei::iam;
use crate::ids::{CustomerId, PartnerId, SessionId, UserId};
use crate::time::Timestamp;
use crate::tracking::UpstreamCall;
use serde_json::{json, Value};

use super::outbound::{send, Reply};

impl Reply {
    /// The answer as data, or its error (`step` tells who must fix a refusal).
    pub fn into_result(self, step: Step) -> Result<Value, ApiError> {
        if self.ok() {
            return Ok(self.body);
        }
        Err(error_of(step, self.status, &self.body, self.retry_after.as_deref(), self.request_id.as_deref()))
    }
}

/// The record of a call for the audit trail and the followed request.
pub fn record(name: &str, reply: Option<&Reply>, at: Timestamp) -> UpstreamCall {
    UpstreamCall {
        call: name.to_string(),
        status: reply.map(|r| r.status),
        request_id: reply.and_then(|r| r.request_id.clone()),
        at,
    }
}

/// `upstream_unavailable` for a call that got no answer (nothing was created by it).
pub fn silent(call: &str) -> ApiError {
    ApiError::with_message(
        Code::UpstreamUnavailable,
        format!("Huawei Cloud did not answer ({call}); nothing was ordered."),
    )
    .with_data(json!({"retry_after": 30, "call": call}))
}

/// Who acts in which customer account, under which session.
pub struct Who<'a> {
    pub partner: &'a PartnerId,
    pub user: &'a UserId,
    pub customer: &'a CustomerId,
    pub session: &'a SessionId,
    /// When the session ends (the credential is asked for that long, within IAM's bounds).
    pub until: Timestamp,
}

impl<'a> Who<'a> {
    /// A switch-role session's partner user and customer, until the session ends.
    pub fn of(a: &'a super::context::Acting) -> Self {
        Who {
            partner: &a.actor.partner_id,
            user: &a.actor.user_id,
            customer: &a.customer.facts.id,
            session: &a.session.id,
            until: a.session.expires_at,
        }
    }
}

/// Signed in to the customer's account in one region.
pub struct InAccount {
    pub credential: Credential,
    pub project: String,
    /// The customer's Huawei account (domain) name.
    pub domain_name: String,
    /// The calls made to get here (none when the session's cache served).
    pub calls: Vec<UpstreamCall>,
}

/// The temporary credential for `who` and the customer's project in `region`: from the session's
/// cache while it is usable, else by assuming the customer's agency with the partner's key (audited
/// `agency.assumed`) and listing the customer's projects.
pub async fn in_account(ctx: &Ctx, ep: &Endpoints, who: &Who<'_>, region: &str) -> Result<InAccount, ApiError> {
    let row = match ctx.take_agency(who.session) {
        Some(row) => row,
        None => db::huawei::agency(&ctx.db, who.partner, who.customer, who.session).await?,
    };
    let vault = ctx.vault()?;
    let session_ctx = format!("session:{}", who.session.as_str());
    let mut projects: serde_json::Map<String, Value> =
        row.projects.as_deref().and_then(|p| serde_json::from_str(p).ok()).unwrap_or_default();
    let cached = match (&row.sealed, row.expires_at.as_deref().and_then(Timestamp::parse)) {
        (Some(sealed), Some(expires_at)) => vault
            .open(sealed, &session_ctx)?
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .and_then(|v| {
                Some((
                    v.get("access")?.as_str()?.to_string(),
                    v.get("secret")?.as_str()?.to_string(),
                    v.get("token")?.as_str()?.to_string(),
                ))
            })
            .map(|(access, secret, token)| iam::Temporary {
                credential: Credential { access, secret, security_token: Some(token) },
                expires_at,
            }),
        _ => None,
    };
    let mut calls = Vec::new();
    // The assumption's audit event is written with the cache it fills (one batch), or alone if the
    // project lookup after it fails.
    let (temporary, assumed) = match cached.filter(|t| t.usable(ctx.now)) {
        Some(t) => (t, None),
        None => {
            projects.clear();
            let (t, ev) = assume(ctx, ep, who, &row, &mut calls).await?;
            (t, Some(ev))
        }
    };
    let found = project_in(ctx, ep, &temporary, region, &mut projects, &mut calls).await;
    let project = match found {
        Ok(p) => p,
        Err(e) => {
            if let Some(ev) = &assumed {
                db::batch(&ctx.db, vec![audit::append(&ctx.db, ev)?]).await?;
            }
            return Err(e);
        }
    };
    if !calls.is_empty() {
        let c = &temporary.credential;
        let secret = json!({"access": c.access, "secret": c.secret, "token": c.security_token}).to_string();
        let sealed = vault.seal(super::http::random_bytes()?, &session_ctx, secret.as_bytes())?;
        let projects = Value::Object(projects).to_string();
        let mut writes = vec![db::huawei::cache_credential(
            &ctx.db,
            who.session,
            &sealed,
            &temporary.expires_at.to_string(),
            &projects,
        )?];
        if let Some(ev) = &assumed {
            writes.push(audit::append(&ctx.db, ev)?);
        }
        db::batch(&ctx.db, writes).await?;
    }
    Ok(InAccount {
        credential: temporary.credential,
        project,
        domain_name: row.domain_name.clone().unwrap_or_default(),
        calls,
    })
}

/// The customer's project in `region`: from what the session found before, else listed by IAM.
async fn project_in(
    ctx: &Ctx,
    ep: &Endpoints,
    temporary: &iam::Temporary,
    region: &str,
    projects: &mut serde_json::Map<String, Value>,
    calls: &mut Vec<UpstreamCall>,
) -> Result<String, ApiError> {
    Ok(match projects.get(region).and_then(Value::as_str) {
        Some(p) => p.to_string(),
        None => {
            let call = build(&Target::new("GET", &ep.iam, iam::PROJECTS_PATH), &temporary.credential, ctx.now)?;
            let reply = send(&call, ctx.upstream_timeout_ms).await;
            calls.push(record("iam.projects", reply.as_ref(), ctx.now));
            let list = reply.ok_or_else(|| silent("iam.projects"))?.into_result(Step::Other)?;
            let id = iam::project_of(&list, region).ok_or_else(|| {
                ApiError::with_message(
                    Code::UpstreamRejected,
                    format!("The customer's Huawei Cloud account has no project for region {region}."),
                )
                .with_data(json!({"region": region}))
            })?;
            projects.insert(region.to_string(), Value::from(id.clone()));
            id
        }
    })
}

async fn assume(
    ctx: &Ctx,
    ep: &Endpoints,
    who: &Who<'_>,
    row: &db::huawei::AgencyRow,
    calls: &mut Vec<UpstreamCall>,
) -> Result<(iam::Temporary, crate::audit::AuditEvent), ApiError> {
    let missing: Vec<&str> = [
        ("huawei_key", row.access_key_id.is_none()),
        ("huawei_domain_name", row.domain_name.is_none()),
        ("huawei_agency_name", row.agency_name.is_none()),
    ]
    .into_iter()
    .filter_map(|(k, m)| m.then_some(k))
    .collect();
    let (Some(ak), Some(sealed), Some(domain), Some(agency)) =
        (&row.access_key_id, &row.secret_sealed, &row.domain_name, &row.agency_name)
    else {
        return Err(ApiError::new(Code::UpstreamNotConfigured).with_data(json!({"missing": missing})));
    };
    let partner = partner_credential(ctx, who.partner, ak, sealed)?;
    let body =
        iam::assume_role(domain, agency, iam::duration_for(who.until, ctx.now), &iam::session_user(who.user.as_str()));
    let target = Target { body: Some(&body), ..Target::new("POST", &ep.iam, iam::ASSUME_PATH) };
    let reply = send(&build(&target, &partner, ctx.now)?, ctx.upstream_timeout_ms).await;
    calls.push(record("iam.assume_agency", reply.as_ref(), ctx.now));
    let answer = reply.clone().ok_or_else(|| silent("iam.assume_agency"))?;
    let request_id = answer.request_id.clone();
    let t = iam::temporary(&answer.into_result(Step::AssumeAgency).map_err(|e| named(e, domain, agency))?)?;
    let ev = ctx.user_event(
        who.partner,
        who.user,
        who.customer,
        Action::AgencyAssumed,
        who.session.as_str(),
        json!({"domain_name": domain, "agency_name": agency, "expires_at": t.expires_at, "huawei_request_id": request_id}),
    );
    Ok((t, ev))
}

/// The partner's own key (to assume agencies and for the partner APIs), opened from its seal.
pub fn partner_credential(ctx: &Ctx, partner: &PartnerId, ak: &str, sealed: &str) -> Result<Credential, ApiError> {
    let Some(sk) = ctx.vault()?.open(sealed, &format!("partner:{}", partner.as_str()))? else {
        return Err(ApiError::with_message(
            Code::UpstreamNotConfigured,
            "The partner's Huawei key was sealed under a previous VAULT_KEY; a partner admin must set it again.",
        )
        .with_data(json!({"missing": ["huawei_key"]})));
    };
    let sk = String::from_utf8(sk).ok().or_code(Code::Internal)?;
    Ok(Credential { access: ak.to_string(), secret: sk, security_token: None })
}

/// The partner's key for its own calls (BSS partner APIs); `upstream_not_configured` without one.
pub async fn partner_key(ctx: &Ctx, partner: &PartnerId) -> Result<Credential, ApiError> {
    match db::huawei::sealed_key(&ctx.db, partner).await? {
        Some((ak, sealed)) => partner_credential(ctx, partner, &ak, &sealed),
        None => Err(ApiError::new(Code::UpstreamNotConfigured).with_data(json!({"missing": ["huawei_key"]}))),
    }
}

/// A call signed with `cred`; the reply, or `None` when Huawei did not answer.
pub async fn call(
    ctx: &Ctx,
    cred: &Credential,
    method: &'static str,
    base: &str,
    path: &str,
    query: &[(&str, &str)],
    body: Option<&Value>,
) -> Option<Reply> {
    let target = Target { query, body, ..Target::new(method, base, path) };
    let call = build(&target, cred, ctx.now).ok()?;
    send(&call, ctx.upstream_timeout_ms).await
}

/// `agency_not_found` names the account and the agency that were tried.
fn named(e: ApiError, domain: &str, agency: &str) -> ApiError {
    if e.code != Code::AgencyNotFound {
        return e;
    }
    let mut data = e.data.as_deref().cloned().unwrap_or_else(|| json!({}));
    data["domain_name"] = Value::from(domain);
    data["agency_name"] = Value::from(agency);
    ApiError::with_message(
        Code::AgencyNotFound,
        format!("Huawei Cloud found no agency \"{agency}\" in account \"{domain}\" trusting your partner account; the customer creates it in IAM > Agencies."),
    )
    .with_data(data)
}

/// A signed GET in the customer's project (the pickers' lookups, jobs, orders).
pub async fn get(ctx: &Ctx, base: &str, path: &str, query: &[(&str, &str)], cred: &Credential) -> Option<Reply> {
    let call = build(&Target { query, ..Target::new("GET", base, path) }, cred, ctx.now).ok()?;
    send(&call, ctx.upstream_timeout_ms).await
}

/// How long a lookup (VPCs, subnets, security groups, key pairs, the account user) is reused.
pub const LOOKUP_SECONDS: u32 = 60;

/// A lookup answered in the last [`LOOKUP_SECONDS`] for this key (the session's, so a session never
/// sees what another session's agency listed), from the data centre's cache.
pub async fn cached_lookup(key: &str) -> Option<String> {
    let mut r = worker::Cache::default().get(key, true).await.ok().flatten()?;
    r.text().await.ok()
}

/// Keeps a lookup's answer for [`LOOKUP_SECONDS`]. A failure only costs the next lookup a call.
pub async fn keep_lookup(key: &str, text: &str) {
    let Ok(mut r) = worker::Response::ok(text) else { return };
    let _ = r.headers_mut().set("Cache-Control", &format!("max-age={LOOKUP_SECONDS}"));
    if let Err(e) = worker::Cache::default().put(key, r).await {
        worker::console_warn!("lookup cache: {e}");
    }
}

/// The cache key of a lookup: a URL of a host that does not exist, named by session, region and query.
pub fn lookup_key(session: &SessionId, region: &str, what: &str, vpc_id: Option<&str>) -> String {
    let vpc = vpc_id.map(crate::huawei::sign::encode).unwrap_or_default();
    format!("https://lookups.onbehalf.invalid/{}/{region}/{what}?vpc_id={vpc}", session.as_str())
}
