//! Upstream: where a built Huawei Cloud request goes. One implementation today, a deterministic
//! **simulated Huawei Cloud** that answers each request the way the real API does (order id for
//! yearly/monthly, job id for pay-per-use, server / volume / EIP ids, EIP addresses from the
//! documentation range 203.0.113.0/24). A real adapter (signed requests to the regional endpoints)
//! implements the same trait; nothing else changes.

use crate::payloads::{Body, HuaweiRequest};
use crate::time::Timestamp;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// What the API answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

/// A Huawei Cloud endpoint for built requests.
#[allow(async_fn_in_trait)]
pub trait Upstream {
    /// Sends `request` (idempotent under `client_token`, Huawei's `X-Client-Token`) and returns the answer.
    async fn send(&self, request: &HuaweiRequest<'_>, client_token: &str, now: Timestamp) -> Answer;
}

/// The simulated Huawei Cloud: the same token always gets the same ids.
#[derive(Debug, Clone, Copy, Default)]
pub struct Simulated;

/// Deterministic bytes for `label` and `i` under `token`.
fn derive(token: &str, label: &str, i: usize) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(token.as_bytes());
    h.update([0]);
    h.update(label.as_bytes());
    h.update(i.to_le_bytes());
    h.finalize().into()
}

/// A UUID-shaped id (as Huawei's server, volume and EIP ids).
pub fn uuid(token: &str, label: &str, i: usize) -> String {
    let h = crate::ids::hex(&derive(token, label, i)[..16]);
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

/// A Huawei-style order id: `CS` + yyMMddHHmm + five uppercase letters or digits.
pub fn order_id(token: &str, now: Timestamp) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let t = now.to_string(); // 2026-11-26T07:00:00Z
    let stamp: String = [&t[2..4], &t[5..7], &t[8..10], &t[11..13], &t[14..16]].concat();
    let tail: String =
        derive(token, "order", 0)[..5].iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect();
    format!("CS{stamp}{tail}")
}

impl Upstream for Simulated {
    async fn send(&self, request: &HuaweiRequest<'_>, client_token: &str, now: Timestamp) -> Answer {
        let t = client_token;
        let body = match &request.body {
            Body::Ecs(e) => {
                let ids: Vec<String> = (0..e.server.count.max(1) as usize).map(|i| uuid(t, "server", i)).collect();
                if e.server.extendparam.charging_mode == "prePaid" {
                    json!({"job_id": crate::ids::hex(&derive(t, "job", 0)[..16]), "order_id": order_id(t, now), "serverIds": ids})
                } else {
                    json!({"job_id": crate::ids::hex(&derive(t, "job", 0)[..16]), "serverIds": ids})
                }
            }
            Body::Evs(e) => {
                let ids: Vec<String> = (0..e.volume.count.max(1) as usize).map(|i| uuid(t, "volume", i)).collect();
                if e.bss_param.charging_mode == "prePaid" {
                    json!({"order_id": order_id(t, now), "volume_ids": ids})
                } else {
                    json!({"job_id": uuid(t, "job", 0), "volume_ids": ids})
                }
            }
            Body::Eip(e) => {
                let id = uuid(t, "publicip", 0);
                if e.extend_param.is_some() {
                    json!({"order_id": order_id(t, now), "publicip_id": id})
                } else {
                    let ts = now.to_string();
                    json!({"publicip": {
                        "id": id, "status": "DOWN", "type": e.publicip.ip_type,
                        "public_ip_address": address(t), "tenant_id": request.path.split('/').nth(2).unwrap_or_default(),
                        "ip_version": 4, "create_time": format!("{} {}", &ts[0..10], &ts[11..19]),
                        "bandwidth_size": e.bandwidth.size.unwrap_or(0), "enterprise_project_id": "0",
                    }})
                }
            }
        };
        Answer { status: 200, body }
    }
}

/// An address from the documentation range 203.0.113.0/24 (RFC 5737).
pub fn address(token: &str) -> String {
    format!("203.0.113.{}", 1 + derive(token, "address", 0)[0] % 254)
}

/// Runs a future that never waits (the simulated upstream, in host tests).
#[cfg(test)]
pub fn ready<F: std::future::Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}
