//! Following an accepted create request to its end: which of Huawei's records to watch (the ECS or
//! EVS job, or the BSS order), how to read it, and how long to wait before looking again.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What to watch after upstream accepted a create request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Watch {
    /// `GET /v1/{project_id}/jobs/{job_id}` on the service's regional endpoint (`ecs` or `evs`).
    Job { service: String, job_id: String },
    /// BSS `GET /v2/orders/customer-orders/details/{order_id}`.
    Order { order_id: String },
    /// Finished when answered (a pay-per-use EIP), or waiting for payment (nothing runs until paid).
    Nothing,
}

/// The regional service a create path belongs to (`/v1.1/{p}/cloudservers` is ECS, `/v2.1/{p}/cloudvolumes`
/// EVS, `/v1|v2.0/{p}/publicips` VPC's EIP API).
pub fn service_of(path: &str) -> &'static str {
    if path.ends_with("/cloudservers") {
        "ecs"
    } else if path.ends_with("/cloudvolumes") {
        "evs"
    } else {
        "vpc"
    }
}

fn text(v: &Value, k: &str) -> Option<String> {
    v.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string)
}

/// What to watch for the answer to a create request on `path`: the job when there is one (ECS and
/// EVS give one for every create that runs now), else the order when it was paid automatically.
pub fn watch_of(path: &str, answer: &Value, paid: bool) -> Watch {
    let service = service_of(path);
    match (text(answer, "job_id"), text(answer, "order_id")) {
        (Some(job_id), _) if service != "vpc" && (paid || answer.get("order_id").is_none()) => {
            Watch::Job { service: service.to_string(), job_id }
        }
        (_, Some(order_id)) if paid => Watch::Order { order_id },
        _ => Watch::Nothing,
    }
}

/// Where a watched job or order stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    Running,
    /// Finished; the ids of what it created (may be empty: the create answer's ids then stand).
    Done {
        resource_ids: Vec<String>,
    },
    Failed {
        code: Option<String>,
        reason: String,
    },
}

/// Reads an ECS or EVS job: `status` `SUCCESS`, `FAIL`, `RUNNING` or `INIT`; the created ids in
/// `entities` (`server_id` / `volume_id`, or per sub-job).
pub fn job_progress(job: &Value) -> Progress {
    let ids = |e: &Value| ["server_id", "volume_id"].iter().find_map(|k| text(e, k));
    match job.get("status").and_then(Value::as_str) {
        Some("SUCCESS") => {
            let entities = job.get("entities").cloned().unwrap_or(Value::Null);
            let mut resource_ids: Vec<String> = entities
                .get("sub_jobs")
                .and_then(Value::as_array)
                .map(|subs| subs.iter().filter_map(|s| s.get("entities").and_then(ids)).collect())
                .unwrap_or_default();
            if resource_ids.is_empty() {
                resource_ids.extend(ids(&entities));
            }
            Progress::Done { resource_ids }
        }
        Some("FAIL") => Progress::Failed {
            code: text(job, "error_code"),
            reason: text(job, "fail_reason").unwrap_or_else(|| "The job failed without a reason.".into()),
        },
        _ => Progress::Running,
    }
}

/// Reads BSS order details: `order_info.status` 5 completed, 4 cancelled (failed), anything else
/// still on its way.
pub fn order_progress(details: &Value) -> Progress {
    match details.get("order_info").and_then(|o| o.get("status")).and_then(Value::as_i64) {
        Some(5) => Progress::Done { resource_ids: Vec::new() },
        Some(4) => Progress::Failed { code: None, reason: "Huawei Cloud cancelled the order.".into() },
        _ => Progress::Running,
    }
}

/// Seconds before the `checks`-th look: 2, 4, 8, 16, 32, then every 60.
pub fn next_check_in(checks: i64) -> i64 {
    if checks >= 6 {
        60
    } else {
        1 << checks.clamp(1, 5)
    }
}

#[cfg(test)]
mod tests;
