//! Following what was sent to Huawei Cloud to its end. A create request that upstream accepted runs
//! on (a job, an auto-paid order): it is **running** until the job or order finishes, then
//! **succeeded** (the resources are recorded) or **failed** (with Huawei's reason). A request sent
//! without an answer (a timeout, a lost connection) is **in doubt**: never reported lost and never
//! sent again blindly; the tracker sends the same request again with the same `X-Client-Token`, which
//! Huawei answers with the first answer if it had accepted it, so nothing is created twice.
//! The tracker (a Queue consumer and a Cron Trigger in the worker) applies [`step`].

use crate::huawei::track::{job_progress, next_check_in, order_progress, watch_of, Progress, Watch};
use crate::ids::hex;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Where a tracked request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackState {
    InDoubt,
    Running,
    Succeeded,
    Failed,
}

impl TrackState {
    pub fn as_str(self) -> &'static str {
        match self {
            TrackState::InDoubt => "in_doubt",
            TrackState::Running => "running",
            TrackState::Succeeded => "succeeded",
            TrackState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [TrackState::InDoubt, TrackState::Running, TrackState::Succeeded, TrackState::Failed]
            .into_iter()
            .find(|t| t.as_str() == s)
    }

    /// Still to be looked at by the tracker.
    pub fn open(self) -> bool {
        matches!(self, TrackState::InDoubt | TrackState::Running)
    }
}

/// `X-Client-Token` for an order: the same partner, customer and `Idempotency-Key` always give the
/// same token (32 hex characters; Huawei accepts up to 64), so a request sent again, by a client's
/// retry or by the tracker, can never create a second resource.
pub fn client_token(partner: &str, customer: &str, key: &str) -> String {
    let mut h = Sha256::new();
    for part in [partner, customer, key] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    hex(&h.finalize()[..16])
}

/// One call to Huawei Cloud, as recorded on the tracked request and in the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpstreamCall {
    /// What was called, e.g. `ecs.create`, `ecs.job`, `bss.order`.
    pub call: String,
    /// The HTTP status, or `None` when no answer came (timeout, lost connection).
    pub status: Option<u16>,
    /// Huawei's `X-Request-Id`.
    pub request_id: Option<String>,
    pub at: Timestamp,
}

/// What the tracker saw when it looked.
#[derive(Debug, Clone, PartialEq)]
pub enum Seen {
    /// The create request sent again answered `status` with `body`.
    Resent {
        status: u16,
        body: Value,
    },
    /// The job or the order, as Huawei shows it.
    Job(Value),
    Order(Value),
    /// No answer (or a 5xx / 429): look again later.
    Nothing,
}

/// What to do about it.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// An in-doubt request was accepted after all: record the placement with this answer, then
    /// follow `watch` (finished at once when it is `Watch::Nothing`).
    Accepted { answer: Value, watch: Watch },
    /// Finished: record the resources (named by `resource_ids` where the job gave them).
    Finished { resource_ids: Vec<String> },
    /// Upstream refused or the job failed: nothing was created.
    Failed { code: Option<String>, reason: String },
    /// Look again at the returned time.
    Wait(Timestamp),
}

/// The next step for a request in `state`, sent to `path`, paid at once or not (`paid`), after
/// `checks` looks, given what was `seen` at `now`.
pub fn step(state: TrackState, path: &str, paid: bool, checks: i64, seen: Seen, now: Timestamp) -> Step {
    let wait = Step::Wait(now.plus(next_check_in(checks + 1)));
    match (state, seen) {
        (TrackState::InDoubt, Seen::Resent { status, body }) if (200..300).contains(&status) => {
            let watch = watch_of(path, &body, paid);
            Step::Accepted { answer: body, watch }
        }
        (TrackState::InDoubt, Seen::Resent { status, body }) if (400..500).contains(&status) && status != 429 => {
            let (code, message) = crate::huawei::fault::huawei_error(&body);
            Step::Failed {
                code,
                reason: message.unwrap_or_else(|| format!("Huawei Cloud refused the request (HTTP {status}).")),
            }
        }
        (TrackState::Running, Seen::Job(job)) => match job_progress(&job) {
            Progress::Running => wait,
            Progress::Done { resource_ids } => Step::Finished { resource_ids },
            Progress::Failed { code, reason } => Step::Failed { code, reason },
        },
        (TrackState::Running, Seen::Order(details)) => match order_progress(&details) {
            Progress::Running => wait,
            Progress::Done { resource_ids } => Step::Finished { resource_ids },
            Progress::Failed { code, reason } => Step::Failed { code, reason },
        },
        _ => wait,
    }
}

#[cfg(test)]
mod tests;
