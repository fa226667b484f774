//! Which shard (D1 binding, `crate::shard`) a request's data lives in, found before its context is
//! made: by where its credential is (an API key or portal token by hash, a switch-role session by
//! id, a consent link by token hash). All shards are asked at once (one round trip of latency), and
//! the answer is remembered: where a credential is stored never changes. With one database nothing
//! is asked. After authentication, `Ctx` checks that the actor's tree is routed to that shard.

use super::db::{self, Db, Start};
use crate::bearer::{bearer, Bearer};
use crate::cache::Memo;
use crate::error::ApiError;
use crate::partners::api_key_hash;
use crate::portal::{self, Credential};
use crate::shard::{ShardMap, DEFAULT_BINDING};
use std::cell::RefCell;
use worker::{Env, Request};

/// How long where a credential lives is remembered (it never moves while the deployment's `SHARDS`
/// stays the same; a tree moved to another shard is found again after this).
const WHERE_TTL_MS: u64 = 10 * 60 * 1000;

thread_local! {
    static WHERE: RefCell<Memo<String, String>> = const { RefCell::new(Memo::new(WHERE_TTL_MS, 4096)) };
}

/// What a request is located by: a table, its column, the value.
struct Locator {
    table: &'static str,
    column: &'static str,
    value: String,
}

fn locator(req: &Request, session_secret: Option<&[u8]>) -> Option<Locator> {
    let header = req.headers().get("Authorization").ok().flatten();
    match bearer(header.as_deref()) {
        Some(Bearer::Credential(Credential::ApiKey, secret)) => {
            Some(Locator { table: "api_keys", column: "key_hash", value: api_key_hash(secret) })
        }
        Some(Bearer::Credential(Credential::PortalToken, secret)) => {
            Some(Locator { table: "portal_tokens", column: "token_hash", value: portal::token_hash(secret) })
        }
        Some(Bearer::Session(token)) => {
            let id = crate::sessions::verify(session_secret?, token).ok()?;
            Some(Locator { table: "sessions", column: "id", value: id.as_str().to_string() })
        }
        None => {
            let path = req.path();
            let token = path.strip_prefix("/v1/consent/")?.split('/').next()?;
            crate::consent::is_token(token).then(|| Locator {
                table: "authorizations",
                column: "consent_token_hash",
                value: crate::consent::token_hash(token),
            })
        }
    }
}

/// The binding holding the request's data, and the D1 round trips spent finding it (0 or 1 of
/// latency: the shards are asked at once).
pub async fn locate(
    env: &Env,
    req: &Request,
    map: &ShardMap,
    session_secret: Option<&[u8]>,
) -> Result<(String, u32), ApiError> {
    if !map.is_sharded() {
        return Ok((DEFAULT_BINDING.to_string(), 0));
    }
    let Some(l) = locator(req, session_secret) else { return Ok((DEFAULT_BINDING.to_string(), 0)) };
    let memo_key = format!("{}:{}", l.table, l.value);
    let now = worker::Date::now().as_millis();
    if let Some(b) = WHERE.with(|m| m.borrow_mut().get(&memo_key, now)) {
        return Ok((b, 0));
    }
    let sql = format!("SELECT 1 AS found FROM {} WHERE {} = ?1 LIMIT 1", l.table, l.column);
    let mut asks = Vec::new();
    for b in map.bindings() {
        let binding = env.d1(b).map_err(|e| db::fault("D1 shard binding", e))?;
        // The primary: a credential made a moment ago is found.
        let shard = Db::open(&binding, Start::Primary)?;
        let (sql, value) = (sql.clone(), l.value.clone());
        asks.push(async move {
            let found: Option<serde_json::Value> = db::first(&shard, &sql, vec![value.into()]).await?;
            Ok::<_, ApiError>((b, found.is_some()))
        });
    }
    let answers = futures_util::future::join_all(asks).await;
    for a in answers {
        let (b, found) = a?;
        if found {
            WHERE.with(|m| m.borrow_mut().put(memo_key, b.to_string(), now, None));
            return Ok((b.to_string(), 1));
        }
    }
    // Nowhere: the request authenticates against the default shard, and fails there.
    Ok((DEFAULT_BINDING.to_string(), 1))
}

/// Whether some partner, in any shard, lists browser origin `origin` (a CORS preflight carries no
/// credential to find a shard by): every shard is asked at once.
pub async fn origin_known_anywhere(env: &Env, map: &ShardMap, origin: &str) -> Result<bool, ApiError> {
    let mut asks = Vec::new();
    for b in map.bindings() {
        let binding = env.d1(b).map_err(|e| db::fault("D1 shard binding", e))?;
        let shard = Db::open(&binding, Start::Anywhere)?;
        asks.push(async move { db::embed::origin_known(&shard, origin).await });
    }
    let answers = futures_util::future::join_all(asks).await;
    let mut known = false;
    for a in answers {
        known |= a?;
    }
    Ok(known)
}
