//! What every route shares besides the request: the context (database, clock, request id,
//! configuration), who is calling (API key, portal token or switch-role session), the customers
//! the caller may see, and audit events stamped with the request.

use super::db;
use super::remembered;
use crate::audit::{Action, ActorKind, AuditEvent};
use crate::bearer::{bearer, Bearer};
use crate::customers::Customer;
use crate::error::{ApiError, Code, OrCode};
use crate::ids::{CustomerId, MessageId, PartnerId, SessionId, UserId};
use crate::partners::{api_key_hash, Actor};
use crate::portal::{self, Credential, CredentialRef};
use crate::prerequisites::{check, PrerequisiteInput, Report};
use crate::sessions::{self, Session};
use crate::time::Timestamp;
use serde_json::Value;
use worker::Request;

/// What the deployment's variables and secrets say, read from the environment once per isolate:
/// they cannot change under a running isolate (a new version, or a `wrangler dev` reload, starts a new
/// one), and reading them took about a tenth of a list request's own CPU time (a dozen crossings into
/// JavaScript, the vault's key schedule). A value that does not parse is an error each time, never kept.
struct Settings {
    shards: crate::shard::ShardMap,
    dev: bool,
    public_origin: Option<String>,
    session_secret: Option<Vec<u8>>,
    upstream: crate::huawei::config::Upstream,
    vault: Option<crate::huawei::vault::Vault>,
    upstream_timeout_ms: u64,
}

thread_local! {
    static SETTINGS: std::cell::RefCell<Option<std::rc::Rc<Settings>>> = const { std::cell::RefCell::new(None) };
}

impl Settings {
    fn of(env: &worker::Env) -> Result<std::rc::Rc<Settings>, ApiError> {
        if let Some(s) = SETTINGS.with(|c| c.borrow().clone()) {
            return Ok(s);
        }
        let s = std::rc::Rc::new(Settings::read(env)?);
        SETTINGS.with(|c| *c.borrow_mut() = Some(s.clone()));
        Ok(s)
    }

    fn read(env: &worker::Env) -> Result<Settings, ApiError> {
        let var = |name: &str| env.var(name).map(|v| v.to_string()).ok();
        // A secret (`wrangler secret put NAME`) in production; `.dev.vars` or `--var` locally.
        let secret = |name: &str| env.secret(name).map(|s| s.to_string()).ok().or_else(|| var(name));
        Ok(Settings {
            shards: crate::shard::ShardMap::parse(var("SHARDS").as_deref())?,
            dev: var("MODE").is_some_and(|v| v == "development"),
            public_origin: var("PUBLIC_ORIGIN").filter(|o| !o.is_empty()),
            session_secret: secret("SESSION_SECRET").filter(|s| s.len() >= 32).map(String::into_bytes),
            upstream: crate::huawei::config::Upstream::from_vars(
                var("UPSTREAM").as_deref(),
                var("HUAWEI_REGIONAL_ENDPOINT").as_deref(),
                var("HUAWEI_IAM_ENDPOINT").as_deref(),
                var("HUAWEI_BSS_ENDPOINT").as_deref(),
            )?,
            vault: secret("VAULT_KEY").map(|k| crate::huawei::vault::Vault::from_hex(&k)).transpose()?,
            upstream_timeout_ms: var("HUAWEI_TIMEOUT_MS")
                .and_then(|v| v.parse().ok())
                .filter(|ms| (100..=120_000).contains(ms))
                .unwrap_or(15_000),
        })
    }
}

/// Everything a route needs besides the request.
pub struct Ctx {
    /// The request's D1 session (`db::Db`) on its shard: where it starts, and its round trips counted.
    pub db: db::Db,
    /// The shard (D1 binding) `db` is on, and the deployment's shards (`SHARDS`, `crate::shard`).
    pub binding: String,
    pub shards: crate::shard::ShardMap,
    /// D1 round trips made outside `db` (finding the shard, `shards::locate`; 0 with one database;
    /// asking the primary again for a credential or session a replica did not know).
    pub located: std::cell::Cell<u32>,
    /// The Huawei agency row a session's batch read along (`take_agency`).
    agency: std::cell::RefCell<Option<(SessionId, db::huawei::AgencyRow)>>,
    pub request_id: String,
    pub now: Timestamp,
    /// Dev mode exposes `/v1/dev/*` (the outbox).
    pub dev: bool,
    /// Public origin for links sent to customers.
    pub origin: String,
    /// The key that signs session tokens (`SESSION_SECRET`, at least 32 bytes); sessions are refused without it.
    pub session_secret: Option<Vec<u8>>,
    /// Where orders go (`UPSTREAM`, `HUAWEI_*_ENDPOINT`).
    pub upstream: crate::huawei::config::Upstream,
    /// The key that seals secrets at rest (`VAULT_KEY`); Huawei keys cannot be stored without it.
    pub vault: Option<crate::huawei::vault::Vault>,
    /// How long a call to Huawei may take before it is given up (`HUAWEI_TIMEOUT_MS`, default 15 s);
    /// a create request given up is in doubt.
    pub upstream_timeout_ms: u64,
    /// The bindings (the tracker's queue).
    pub env: worker::Env,
    /// D1 round trips spent authenticating (a credential or origin list not remembered); dev mode
    /// reports them in `X-Onbehalf-D1-Auth-Calls`.
    pub auth_calls: std::cell::Cell<u32>,
}

/// Who made a request and with which credential.
pub struct Authenticated {
    pub actor: Actor,
    pub credential: CredentialRef,
    /// When the credential stops working by itself (portal tokens); `None` for API keys.
    pub expires_at: Option<Timestamp>,
}

/// A request made with a switch-role session: the session, its source user and customer, and a
/// fresh passing check (grants and freezes take effect on the next request).
pub struct Acting {
    pub session: Session,
    pub actor: Actor,
    pub customer: Customer,
    pub report: Report,
}

/// The request's `Origin` when it is another origin than the worker's own.
pub fn cross_origin(req: &Request, own: &str) -> Option<String> {
    let o = req.headers().get("Origin").ok().flatten()?;
    (o != own && o != super::http::own_origin(req)).then_some(o)
}

fn authorization(req: &Request) -> Option<String> {
    req.headers().get("Authorization").ok().flatten()
}

impl Ctx {
    /// The context for a request or a background event: bindings, clock and configuration from `env`.
    /// `origin` is the request's own origin (links in messages use `PUBLIC_ORIGIN` when set).
    pub fn new(env: &worker::Env, request_id: String, origin: String, start: db::Start) -> Result<Ctx, ApiError> {
        let s = Settings::of(env)?;
        let binding = crate::shard::DEFAULT_BINDING.to_string();
        let db = db::Db::open(&env.d1(&binding).map_err(|e| db::fault("D1 binding DB", e))?, start)?;
        let now = Timestamp::from_unix_millis(worker::Date::now().as_millis() as f64);
        Ok(Ctx {
            db,
            request_id,
            now,
            dev: s.dev,
            origin: s.public_origin.clone().unwrap_or(origin),
            session_secret: s.session_secret.clone(),
            upstream: s.upstream.clone(),
            vault: s.vault.clone(),
            upstream_timeout_ms: s.upstream_timeout_ms,
            env: env.clone(),
            auth_calls: std::cell::Cell::new(0),
            binding,
            shards: s.shards.clone(),
            located: std::cell::Cell::new(0),
            agency: std::cell::RefCell::new(None),
        })
    }

    /// Moves the context onto shard `binding` (found by `shards::locate`), its session starting at `start`.
    pub fn on_shard(&mut self, binding: &str, start: db::Start) -> Result<(), ApiError> {
        if binding != self.binding {
            let d1 = self.env.d1(binding).map_err(|e| db::fault("D1 shard binding", e))?;
            self.db = db::Db::open(&d1, start)?;
            self.binding = binding.to_string();
        }
        Ok(())
    }

    async fn lookup_credential(
        &self,
        db: &db::Db,
        kind: Credential,
        hash: &str,
    ) -> Result<Option<db::partners::Credentialed>, ApiError> {
        match kind {
            Credential::ApiKey => db::keys::actor_by_key_hash(db, hash).await,
            Credential::PortalToken => db::embed::actor_by_token_hash(db, hash, &self.now.to_string()).await,
        }
    }

    /// The primary of this request's shard, for a second look at what a lagging replica did not have
    /// (a credential or a session created a moment ago by a client that sent no bookmark).
    fn primary(&self) -> Result<db::Db, ApiError> {
        let d1 = self.env.d1(&self.binding).map_err(|e| db::fault("D1 binding", e))?;
        db::Db::open(&d1, db::Start::Primary)
    }

    /// Counts round trips made by another `Db` of this request.
    fn spent(&self, other: &db::Db, auth: bool) {
        self.located.set(self.located.get() + other.calls());
        if auth {
            self.auth_calls.set(self.auth_calls.get() + other.calls());
        }
    }

    /// A partner's data is served only from the shard `SHARDS` routes its tree to: a credential
    /// found elsewhere (a tree being moved, a wrong map) is a fault, never a cross-shard read.
    fn on_its_shard(&self, actor: &Actor) -> Result<(), ApiError> {
        let want = self.shards.binding_for(actor);
        if want == self.binding {
            Ok(())
        } else {
            Err(db::fault(
                "shards",
                format!("partner {} is routed to {want}, found in {}", actor.partner_id, self.binding),
            ))
        }
    }

    /// The vault: a fault (500) when the deployment has no `VAULT_KEY`.
    pub fn vault(&self) -> Result<&crate::huawei::vault::Vault, ApiError> {
        self.vault.as_ref().ok_or_else(|| db::fault("vault", "VAULT_KEY is not set (64 hex characters)"))
    }

    /// An audit event by a partner user.
    pub fn partner_event(
        &self,
        actor: &Actor,
        customer: Option<&CustomerId>,
        action: Action,
        target: &str,
        detail: Value,
    ) -> AuditEvent {
        let who = (ActorKind::PartnerUser, Some(actor.user_id.clone()), &actor.partner_id);
        self.event(who, customer, action, target, detail)
    }

    /// An audit event by a customer (through a consent link), filed under the partner concerned.
    pub fn customer_event(
        &self,
        partner: &PartnerId,
        customer: &CustomerId,
        action: Action,
        target: &str,
        detail: Value,
    ) -> AuditEvent {
        self.event((ActorKind::Customer, None, partner), Some(customer), action, target, detail)
    }

    /// An audit event by a partner user known by id (the tracker, acting for who placed an order).
    pub fn user_event(
        &self,
        partner: &PartnerId,
        user: &UserId,
        customer: &CustomerId,
        action: Action,
        target: &str,
        detail: Value,
    ) -> AuditEvent {
        self.event((ActorKind::PartnerUser, Some(user.clone()), partner), Some(customer), action, target, detail)
    }

    fn event(
        &self,
        (actor_kind, actor_user_id, partner): (ActorKind, Option<UserId>, &PartnerId),
        customer: Option<&CustomerId>,
        action: Action,
        target: &str,
        detail: Value,
    ) -> AuditEvent {
        AuditEvent {
            at: self.now,
            request_id: self.request_id.clone(),
            actor_kind,
            actor_user_id,
            partner_id: Some(partner.clone()),
            customer_id: customer.cloned(),
            action,
            target_id: Some(target.to_string()),
            detail,
        }
    }

    /// The statement recording `message` about authorization `auth` in the outbox, for the batch of
    /// the change it tells of, carried by `via` (`crate::delivery::route`): sealed for delivery, or
    /// held in the dev outbox. Returns the message's id for [`super::delivery::enqueue`].
    pub fn message(
        &self,
        auth: &crate::grants::CustomerAuthorization,
        message: &crate::outbox::Message,
        via: crate::delivery::Via,
        when: db::outbox::When,
    ) -> Result<(worker::D1PreparedStatement, MessageId), ApiError> {
        let id = MessageId::from_bytes(&super::http::random_bytes()?);
        let sealed = match via {
            crate::delivery::Via::DevOutbox => None,
            _ => {
                let mut content = crate::delivery::Sealed::of(message);
                if via == crate::delivery::Via::HuaweiSms && !self.origin.is_empty() {
                    let token = crate::delivery::report_token(self.session_secret()?, id.as_str());
                    content.status_callback = Some(crate::delivery::report_url(&self.origin, id.as_str(), &token));
                }
                let plain = serde_json::to_vec(&content).map_err(|e| db::fault("message", e))?;
                Some(self.vault()?.seal(super::http::random_bytes()?, &format!("message:{}", id.as_str()), &plain)?)
            }
        };
        let record = db::outbox::Record {
            id: &id,
            at: self.now,
            partner: &auth.partner_id,
            customer: &auth.customer_id,
            authorization: &auth.id,
            message,
            via,
            sealed: sealed.as_deref(),
            request_id: &self.request_id,
        };
        Ok((db::outbox::insert(&self.db, &record, when)?, id))
    }

    /// The partner user behind the request's API key or portal token: `unauthenticated` otherwise.
    pub async fn actor(&self, req: &Request) -> Result<Actor, ApiError> {
        Ok(self.credential(req).await?.actor)
    }

    /// The actor of a request that must use an API key (not a portal token): `forbidden_credential` otherwise.
    pub async fn api_key_actor(&self, req: &Request) -> Result<Actor, ApiError> {
        let auth = self.credential(req).await?;
        portal::require_api_key(auth.credential.kind)?;
        Ok(auth.actor)
    }

    /// The partner user and the credential the request authenticated with. A cross-origin browser
    /// request must come from an origin the partner allows (`origin_not_allowed`).
    pub async fn credential(&self, req: &Request) -> Result<Authenticated, ApiError> {
        let header = authorization(req);
        let Some(Bearer::Credential(kind, secret)) = bearer(header.as_deref()) else {
            return Err(ApiError::new(Code::Unauthenticated));
        };
        let hash = match kind {
            Credential::ApiKey => api_key_hash(secret),
            Credential::PortalToken => portal::token_hash(secret),
        };
        let before = self.db.calls();
        let found = match remembered::credential(&hash) {
            Some(found) => Some(found),
            None => {
                let mut found = self.lookup_credential(&self.db, kind, &hash).await?;
                if found.is_none() && !self.db.at_primary() {
                    // A replica may not have a key made a moment ago (the client sent no bookmark).
                    let primary = self.primary()?;
                    found = self.lookup_credential(&primary, kind, &hash).await?;
                    self.spent(&primary, true);
                }
                if let Some(f) = &found {
                    remembered::remember_credential(hash, f.clone());
                }
                found
            }
        };
        let result = self.authenticated(req, kind, found).await;
        self.auth_calls.set(self.auth_calls.get() + self.db.calls() - before);
        result
    }

    async fn authenticated(
        &self,
        req: &Request,
        kind: Credential,
        found: Option<db::partners::Credentialed>,
    ) -> Result<Authenticated, ApiError> {
        let (actor, id, expires_at) = found.or_code(Code::Unauthenticated)?;
        self.on_its_shard(&actor)?;
        if let Some(o) = cross_origin(req, &self.origin) {
            let partner = actor.partner_id.as_str();
            let allowed = match remembered::origins(partner) {
                Some(list) => list,
                None => {
                    let list = db::embed::origins(&self.db, partner).await?;
                    remembered::remember_origins(partner, list.clone());
                    list
                }
            };
            if !portal::origin_allowed(&o, &allowed) {
                return Err(ApiError::new(Code::OriginNotAllowed));
            }
        }
        Ok(Authenticated { actor, credential: CredentialRef { kind, id }, expires_at })
    }

    /// The customer `id` if it exists and `actor` may see it; `not_found` otherwise (existence of
    /// other partners' customers is not leaked).
    pub async fn visible_customer(&self, actor: &Actor, id: &str) -> Result<Customer, ApiError> {
        let id = CustomerId::parse(id).or_not_found()?;
        db::customers::by_id(&self.db, &id)
            .await?
            .filter(|c| actor.sees(&c.facts.partner_id, c.facts.partner_distributor_id.as_ref()))
            .or_not_found()
    }

    /// The customer `id` as [`Ctx::visible_customer`] decides, read in the same D1 round trip as
    /// the statements `more` builds for it; their results come back only if the customer is visible.
    pub async fn visible_customer_with(
        &self,
        actor: &Actor,
        id: &str,
        more: impl FnOnce(&CustomerId) -> Result<Vec<worker::D1PreparedStatement>, ApiError>,
    ) -> Result<(Customer, Vec<crate::worker::db::StatementResult>), ApiError> {
        let id = CustomerId::parse(id).or_not_found()?;
        let mut stmts = vec![db::customers::by_id_stmt(&self.db, &id)?];
        stmts.extend(more(&id)?);
        let mut results = db::batch_results(&self.db, stmts).await?;
        if results.is_empty() {
            return Err(db::fault("customer batch", "no result"));
        }
        let rest = results.split_off(1);
        let customer = db::customers::read_customer(&results[0])?
            .filter(|c| actor.sees(&c.facts.partner_id, c.facts.partner_distributor_id.as_ref()))
            .or_not_found()?;
        Ok((customer, rest))
    }

    /// The customer `id` and everything the prerequisite check reads for `actor` and it, in one
    /// D1 round trip.
    pub async fn visible_customer_and_input(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<(Customer, PrerequisiteInput), ApiError> {
        let (customer, results) = self
            .visible_customer_with(actor, id, |cid| {
                Ok(vec![
                    db::grants::permissions_for(&self.db, &actor.partner_id, cid)?,
                    db::grants::authorizations_for_stmt(&self.db, cid, Some(&actor.partner_id))?,
                ])
            })
            .await?;
        let [perms, auths] = results.as_slice() else {
            return Err(db::fault("prerequisite batch", "wrong number of results"));
        };
        // Read whether or not they are needed: the check itself decides what counts.
        let distributor_permissions =
            if actor.needs_distributor_permission() { db::grants::read_permissions(perms)? } else { Vec::new() };
        let input = PrerequisiteInput {
            now: self.now,
            actor: actor.clone(),
            customer: customer.facts.clone(),
            distributor_permissions,
            authorizations: db::grants::read_authorizations(auths)?,
        };
        Ok((customer, input))
    }

    /// The key that signs session tokens: a fault (500) when the deployment has none.
    pub fn session_secret(&self) -> Result<&[u8], ApiError> {
        self.session_secret
            .as_deref()
            .ok_or_else(|| db::fault("sessions", "SESSION_SECRET is not set (at least 32 bytes)"))
    }

    /// The session a request's bearer token names, its signature verified: `session_invalid` otherwise.
    pub fn session_id(&self, req: &Request) -> Result<SessionId, ApiError> {
        let header = authorization(req);
        let Some(Bearer::Session(token)) = bearer(header.as_deref()) else {
            return Err(ApiError::new(Code::SessionInvalid));
        };
        sessions::verify(self.session_secret()?, token)
    }

    /// Authenticates a session request and runs the check again, reading everything in one D1
    /// round trip: the session must be live and the check must pass.
    pub async fn acting(&self, req: &Request) -> Result<Acting, ApiError> {
        let id = self.session_id(req)?;
        let (mut rows, _) = db::sessions::acting(&self.db, &id, Vec::new(), self.huawei()).await?;
        if rows.is_none() && !self.db.at_primary() {
            // A replica may not have a session started a moment ago (the client sent no bookmark).
            let primary = self.primary()?;
            rows = db::sessions::acting(&primary, &id, Vec::new(), self.huawei()).await?.0;
            self.spent(&primary, true);
        }
        self.check_acting(rows)
    }

    /// [`Ctx::acting`] in the same round trip as `first`, statements about the session built from its
    /// id (run before the reads): the check's outcome and their results (returned whatever the
    /// outcome, so that a write among them can be undone).
    pub async fn acting_with(
        &self,
        req: &Request,
        first: impl FnOnce(&SessionId) -> Result<Vec<worker::D1PreparedStatement>, ApiError>,
    ) -> Result<(Result<Acting, ApiError>, Vec<crate::worker::db::StatementResult>), ApiError> {
        let id = self.session_id(req)?;
        let (rows, results) = db::sessions::acting(&self.db, &id, first(&id)?, self.huawei()).await?;
        Ok((self.check_acting(rows), results))
    }

    /// Whether orders go to Huawei Cloud (then a session's batch also reads its agency row).
    fn huawei(&self) -> bool {
        matches!(self.upstream, crate::huawei::config::Upstream::Huawei(_))
    }

    /// The agency row the session's batch read for session `id`, once (a second use reads afresh:
    /// the first may have renewed the cached credential).
    pub fn take_agency(&self, id: &SessionId) -> Option<db::huawei::AgencyRow> {
        let mut held = self.agency.borrow_mut();
        match held.as_ref() {
            Some((s, _)) if s == id => held.take().map(|(_, row)| row),
            _ => None,
        }
    }

    fn check_acting(&self, rows: Option<db::sessions::ActingRows>) -> Result<Acting, ApiError> {
        let mut rows = rows.or_code(Code::SessionInvalid)?;
        rows.session.check_live(self.now)?;
        if let Some(agency) = rows.agency.take() {
            self.agency.replace(Some((rows.session.id.clone(), agency)));
        }
        if let Some(a) = &rows.actor {
            self.on_its_shard(a)?;
        }
        let actor = rows.actor.or_code(Code::SessionInvalid)?;
        let customer = rows
            .customer
            .filter(|c| actor.sees(&c.facts.partner_id, c.facts.partner_distributor_id.as_ref()))
            .or_not_found()?;
        let permissions = if actor.needs_distributor_permission() { rows.permissions } else { Vec::new() };
        let report = check(&actor, &customer.facts, &permissions, &rows.authorizations, self.now);
        if !report.can_order {
            return Err(sessions::refusal(&report));
        }
        Ok(Acting { session: rows.session, actor, customer, report })
    }
}
