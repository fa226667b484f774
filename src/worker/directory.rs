//! The customer directory sync on the platform's background machinery: a run starts on request
//! (`POST /v1/customers/sync`) or from the Cron Trigger, then moves one step per queue message
//! (`TRACKER`, kind `sync`): each step reads up to `PAGES_PER_STEP` pages of Huawei's list with the
//! partner's key, their budgets, and writes the customers and the run's cursor in one guarded batch
//! per page (`crate::sql::directory`). The rules are the core's (`crate::directory`,
//! `crate::huawei::directory`); this module moves pages into rows.

use super::context::Ctx;
use super::db::{self, audit};
use super::huawei::{call, partner_key};
use super::outbound::Reply;
use crate::audit::AuditEvent;
use crate::customers::AssociationType;
use crate::directory::{after_failure, after_page, at_end, finish, may_mark, PageDone, Run, RunState, PAGES_PER_STEP};
use crate::error::{ApiError, Code};
use crate::huawei::call::Credential;
use crate::huawei::config::{Endpoints, Upstream};
use crate::huawei::directory::{
    budgets_body, merge, page_body, read_budgets, read_page, ListedBudget, Outcome, BUDGETS_PATH, QUERY_PATH,
};
use crate::ids::{hex, PartnerId, UserId};
use crate::sql::directory as sql;
use crate::time::Timestamp;
use std::collections::BTreeMap;

/// The queue message kind of a sync step.
pub const KIND: &str = "sync";

/// Starts a sync of `partner`'s directory, or joins the one running. The simulated upstream's
/// directory is onbehalf's own data: its run finishes at once, every customer unchanged.
pub async fn start(
    ctx: &Ctx,
    partner: &PartnerId,
    trigger: &str,
    by: Option<(&UserId, AuditEvent)>,
) -> Result<Run, ApiError> {
    let id = format!("sync_{}", hex(&super::http::random_bytes::<12>()?));
    let run = Run::start(id, partner.as_str().to_string(), trigger, ctx.now);
    let insert = db::prepared(&ctx.db, &sql::insert_run(&run, by.as_ref().map(|(u, _)| u.as_str())))?;
    let mut stmts = vec![insert];
    if let Some((_, mut ev)) = by {
        ev.target_id = Some(run.id.clone());
        stmts.push(audit::append_if_changed(&ctx.db, &ev)?);
    }
    match &ctx.upstream {
        Upstream::Simulated => {
            let reads =
                vec![db::directory::customer_count(&ctx.db, partner)?, db::directory::running_stmt(&ctx.db, partner)?];
            let rs = db::batch_results(&ctx.db, reads).await?;
            let [count, running] = rs.as_slice() else {
                return Err(db::fault("sync batch", "wrong number of results"));
            };
            let n = db::directory::read_count(count)?;
            let listed = PageDone { entries: n, total: n, unchanged: n, ..PageDone::default() };
            let done = finish(&after_page(&run, &listed, ctx.now), Ok(0), ctx.now);
            stmts.push(db::prepared(&ctx.db, &sql::update_run(&done))?);
            if let Some(running) = db::directory::read_run(running)? {
                return Ok(running);
            }
            db::batch(&ctx.db, stmts).await?;
            Ok(done)
        }
        Upstream::Huawei(_) => {
            partner_key(ctx, partner).await?;
            let read = db::directory::running_stmt(&ctx.db, partner)?;
            let (started, rs) = db::write_then_read(&ctx.db, stmts, vec![read]).await?;
            let running = db::directory::read_run(db::only(&rs)?)?.ok_or_else(|| ApiError::new(Code::Internal))?;
            if started.first().copied().unwrap_or(0) > 0 && running.id == run.id {
                enqueue(ctx, &run.id, 0).await;
            }
            Ok(running)
        }
    }
}

/// Asks the queue for a step of run `id` in `delay` seconds.
async fn enqueue(ctx: &Ctx, id: &str, delay: i64) {
    super::queue::send(ctx, super::queue::Look { id: id.to_string(), kind: Some(KIND.to_string()), shard: None }, delay)
        .await
}

/// One step of run `id`: up to `PAGES_PER_STEP` pages, then the next step is queued (or the wait
/// after a failure). A run that is over, or was moved by another invocation, is left alone.
pub async fn step(ctx: &Ctx, id: &str) {
    match try_step(ctx, id).await {
        Ok(Some(delay)) => enqueue(ctx, id, delay).await,
        Ok(None) => {}
        Err(e) => worker::console_warn!("sync {id}: {} {}", e.code, e.message),
    }
}

async fn try_step(ctx: &Ctx, id: &str) -> Result<Option<i64>, ApiError> {
    let Upstream::Huawei(ep) = &ctx.upstream else { return Ok(None) };
    let Some(mut run) = db::directory::by_id(&ctx.db, id).await? else { return Ok(None) };
    if run.state != RunState::Running {
        return Ok(None);
    }
    if run.next_at.unix() > ctx.now.unix() {
        return Ok(Some(run.next_at.unix() - ctx.now.unix()));
    }
    let partner = db::stored("partner id", PartnerId::parse(&run.partner_id))?;
    let cred = match partner_key(ctx, &partner).await {
        Ok(c) => c,
        Err(e) => return failed(ctx, &run, &format!("{}: {}", e.code, e.message), None, 0).await,
    };
    let currency = crate::catalog::catalog()?.currency;
    let distributor = db::partners::reseller_facts(&ctx.db, &partner).await?.and_then(|f| f.distributor_id);
    for _ in 0..PAGES_PER_STEP {
        match page(ctx, ep, &cred, &run, &partner, distributor.as_ref(), currency).await? {
            Paged::Moved(next) if next.state == RunState::Running => run = next,
            Paged::Moved(_) => return Ok(None),
            Paged::Failed { error, retry_after, calls } => {
                return failed(ctx, &run, &error, retry_after, calls).await;
            }
            Paged::Lost => return Ok(None),
        }
    }
    Ok(Some(0))
}

enum Paged {
    /// The page is written; the run as it is now (done at the end of the list).
    Moved(Run),
    /// A call failed: nothing was written.
    Failed { error: String, retry_after: Option<i64>, calls: u64 },
    /// Another invocation moved the run first.
    Lost,
}

fn failure(what: &str, reply: Option<&Reply>) -> (String, Option<i64>) {
    match reply {
        None => (format!("{what}: no answer"), None),
        Some(r) => {
            let code = r
                .body
                .get("error_code")
                .or_else(|| r.body.pointer("/error/code"))
                .and_then(|c| c.as_str())
                .unwrap_or("")
                .to_string();
            let retry = r.retry_after.as_deref().and_then(|s| s.trim().parse::<i64>().ok());
            (format!("{what}: HTTP {} {code}", r.status).trim().to_string(), retry)
        }
    }
}

async fn page(
    ctx: &Ctx,
    ep: &Endpoints,
    cred: &Credential,
    run: &Run,
    partner: &PartnerId,
    distributor: Option<&PartnerId>,
    currency: crate::money::Currency,
) -> Result<Paged, ApiError> {
    let body = page_body(run.offset);
    let reply = call(ctx, cred, "POST", &ep.bss, QUERY_PATH, &[], Some(&body)).await;
    let Some(listing) = reply.as_ref().filter(|r| r.ok()).and_then(|r| read_page(&r.body)) else {
        let (error, retry_after) = failure("sub-customers/query", reply.as_ref());
        return Ok(Paged::Failed { error, retry_after, calls: 1 });
    };
    let mut calls = 1;
    let resellers: Vec<&crate::ids::CustomerId> =
        listing.customers.iter().filter(|c| c.association_type == AssociationType::Reseller).map(|c| &c.id).collect();
    let budgets: BTreeMap<String, ListedBudget> = if resellers.is_empty() {
        BTreeMap::new()
    } else {
        calls += 1;
        let body = budgets_body(&resellers);
        let reply = call(ctx, cred, "POST", &ep.bss, BUDGETS_PATH, &[], Some(&body)).await;
        match reply.as_ref().filter(|r| r.ok()) {
            Some(r) => read_budgets(&r.body, currency),
            None => {
                let (error, retry_after) = failure("sub-customers/budget/query", reply.as_ref());
                return Ok(Paged::Failed { error, retry_after, calls });
            }
        }
    };
    let ids: Vec<&crate::ids::CustomerId> = listing.customers.iter().map(|c| &c.id).collect();
    let known: BTreeMap<String, _> = db::customers::for_sync(&ctx.db, &ids)
        .await?
        .into_iter()
        .map(|(c, local)| (c.facts.id.as_str().to_string(), (c, local)))
        .collect();
    let mut done = PageDone {
        entries: listing.entries,
        total: listing.count,
        unreadable: listing.unreadable,
        calls,
        ..PageDone::default()
    };
    let mut writes = Vec::new(); // (outcome, statement)
    let mut unchanged = Vec::new();
    for l in &listing.customers {
        let old = known.get(l.id.as_str());
        let (c, outcome) =
            merge(old.map(|(c, x)| (c, *x)), l, budgets.get(l.id.as_str()), partner, distributor, currency);
        match outcome {
            Outcome::Unchanged => unchanged.push(l.id.as_str()),
            o => writes.push((o, sql::upsert(&c, old.map(|(c, _)| c), &run.id, ctx.now))),
        }
    }
    done.unchanged = unchanged.len() as u64;
    done.added = writes.iter().filter(|(o, _)| *o == Outcome::Added).count() as u64;
    done.changed = writes.len() as u64 - done.added;
    let mut next = after_page(run, &done, ctx.now);
    let mut stmts = vec![db::prepared(&ctx.db, &sql::step_guard(run))?];
    for (_, s) in &writes {
        stmts.push(db::prepared(&ctx.db, s)?);
    }
    let ids_json = serde_json::to_string(&unchanged).unwrap_or_else(|_| "[]".into());
    stmts.push(db::prepared(&ctx.db, &sql::seen(&ids_json, &run.id, &run.partner_id))?);
    let end = at_end(&next, listing.entries);
    let marking = end.then(|| may_mark(&next));
    if end {
        let now = Timestamp::from_unix_millis(worker::Date::now().as_millis() as f64);
        next = finish(&next, marking.clone().unwrap_or(Ok(())).map(|()| 0), now);
    }
    stmts.push(db::prepared(&ctx.db, &sql::update_run(&next))?);
    if let Some(Ok(())) = marking {
        stmts.push(db::prepared(&ctx.db, &sql::mark_gone(&run.partner_id, &run.id, ctx.now))?);
        stmts.push(db::prepared(&ctx.db, &sql::count_marked(&run.id, ctx.now))?);
    }
    stmts.push(db::stmt(&ctx.db, crate::sql::guards::CLEAR, vec![])?);
    let changed = match db::batch(&ctx.db, stmts).await {
        Ok(c) => c,
        Err(e) => {
            // Moved by another invocation (the guard), or the database failed: tell which.
            let now = db::directory::by_id(&ctx.db, &run.id).await?;
            if now.is_some_and(|r| r.offset != run.offset || r.failures != run.failures || r.state != RunState::Running)
            {
                return Ok(Paged::Lost);
            }
            return Ok(Paged::Failed { error: format!("database: {}", e.code), retry_after: None, calls });
        }
    };
    // A customer changed here between the read and the write kept its change: count it deferred.
    let (mut added, mut changed_n) = (0u64, 0u64);
    for (i, (o, _)) in writes.iter().enumerate() {
        if changed.get(i + 1).copied().unwrap_or(0) == 0 {
            match o {
                Outcome::Added => added += 1,
                _ => changed_n += 1,
            }
        }
    }
    if added + changed_n > 0 {
        let fix = sql::defer(&run.id, added, changed_n);
        db::batch(&ctx.db, vec![db::prepared(&ctx.db, &fix)?]).await?;
        next.counts.added -= added;
        next.counts.changed -= changed_n;
        next.counts.deferred += added + changed_n;
    }
    if next.state != RunState::Running {
        worker::console_log!("sync {}: done, {:?}", run.id, next.counts);
    }
    Ok(Paged::Moved(next))
}

/// Records a failed step (guarded like a page) and says when to try again.
async fn failed(
    ctx: &Ctx,
    run: &Run,
    error: &str,
    retry_after: Option<i64>,
    calls: u64,
) -> Result<Option<i64>, ApiError> {
    let next = after_failure(run, error, retry_after, calls, ctx.now);
    worker::console_warn!("sync {}: {error} (failure {})", run.id, next.failures);
    let stmts = vec![
        db::prepared(&ctx.db, &sql::step_guard(run))?,
        db::prepared(&ctx.db, &sql::update_run(&next))?,
        db::stmt(&ctx.db, crate::sql::guards::CLEAR, vec![])?,
    ];
    if db::batch(&ctx.db, stmts).await.is_err() {
        return Ok(None); // moved by another invocation
    }
    Ok((next.state == RunState::Running).then(|| next.next_at.unix() - ctx.now.unix()))
}

/// The Cron Trigger's part: resume runs that lost their queue message, and start the scheduled
/// runs that are due (every `DIRECTORY_SYNC_MINUTES`, default 60; 0 turns them off).
pub async fn sweep(ctx: &Ctx) {
    let Upstream::Huawei(_) = &ctx.upstream else { return };
    let interval = ctx
        .env
        .var("DIRECTORY_SYNC_MINUTES")
        .ok()
        .and_then(|v| v.to_string().trim().parse::<i64>().ok())
        .unwrap_or(crate::directory::DEFAULT_INTERVAL_MINUTES);
    let schedule = match db::directory::schedule(&ctx.db).await {
        Ok(s) => s,
        Err(e) => return worker::console_error!("sync sweep: {}", e.message),
    };
    for s in schedule {
        match &s.running {
            Some(id) => {
                if let Ok(Some(run)) = db::directory::by_id(&ctx.db, id).await {
                    if crate::directory::stalled(&run, ctx.now) {
                        step(ctx, id).await;
                    }
                }
            }
            None if crate::directory::due(s.last_finished, interval, ctx.now) => {
                let Some(p) = PartnerId::parse(&s.partner_id) else { continue };
                if let Err(e) = start(ctx, &p, "cron", None).await {
                    worker::console_warn!("sync {}: not started: {}", s.partner_id, e.code);
                }
            }
            None => {}
        }
    }
}
