//! The route table. One module per resource; each handler decodes, calls the core, writes
//! atomically, encodes. Route modules share only `context` and `http`, never each other.

mod channels;
mod consent;
mod customer_orders;
mod customers;
mod directory;
mod embed;
mod grants;
mod huawei;
mod keys;
mod meta;
mod operations;
mod orders;
mod permission_requests;
mod quotes;
mod sessions;

use super::context::Ctx;
use super::http::not_allowed;
use crate::error::{ApiError, Code};
use worker::{Method, Request, Response};

type Res = Result<Response, ApiError>;

/// Routes a request. Unknown paths are `route_not_found`; known paths with another method are
/// `method_not_allowed`.
pub async fn dispatch(ctx: &Ctx, req: &mut Request) -> Res {
    let path = req.path();
    let segs: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    // HEAD is answered as GET (the worker drops the body). workers-rs reads a method it does not
    // know (e.g. QUERY) as GET: such a request gets 405 like any method a route does not accept.
    let m = match (req.method(), req.inner().method().to_ascii_uppercase().as_str()) {
        (Method::Head, _) | (Method::Get, "GET") => Method::Get,
        (Method::Get, _) => Method::Report,
        (m, _) => m,
    };
    use Method::{Delete, Get, Patch, Post, Put};
    match segs.as_slice() {
        ["v1", "openapi.json"] => match m {
            Get => meta::openapi(ctx, req).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "health"] => match m {
            Get => meta::health(ctx),
            _ => not_allowed(&[Get]),
        },
        ["v1", "me"] => match m {
            Get => meta::me(ctx, req).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "audit"] => match m {
            Get => meta::audit(ctx, req).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "audit", "verify"] => match m {
            Get => meta::verify_audit(ctx, req).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "dev", "outbox"] if ctx.dev => match m {
            Get => meta::outbox(ctx, req).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "dev", "ping"] if ctx.dev => match m {
            Post => meta::ping(ctx).await,
            _ => not_allowed(&[Post]),
        },
        ["v1", "dev", "ping-read"] if ctx.dev => match m {
            Get => meta::ping_read(ctx).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "dev", "tables"] if ctx.dev => match m {
            Get => meta::tables(ctx).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "customers"] => match m {
            Get => customers::list(ctx, req).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "customer-orders"] => match m {
            Get => customer_orders::orders(ctx, req).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "customer-orders", id, "cancel"] => match m {
            Post => customer_orders::cancel(ctx, req, id).await,
            _ => not_allowed(&[Post]),
        },
        ["v1", "customer-resources"] => match m {
            Get => customer_orders::resources(ctx, req).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "customers", "sync"] => match m {
            Get => directory::show(ctx, req).await,
            Post => directory::start(ctx, req).await,
            _ => not_allowed(&[Get, Post]),
        },
        ["v1", "customers", id, "account-manager"] => match m {
            Put => operations::account_manager(ctx, req, id).await,
            _ => not_allowed(&[Put]),
        },
        ["v1", "customers", action @ ("freeze" | "unfreeze")] => match m {
            Post => operations::freeze(ctx, req, *action == "freeze").await,
            _ => not_allowed(&[Post]),
        },
        ["v1", "customers", id, "tags"] => match m {
            Patch => operations::tags(ctx, req, id).await,
            _ => not_allowed(&[Patch]),
        },
        ["v1", "customers", id, "budget"] => match m {
            Get => operations::show_budget(ctx, req, id).await,
            Put => operations::set_budget(ctx, req, id).await,
            _ => not_allowed(&[Get, Put]),
        },
        ["v1", "customers", "reveal"] => match m {
            Post => customers::reveal(ctx, req, None).await,
            _ => not_allowed(&[Post]),
        },
        ["v1", "customers", id] => match m {
            Get => customers::show(ctx, req, id).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "customers", id, "reveal"] => match m {
            Post => customers::reveal(ctx, req, Some(id)).await,
            _ => not_allowed(&[Post]),
        },
        ["v1", "customers", id, "prerequisites"] => match m {
            Get => customers::prerequisites(ctx, req, id).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "customers", id, "authorizations"] => match m {
            Get => grants::list_authorizations(ctx, req, id).await,
            Post => grants::request_authorization(ctx, req, id).await,
            _ => not_allowed(&[Get, Post]),
        },
        ["v1", "authorizations", id] => match m {
            Get => grants::show_authorization(ctx, req, id).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "authorizations", id, "withdraw"] => match m {
            Post => grants::withdraw(ctx, req, id).await,
            _ => not_allowed(&[Post]),
        },
        ["v1", "authorizations", id, "resend"] => match m {
            Post => grants::resend(ctx, req, id).await,
            _ => not_allowed(&[Post]),
        },
        ["v1", "consent", token] => match m {
            Get => consent::show(ctx, token).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "consent", token, "events"] => match m {
            Get => consent::events(ctx, token).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "consent", token, action @ ("approve" | "reject" | "revoke" | "code")] => match m {
            Post => consent::act(ctx, req, token, action).await,
            _ => not_allowed(&[Post]),
        },
        ["v1", "distributor-permissions"] => match m {
            Get => grants::list_permissions(ctx, req).await,
            Post => grants::grant(ctx, req).await,
            _ => not_allowed(&[Get, Post]),
        },
        ["v1", "distributor-permissions", id, "revoke"] => match m {
            Post => grants::revoke_permission(ctx, req, id).await,
            _ => not_allowed(&[Post]),
        },
        ["v1", "permission-requests"] => match m {
            Get => permission_requests::list(ctx, req).await,
            Post => permission_requests::ask(ctx, req).await,
            _ => not_allowed(&[Get, Post]),
        },
        ["v1", "permission-requests", id, "decline"] => match m {
            Post => permission_requests::close(ctx, req, id, crate::grants::requests::Close::Decline).await,
            _ => not_allowed(&[Post]),
        },
        ["v1", "permission-requests", id, "withdraw"] => match m {
            Post => permission_requests::close(ctx, req, id, crate::grants::requests::Close::Withdraw).await,
            _ => not_allowed(&[Post]),
        },
        ["v1", "resellers"] => match m {
            Get => grants::resellers(ctx, req).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "api-keys"] => match m {
            Get => keys::list(ctx, req).await,
            Post => keys::create(ctx, req).await,
            _ => not_allowed(&[Get, Post]),
        },
        ["v1", "api-keys", id, "revoke"] => match m {
            Post => keys::revoke(ctx, req, id).await,
            _ => not_allowed(&[Post]),
        },
        ["v1", "customers", id, "sessions"] => match m {
            Post => sessions::start(ctx, req, id).await,
            _ => not_allowed(&[Post]),
        },
        ["v1", "customers", id, "resources"] => match m {
            Get => orders::resources_of_customer(ctx, req, id).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "sessions", "current", "identity"] => match m {
            Get => huawei::identity(ctx, req).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "sessions", "current", "project"] => match m {
            Get => huawei::project(ctx, req).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "sessions", "current", what @ ("vpcs" | "subnets" | "security-groups" | "key-pairs")] => match m {
            Get => huawei::lookup(ctx, req, what).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "hooks", "huawei-sms", id, token] => match m {
            Post => channels::sms_report(ctx, req, id, token).await,
            _ => not_allowed(&[Post]),
        },
        ["v1", "message-channels"] => match m {
            Get => channels::list(ctx, req).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "message-channels", kind @ ("sms" | "email" | "webhook")] => match m {
            Put => channels::set(ctx, req, kind).await,
            Delete => channels::remove(ctx, req, kind).await,
            _ => not_allowed(&[Put, Delete]),
        },
        ["v1", "huawei-key"] => match m {
            Get => huawei::show_key(ctx, req).await,
            Put => huawei::set_key(ctx, req).await,
            _ => not_allowed(&[Get, Put]),
        },
        ["v1", "customers", id, "huawei-account"] => match m {
            Get => huawei::show_account(ctx, req, id).await,
            Put => huawei::set_account(ctx, req, id).await,
            _ => not_allowed(&[Get, Put]),
        },
        ["v1", "placements", id] => match m {
            Get => huawei::placement(ctx, req, id).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "sessions", "current"] => match m {
            Get => sessions::current(ctx, req).await,
            Delete => sessions::end(ctx, req).await,
            _ => not_allowed(&[Get, Delete]),
        },
        ["v1", "orders"] => match m {
            Get => orders::list(ctx, req).await,
            Post => orders::place(ctx, req).await,
            _ => not_allowed(&[Get, Post]),
        },
        ["v1", "ledger"] => match m {
            Get => orders::ledger(ctx, req).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "orders", id, "pay"] => match m {
            Post => orders::pay(ctx, req, id).await,
            _ => not_allowed(&[Post]),
        },
        ["v1", "orders", id, "cancel"] => match m {
            Post => orders::cancel(ctx, req, id).await,
            _ => not_allowed(&[Post]),
        },
        ["v1", "portal-tokens"] => match m {
            Post => embed::mint(ctx, req).await,
            _ => not_allowed(&[Post]),
        },
        ["v1", "portal-tokens", id, "revoke"] => match m {
            Post => embed::revoke(ctx, req, id).await,
            _ => not_allowed(&[Post]),
        },
        ["v1", "cors-origins"] => match m {
            Get => embed::origins(ctx, req).await,
            Put => embed::set_origins(ctx, req).await,
            _ => not_allowed(&[Get, Put]),
        },
        ["v1", "catalog"] => match m {
            Get => quotes::show_catalog(req).await,
            _ => not_allowed(&[Get]),
        },
        ["v1", "drafts", "validate"] => match m {
            Post => quotes::validate_draft(ctx, req).await,
            _ => not_allowed(&[Post]),
        },
        ["v1", "drafts", "payload"] => match m {
            Post => quotes::payload(ctx, req).await,
            _ => not_allowed(&[Post]),
        },
        ["v1", "quotes"] => match m {
            Post => quotes::create(ctx, req).await,
            _ => not_allowed(&[Post]),
        },
        ["v1", "quotes", id] => match m {
            Get => quotes::show(ctx, req, id).await,
            _ => not_allowed(&[Get]),
        },
        _ => Err(ApiError::new(Code::RouteNotFound)),
    }
}
