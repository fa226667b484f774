//! The partner's own calls to BSS international (signed with the partner's key, no agency):
//! setting a budget, freezing and unfreezing. The bodies and the reading of the answers are the
//! core's (`crate::huawei::directory`); in simulated mode nothing is sent and every call succeeds.

use super::context::Ctx;
use super::huawei::{call, partner_key};
use super::outbound::Reply;
use crate::customers::Budget;
use crate::error::{ApiError, Code};
use crate::huawei::config::Upstream;
use crate::huawei::directory::{freeze_body, refused, set_budget_body, BUDGET_PATH, FREEZE_PATH, UNFREEZE_PATH};
use crate::huawei::fault::Step;
use crate::ids::{CustomerId, PartnerId};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// No answer from Huawei: whether it applied the change is unknown; onbehalf changed nothing, and
/// the same request again is safe (a budget is a value, a freeze a state).
fn silent(call: &str) -> ApiError {
    ApiError::with_message(
        Code::UpstreamUnavailable,
        format!("Huawei Cloud did not answer ({call}); nothing was changed in onbehalf. Sending the same request again is safe."),
    )
    .with_data(json!({"retry_after": 30, "call": call}))
}

fn answer(reply: Option<Reply>, name: &str) -> Result<Value, ApiError> {
    reply.ok_or_else(|| silent(name))?.into_result(Step::Other)
}

/// Sets the budget in Huawei Cloud first (the partner's truth), lifting a freeze with it when
/// `unfreeze`. `Ok(false)` in simulated mode (nothing sent).
pub async fn set_budget(
    ctx: &Ctx,
    partner: &PartnerId,
    customer: &CustomerId,
    budget: &Budget,
    unfreeze: bool,
) -> Result<bool, ApiError> {
    let Upstream::Huawei(ep) = &ctx.upstream else { return Ok(false) };
    let cred = partner_key(ctx, partner).await?;
    let body = set_budget_body(customer, budget, unfreeze);
    answer(call(ctx, &cred, "POST", &ep.bss, BUDGET_PATH, &[], Some(&body)).await, "sub-customers/budget")?;
    Ok(true)
}

/// Freezes or unfreezes `ids` in Huawei Cloud; the customers it refused, with its reason (none in
/// simulated mode).
pub async fn freeze(
    ctx: &Ctx,
    partner: &PartnerId,
    ids: &[&CustomerId],
    reason: &str,
    frozen: bool,
) -> Result<BTreeMap<String, String>, ApiError> {
    let Upstream::Huawei(ep) = &ctx.upstream else { return Ok(BTreeMap::new()) };
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let cred = partner_key(ctx, partner).await?;
    let (path, name) =
        if frozen { (FREEZE_PATH, "sub-customers/freeze") } else { (UNFREEZE_PATH, "sub-customers/unfreeze") };
    let body = freeze_body(ids, reason, frozen);
    Ok(refused(&answer(call(ctx, &cred, "POST", &ep.bss, path, &[], Some(&body)).await, name)?))
}
