//! Partner operations on customers (issue 13): set a budget, freeze and unfreeze (in Huawei Cloud
//! first when it is the upstream, with the partner's key; then here), tags and the account manager
//! (onbehalf's own data). The rules are the core's (`crate::operations`); every change is audited
//! and visible to the customer in its events; the write itself holds the precondition.

use super::Res;
use crate::audit::Action;
use crate::error::{ApiError, Code, OrCode};
use crate::ids::CustomerId;
use crate::operations::{freeze as freeze_rule, may_operate, set_budget as budget_rule, unfreeze as unfreeze_rule};
use crate::operations::{BudgetChange, BudgetDecision, FreezeOutcome, FreezeRequest, ManagerChange, TagChange};
use crate::worker::bss;
use crate::worker::context::Ctx;
use crate::worker::db::{self, audit};
use crate::worker::http::{json, json_body};
use serde_json::json;
use worker::Request;

/// `PUT /v1/customers/{id}/budget` `{type, amount, auto_freeze, below_usage?}` (the associated
/// partner's admins and operators): sets the budget; usage carries over; room or auto-freeze off
/// lifts an automatic freeze. Answers the customer's budget as it is now.
pub async fn set_budget(ctx: &Ctx, req: &mut Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    let c = ctx.visible_customer(&actor, id).await?;
    may_operate(&actor, &c.facts)?;
    let change = BudgetChange::decode(&json_body(req).await?)?;
    let decision = budget_rule(&c.facts, &change, c.month_to_date_spend.currency)?;
    // Huawei's budget is the truth once it took the new value: usage that grew here meanwhile does
    // not undo it.
    let upstream = bss::set_budget(ctx, &actor.partner_id, &c.facts.id, &decision.budget, decision.unfreeze).await?;
    let ev = ctx.partner_event(
        &actor,
        Some(&c.facts.id),
        Action::BudgetSet,
        c.facts.id.as_str(),
        json!({"budget": decision.budget, "unfrozen": decision.unfreeze, "in_huawei": upstream}),
    );
    let below = BudgetDecision::allows_below_usage(&change, upstream);
    let write = db::customers::set_budget(&ctx.db, &c.facts.id, &decision.budget, below, decision.unfreeze)?;
    let read = db::customers::by_id_stmt(&ctx.db, &c.facts.id)?;
    let (changed, rs) =
        db::write_then_read(&ctx.db, vec![write, audit::append_if_changed(&ctx.db, &ev)?], vec![read]).await?;
    let now = db::customers::read_customer(db::only(&rs)?)?.or_not_found()?;
    // (D1 counts the rows its triggers touch too: any change means the update applied.)
    if changed.first().copied().unwrap_or(0) == 0 {
        // Orders used more meanwhile: the amount is now below usage.
        let used = now.facts.budget.as_ref().map(|b| b.used);
        return Err(ApiError::new(Code::BudgetBelowUsage).with_data(json!({"used": used, "amount": change.amount})));
    }
    json(
        200,
        &json!({"customer_id": now.facts.id, "budget": now.facts.budget, "frozen": now.facts.frozen, "auto_frozen": now.facts.auto_frozen}),
    )
}

/// `POST /v1/customers/freeze` and `/unfreeze` `{customer_ids, reason}`: all or nothing. Every
/// customer must be one you operate; unfreezing one frozen automatically with its budget used up is
/// refused with the remedy. A customer already in that state is `unchanged` (a retry is harmless).
pub async fn freeze(ctx: &Ctx, req: &mut Request, frozen: bool) -> Res {
    let actor = ctx.actor(req).await?;
    let r = FreezeRequest::decode(&json_body(req).await?)?;
    let mut customers = Vec::with_capacity(r.customer_ids.len());
    for id in &r.customer_ids {
        let c = ctx.visible_customer(&actor, id.as_str()).await?;
        may_operate(&actor, &c.facts)?;
        let outcome = if frozen { freeze_rule(&c.facts) } else { unfreeze_rule(&c.facts)? };
        customers.push((c, outcome));
    }
    let action = if frozen { Action::CustomerFrozen } else { Action::CustomerUnfrozen };
    let to_change: Vec<&CustomerId> =
        customers.iter().filter(|(_, o)| *o == FreezeOutcome::Changed).map(|(c, _)| &c.facts.id).collect();
    // Huawei first: what it refuses is not changed here, and says why.
    let refused = bss::freeze(ctx, &actor.partner_id, &to_change, &r.reason, frozen).await?;
    let mut stmts = Vec::new();
    for (c, outcome) in &customers {
        if *outcome == FreezeOutcome::Unchanged || refused.contains_key(c.facts.id.as_str()) {
            continue;
        }
        let id = &c.facts.id;
        stmts.push(if frozen {
            db::customers::freeze(&ctx.db, id, &r.reason)?
        } else {
            db::customers::unfreeze(&ctx.db, id)?
        });
        let ev = ctx.partner_event(&actor, Some(id), action, id.as_str(), json!({"reason": r.reason}));
        stmts.push(audit::append_if_changed(&ctx.db, &ev)?);
    }
    let changed = if stmts.is_empty() { Vec::new() } else { db::batch(&ctx.db, stmts).await? };
    let mut results = Vec::new();
    let mut i = 0;
    for (c, outcome) in &customers {
        if let Some(why) = refused.get(c.facts.id.as_str()) {
            results.push(json!({"customer_id": c.facts.id, "outcome": "refused", "reason": why}));
            continue;
        }
        let done = match outcome {
            FreezeOutcome::Unchanged => false,
            FreezeOutcome::Changed => {
                let n = changed.get(i).copied().unwrap_or(0);
                i += 2;
                n > 0
            }
        };
        results.push(json!({"customer_id": c.facts.id, "outcome": if done { "changed" } else { "unchanged" }}));
    }
    json(200, &json!({"frozen": frozen, "results": results}))
}

/// `PATCH /v1/customers/{id}/tags` `{add?, remove?}` (the associated partner's admins and
/// operators): the tags Customer Management filters by; audited; answers the tags as they are now.
pub async fn tags(ctx: &Ctx, req: &mut Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    let c = ctx.visible_customer(&actor, id).await?;
    may_operate(&actor, &c.facts)?;
    let change = TagChange::decode(&json_body(req).await?)?;
    let cid = &c.facts.id;
    let mut stmts = Vec::new();
    for t in &change.add {
        stmts.push(db::customers::add_tag(&ctx.db, cid, t)?);
    }
    for t in &change.remove {
        stmts.push(db::customers::remove_tag(&ctx.db, cid, t)?);
    }
    let ev = ctx.partner_event(
        &actor,
        Some(cid),
        Action::TagsChanged,
        cid.as_str(),
        json!({"add": change.add, "remove": change.remove}),
    );
    stmts.push(audit::append(&ctx.db, &ev)?);
    let read = db::customers::by_id_stmt(&ctx.db, cid)?;
    let (_, rs) = db::write_then_read(&ctx.db, stmts, vec![read]).await?;
    let now = db::customers::read_customer(db::only(&rs)?)?.or_not_found()?;
    json(200, &json!({"customer_id": cid, "tags": now.tags}))
}

/// `PUT /v1/customers/{id}/account-manager` `{account_manager: "name" | null}` (the associated
/// partner's admins and operators): the manager Customer Management filters by; kept over the one
/// Huawei's directory lists; audited; answers the customer's manager as it is now.
pub async fn account_manager(ctx: &Ctx, req: &mut Request, id: &str) -> Res {
    let actor = ctx.actor(req).await?;
    let c = ctx.visible_customer(&actor, id).await?;
    may_operate(&actor, &c.facts)?;
    let change = ManagerChange::decode(&json_body(req).await?)?;
    let cid = &c.facts.id;
    let ev = ctx.partner_event(
        &actor,
        Some(cid),
        Action::ManagerAssigned,
        cid.as_str(),
        json!({"account_manager": change.account_manager, "was": c.account_manager}),
    );
    let write = db::customers::set_manager(&ctx.db, cid, change.account_manager.as_deref())?;
    db::batch(&ctx.db, vec![write, audit::append(&ctx.db, &ev)?]).await?;
    json(200, &json!({"customer_id": cid, "account_manager": change.account_manager}))
}

/// `GET /v1/customers/{id}/budget` (any role that sees the customer): the budget and its history,
/// newest first. With Huawei Cloud, Huawei's (`GET /v2/partners/sub-customers/budget` and
/// `…/budget/records`, with the key of the customer's partner) for a resold customer; otherwise
/// onbehalf's, the history from its audit trail.
pub async fn show_budget(ctx: &Ctx, req: &Request, id: &str) -> Res {
    use crate::huawei::directory::{
        audited_record, read_budget, read_budget_records, BUDGET_PATH, BUDGET_RECORDS_PATH,
    };
    let actor = ctx.actor(req).await?;
    // onbehalf's own history is read with the customer (one round trip); Huawei's replaces it.
    let (c, results) = ctx
        .visible_customer_with(&actor, id, |cid| {
            Ok(vec![db::audit::of_customer_action(&ctx.db, cid.as_str(), Action::BudgetSet.as_str(), 20)?])
        })
        .await?;
    let cid = &c.facts.id;
    let currency = c.month_to_date_spend.currency;
    let in_huawei = crate::huawei::directory::budget_in_huawei(&c.facts);
    if let (crate::huawei::config::Upstream::Huawei(ep), true) = (&ctx.upstream, in_huawei) {
        let cred = crate::worker::huawei::partner_key(ctx, &c.facts.partner_id).await?;
        let q = [("customer_id", cid.as_str())];
        let now = crate::worker::huawei::call(ctx, &cred, "GET", &ep.bss, BUDGET_PATH, &q, None).await;
        let rq = [("customer_id", cid.as_str()), ("offset", "0"), ("limit", "20")];
        let records = crate::worker::huawei::call(ctx, &cred, "GET", &ep.bss, BUDGET_RECORDS_PATH, &rq, None).await;
        let (Some(now), Some(records)) = (now, records) else {
            return Err(ApiError::with_message(
                Code::UpstreamUnavailable,
                "Huawei Cloud did not answer (budget); try again.",
            )
            .with_data(json!({"retry_after": 30})));
        };
        let now = now.into_result(crate::huawei::fault::Step::Other)?;
        let records = records.into_result(crate::huawei::fault::Step::Other)?;
        let b = read_budget(&now, currency);
        let auto = c.facts.budget.as_ref().is_some_and(|x| x.auto_freeze);
        let budget = b.map(|b| crate::customers::Budget {
            budget_type: b.budget_type,
            amount: b.amount,
            used: b.used,
            auto_freeze: auto,
        });
        return json(
            200,
            &json!({"customer_id": cid, "budget": budget, "history": read_budget_records(&records, currency), "source": "huawei"}),
        );
    }
    let events = db::audit::read_customer_action(db::only(&results)?)?;
    let history: Vec<_> = events.iter().filter_map(|(at, d, who)| audited_record(at, d, who.as_deref())).collect();
    json(200, &json!({"customer_id": cid, "budget": c.facts.budget, "history": history, "source": "onbehalf"}))
}
