//! One HTTP call out of the worker, with a timeout: to Huawei Cloud, and to the providers that carry
//! consent messages (an email API, a partner's webhook). Only the method and the URL are ever logged.

use crate::huawei::call::Call;
use futures_util::future::{select, Either};
use serde_json::Value;
use worker::{AbortController, Delay, Fetch, Headers, Method, Request, RequestInit};

/// An answer: its status, its body (JSON, else the text as a JSON string, `null` when empty), and the
/// headers the callers read.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub request_id: Option<String>,
    pub retry_after: Option<String>,
}

impl Reply {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// `None`: no answer in time, or the connection failed (whether the request arrived is unknown).
pub async fn send(call: &Call, timeout_ms: u64) -> Option<Reply> {
    let headers = Headers::new();
    for (k, v) in &call.headers {
        headers.set(k, v).ok()?;
    }
    let mut init = RequestInit::new();
    init.with_method(Method::from(call.method.to_string())).with_headers(headers);
    if let Some(b) = &call.body {
        init.with_body(Some(b.as_str().into()));
    }
    let req = Request::new_with_init(&call.url, &init).ok()?;
    let controller = AbortController::default();
    let signal = controller.signal();
    let fetch = Fetch::Request(req);
    let sending = Box::pin(fetch.send_with_signal(&signal));
    let timeout = Box::pin(Delay::from(std::time::Duration::from_millis(timeout_ms)));
    let mut resp = match select(sending, timeout).await {
        Either::Left((Ok(r), _)) => r,
        Either::Left((Err(e), _)) => {
            worker::console_warn!("{} {}: {e}", call.method, call.url);
            return None;
        }
        Either::Right(_) => {
            controller.abort();
            worker::console_warn!("{} {}: no answer in {timeout_ms} ms", call.method, call.url);
            return None;
        }
    };
    let header = |n: &str| resp.headers().get(n).ok().flatten();
    let (request_id, retry_after) = (header("X-Request-Id"), header("Retry-After"));
    let status = resp.status_code();
    let text = resp.text().await.unwrap_or_default();
    let body =
        if text.trim().is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
    Some(Reply { status, body, request_id, retry_after })
}
