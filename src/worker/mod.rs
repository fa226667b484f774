//! The Cloudflare Worker adapter: decode the request, call the core, encode the answer.
//! Static files (`www/`) are served by Workers static assets before this code runs.

mod background;
mod bss;
mod context;
pub mod db;
mod delivery;
mod directory;
mod http;
mod huawei;
mod outbound;
mod queue;
mod remembered;
mod routes;
mod shards;
mod tracker;
mod upstream;

use crate::error::{ApiError, Code};
use crate::ids::hex;
use context::Ctx;
use http::{error_response, random_bytes};
use worker::{event, Context, Env, Request, Response};

/// Reads what is left of a request body the route did not read (a request refused before its body,
/// say for its credential) when its Content-Length says at most 1 MiB (a body of unknown length is
/// left alone rather than read without a bound): an HTTP/1.1 connection whose request body was left unread
/// cannot carry the next request, and under `wrangler dev` the proxy in front of the worker then wrote
/// the next request into the closed connection ("Broken pipe") and answered 503.
async fn drain_body(req: &mut Request) {
    const MAX: u64 = 1 << 20;
    let inner = req.inner();
    if inner.body_used() || inner.body().is_none() {
        return;
    }
    let small = inner
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|n| n.parse::<u64>().ok())
        .is_some_and(|n| n <= MAX);
    if small {
        let _ = req.bytes().await;
    }
}

#[event(fetch)]
async fn fetch(mut req: Request, env: Env, wait: Context) -> worker::Result<Response> {
    let request_id = match random_bytes::<16>() {
        Ok(b) => format!("req_{}", hex(&b)),
        Err(_) => "req_unavailable".to_string(),
    };
    // CORS: a browser origin other than our own is served only if a partner lists it (preflights
    // carry no credentials, so any partner's list admits them; the request itself is then checked
    // against its own partner's list when it authenticates).
    let mut cors_origin: Option<String> = None;
    let mut dev = false;
    let (mut calls, mut auth_calls) = (0, 0);
    let mut bookmark = None;
    let result = match context(&req, &env, request_id.clone()).await {
        Ok(ctx) => {
            dev = ctx.dev;
            if let Some(o) = context::cross_origin(&req, &ctx.origin) {
                let normal = crate::portal::origin(&o).unwrap_or_default();
                let known = match remembered::origin_known(&normal) {
                    Some(k) => Ok(k),
                    None => {
                        ctx.auth_calls.set(ctx.auth_calls.get() + 1);
                        let known = if ctx.shards.is_sharded() {
                            shards::origin_known_anywhere(&env, &ctx.shards, &normal).await
                        } else {
                            db::embed::origin_known(&ctx.db, &normal).await
                        };
                        known.inspect(|k| {
                            remembered::remember_origin_known(&normal, *k);
                        })
                    }
                };
                match known {
                    Ok(true) => cors_origin = Some(o),
                    Ok(false) => {}
                    Err(e) => worker::console_error!("{request_id}: origin lookup: {}", e.message),
                }
            }
            let r = if req.method() == worker::Method::Options {
                preflight(cors_origin.is_some())
            } else {
                routes::dispatch(&ctx, &mut req).await
            };
            // Finding the shard (other databases, asked at once) counts as authentication.
            (calls, auth_calls) = (ctx.db.calls() + ctx.located.get(), ctx.auth_calls.get());
            bookmark = ctx.db.bookmark();
            // Writes append audit events; they are sealed into the hash chain after the answer
            // (waitUntil, on the primary). A failure there loses nothing: the next write (or
            // GET /v1/audit/verify, which seals first) seals them.
            if !matches!(req.method(), worker::Method::Get | worker::Method::Head | worker::Method::Options) {
                let (env, id) = (env.clone(), request_id.clone());
                wait.wait_until(async move {
                    let sealed = match Ctx::new(&env, id.clone(), String::new(), db::Start::Primary) {
                        Ok(ctx) => db::audit::seal_pending(&ctx.db).await,
                        Err(e) => Err(e),
                    };
                    if let Err(e) = sealed {
                        worker::console_error!("{id}: sealing the audit chain: {}", e.message);
                    }
                });
            }
            r
        }
        Err(e) => Err(e),
    };
    drain_body(&mut req).await;
    let mut resp = result.unwrap_or_else(|e| {
        if e.code == Code::Internal {
            worker::console_error!("{request_id}: internal error: {}", e.message);
        }
        let mut r = error_response(&e);
        let data = e.data.as_deref();
        // Every 429 says when to retry (RFC 6585); a code without its own figure says a minute.
        let retry =
            data.and_then(|d| d.get("retry_after")).and_then(|v| v.as_i64()).or((e.http_status() == 429).then_some(60));
        if let Some(secs) = retry {
            let _ = r.headers_mut().set("Retry-After", &secs.max(1).to_string());
        }
        // A 405 names the methods the route accepts (RFC 9110).
        if let Some(allow) = data.and_then(|d| d.get("allow")).and_then(|v| v.as_array()) {
            let names: Vec<&str> = allow.iter().filter_map(|v| v.as_str()).collect();
            let _ = r.headers_mut().set("Allow", &names.join(", "));
        }
        r
    });
    // HEAD is answered as GET without the body (the headers, Content-Length included, stay).
    if req.method() == worker::Method::Head {
        let status = resp.status_code();
        let headers = resp.headers().clone();
        resp = Response::empty().map(|r| r.with_status(status).with_headers(headers)).unwrap_or(resp);
    }
    let h = resp.headers_mut();
    // Header names and values here are constant ASCII; a failure would leave the response usable.
    let _ = h.set("X-Request-Id", &request_id);
    if dev {
        let _ = h.set("X-Onbehalf-D1-Calls", &calls.to_string());
        let _ = h.set("X-Onbehalf-D1-Auth-Calls", &auth_calls.to_string());
    }
    if let Some(b) = bookmark.filter(|b| db::is_bookmark(b)) {
        let _ = h.set("X-Onbehalf-Bookmark", &b);
    }
    let _ = h.set("Cache-Control", "no-store");
    let _ = h.set("X-Content-Type-Options", "nosniff");
    let _ = h.set("Referrer-Policy", "no-referrer");
    if let Some(o) = cors_origin {
        let _ = h.set("Access-Control-Allow-Origin", &o);
        let _ = h.set("Vary", "Origin");
        let _ = h.set(
            "Access-Control-Expose-Headers",
            "X-Request-Id, Idempotency-Replayed, Retry-After, X-Onbehalf-Bookmark",
        );
        let _ = h.set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
        let _ =
            h.set("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key, X-Onbehalf-Bookmark");
        let _ = h.set("Access-Control-Max-Age", "600");
    }
    Ok(resp)
}

/// The answer to a CORS preflight: 204 for an allowed origin (the headers are added by `fetch`),
/// `origin_not_allowed` otherwise.
fn preflight(allowed: bool) -> Result<Response, ApiError> {
    if !allowed {
        return Err(ApiError::new(Code::OriginNotAllowed));
    }
    Response::empty().map(|r| r.with_status(204)).map_err(|e| db::fault("preflight", e))
}

async fn context(req: &Request, env: &Env, request_id: String) -> Result<Ctx, ApiError> {
    let origin = http::own_origin(req);
    // Reads start at the client's bookmark (its own writes are then visible), or anywhere when it
    // sends none; writes start at the primary. A malformed bookmark is not trusted: the primary.
    let read = matches!(req.method(), worker::Method::Get | worker::Method::Head);
    let sent = req.headers().get("X-Onbehalf-Bookmark").ok().flatten();
    let start = || match (sent.as_deref(), read) {
        (Some(b), _) if db::is_bookmark(b) => db::Start::Bookmark(b),
        (Some(_), _) | (None, false) => db::Start::Primary,
        (None, true) => db::Start::Anywhere,
    };
    let mut ctx = Ctx::new(env, request_id, origin, start())?;
    // The shard holding the request's data (one database: nothing to find).
    let (binding, probes) = shards::locate(env, req, &ctx.shards, ctx.session_secret.as_deref()).await?;
    ctx.on_shard(&binding, start())?;
    ctx.located.set(probes);
    ctx.auth_calls.set(probes);
    Ok(ctx)
}
