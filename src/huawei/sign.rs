//! `SDK-HMAC-SHA256`, the signature Huawei Cloud's API gateway checks on AK/SK requests, computed as
//! the official SDKs compute it (`huaweicloudsdkcore` `Signer`; the steps and the published test
//! vector in `docs/huawei-payloads.md`).

use crate::ids::hex;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The algorithm's name, first in the `Authorization` header.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";

/// A request to sign. `headers` are the ones sent (names in any case), `X-Sdk-Date` and `Host`
/// included; every header whose name has no `_` is signed.
pub struct Request<'a> {
    pub method: &'a str,
    /// The path as sent (percent-encoded or not), without the query.
    pub path: &'a str,
    /// The query parameters, decoded.
    pub query: &'a [(&'a str, &'a str)],
    pub headers: &'a [(&'a str, &'a str)],
    pub body: &'a [u8],
}

/// RFC 3986 encoding: unreserved characters as they are, every other byte as `%XX`.
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-decoding (a malformed escape stays as it is).
fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex2 =
            b.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex2) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The signed header names: lower-case, without those containing `_`, sorted.
fn signed_headers(headers: &[(&str, &str)]) -> Vec<String> {
    let mut names: Vec<String> =
        headers.iter().map(|(k, _)| k.to_ascii_lowercase()).filter(|k| !k.contains('_')).collect();
    crate::sorting::sort(&mut names);
    names.dedup();
    names
}

/// The header that stands for the body's hash when present: the SDK sets it to `UNSIGNED-PAYLOAD`
/// for a body that is not JSON (a form, as the SMS API takes).
pub const CONTENT_SHA256: &str = "X-Sdk-Content-Sha256";

/// The canonical request: method, canonical path (ending in `/`), sorted query, signed headers
/// with their trimmed values, their names, and the body's SHA-256 (or the value of
/// [`CONTENT_SHA256`] when the request carries it, as the SDK's `Signer` reads it).
pub fn canonical_request(r: &Request<'_>) -> String {
    let mut path: String = r.path.split('/').map(|seg| encode(&decode(seg))).collect::<Vec<_>>().join("/");
    if !path.ends_with('/') {
        path.push('/');
    }
    let mut query: Vec<(String, String)> = r.query.iter().map(|(k, v)| (encode(k), encode(v))).collect();
    crate::sorting::sort(&mut query);
    let query: Vec<String> = query.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
    let names = signed_headers(r.headers);
    let headers: String = names
        .iter()
        .map(|n| {
            let v = r.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(n)).map_or("", |(_, v)| v.trim());
            format!("{n}:{v}\n")
        })
        .collect();
    let payload = match r.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(CONTENT_SHA256)) {
        Some((_, v)) if !r.body.is_empty() => v.to_string(),
        _ => hex(&Sha256::digest(r.body)),
    };
    format!("{}\n{path}\n{}\n{headers}\n{}\n{payload}", r.method.to_ascii_uppercase(), query.join("&"), names.join(";"),)
}

/// The `Authorization` header value for `r` signed with the access key `ak` and secret `sk`;
/// `sdk_date` is the request's `X-Sdk-Date` (`YYYYMMDDTHHMMSSZ`). `None` only if the key is unusable.
pub fn authorization(ak: &str, sk: &str, r: &Request<'_>, sdk_date: &str) -> Option<String> {
    let canonical = canonical_request(r);
    let to_sign = format!("{ALGORITHM}\n{sdk_date}\n{}", hex(&Sha256::digest(canonical.as_bytes())));
    let mut mac = Hmac::<Sha256>::new_from_slice(sk.as_bytes()).ok()?;
    mac.update(to_sign.as_bytes());
    let signature = hex(&mac.finalize().into_bytes());
    let names = signed_headers(r.headers).join(";");
    Some(format!("{ALGORITHM} Access={ak}, SignedHeaders={names}, Signature={signature}"))
}

#[cfg(test)]
mod tests;
