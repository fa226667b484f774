//! Delivering the outbox: the channels a partner configures (Huawei Cloud SMS, an email API, its own
//! webhook), which channel carries which message, the request each provider gets, what its answer
//! means, and when to try again. The worker records a message in the batch of the change it tells of
//! (`crate::outbox`), then a Queue consumer applies [`after_attempt`] to each attempt.
//!
//! Everything here is plain data: the worker signs (`crate::huawei::sign`), seals (`crate::huawei::vault`)
//! and sends.

use crate::decode::Decoder;
use crate::error::{ApiError, Code, Path};
use crate::huawei::call::Call;
use crate::outbox::Channel;
use crate::time::Timestamp;
use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::{json, Value};
use sha2::Sha256;

/// A channel a partner configures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// Huawei Cloud Message & SMS (international SMS): carries verification codes.
    Sms,
    /// An HTTP email API: carries consent links.
    Email,
    /// The partner's own HTTPS endpoint: carries every message, signed; the partner delivers it.
    Webhook,
}

impl ChannelKind {
    pub const ALL: [ChannelKind; 3] = [ChannelKind::Sms, ChannelKind::Email, ChannelKind::Webhook];

    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Sms => "sms",
            ChannelKind::Email => "email",
            ChannelKind::Webhook => "webhook",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What carries one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    HuaweiSms,
    EmailApi,
    Webhook,
    /// Dev mode with no channel configured: kept in `GET /v1/dev/outbox`, never sent.
    DevOutbox,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::HuaweiSms => "huawei_sms",
            Via::EmailApi => "email_api",
            Via::Webhook => "webhook",
            Via::DevOutbox => "dev_outbox",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Via::HuaweiSms, Via::EmailApi, Via::Webhook, Via::DevOutbox].into_iter().find(|v| v.as_str() == s)
    }

    /// Whether a message on this route is sent (queued for delivery), not kept in the dev outbox.
    pub fn goes_out(self) -> bool {
        self != Via::DevOutbox
    }

    /// The configured channel this goes through (none for the dev outbox).
    pub fn channel(self) -> Option<ChannelKind> {
        match self {
            Via::HuaweiSms => Some(ChannelKind::Sms),
            Via::EmailApi => Some(ChannelKind::Email),
            Via::Webhook => Some(ChannelKind::Webhook),
            Via::DevOutbox => None,
        }
    }
}

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Recorded, waiting for its (next) attempt.
    Queued,
    /// An attempt is under way (leased until `next_attempt_at`; a worker that died is retried then).
    Sending,
    /// The provider accepted it.
    Sent,
    /// The channel reported it reached the recipient.
    Delivered,
    /// Given up: refused by the provider, or every attempt used (the dead letter); `last_error` says why.
    Failed,
    /// Dev mode without a channel: only in the dev outbox.
    Held,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Sending => "sending",
            Status::Sent => "sent",
            Status::Delivered => "delivered",
            Status::Failed => "failed",
            Status::Held => "held",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Status::Queued, Status::Sending, Status::Sent, Status::Delivered, Status::Failed, Status::Held]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// The channels a partner has configured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Configured {
    pub sms: bool,
    pub email: bool,
    pub webhook: bool,
}

impl Configured {
    pub fn of(kinds: impl IntoIterator<Item = ChannelKind>) -> Self {
        let mut c = Configured::default();
        for k in kinds {
            match k {
                ChannelKind::Sms => c.sms = true,
                ChannelKind::Email => c.email = true,
                ChannelKind::Webhook => c.webhook = true,
            }
        }
        c
    }
}

/// What carries a message on `channel` for a partner with `configured` channels: its webhook when it
/// has one (the partner's own system then delivers both the link and the code), else the channel's
/// own provider; in dev mode the dev outbox. Outside dev mode a message no channel can carry is
/// `no_message_channel` (409), naming what to configure.
pub fn route(configured: Configured, channel: Channel, dev: bool) -> Result<Via, ApiError> {
    let via = match channel {
        _ if configured.webhook => Some(Via::Webhook),
        Channel::Email if configured.email => Some(Via::EmailApi),
        Channel::Sms if configured.sms => Some(Via::HuaweiSms),
        _ if dev => Some(Via::DevOutbox),
        _ => None,
    };
    via.ok_or_else(|| {
        let (missing, what) = match channel {
            Channel::Email => ("email", "the consent link by email"),
            Channel::Sms => ("sms", "the verification code by SMS"),
        };
        ApiError::with_message(
            Code::NoMessageChannel,
            format!(
                "No channel can send {what}. A partner admin configures one with PUT /v1/message-channels/{missing} \
                 (or PUT /v1/message-channels/webhook to deliver every message through your own system)."
            ),
        )
        .with_data(json!({"missing": missing}))
    })
}

/// The two messages of an authorization request (the link by email, the code by SMS): what carries
/// each, or `no_message_channel` for the first that nothing can carry.
pub fn route_consent(configured: Configured, dev: bool) -> Result<(Via, Via), ApiError> {
    Ok((route(configured, Channel::Email, dev)?, route(configured, Channel::Sms, dev)?))
}

// --- configuration --------------------------------------------------------------------------------

/// `PUT /v1/message-channels/sms`: a Huawei Cloud Message & SMS application.
#[derive(Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct SmsConfig {
    /// The application's access address, e.g. `https://smsapi.ap-southeast-1.myhuaweicloud.com:443`.
    pub endpoint: String,
    /// The application's key (the AK of its signature).
    pub app_key: String,
    /// The sender (channel number) the template is registered with.
    pub sender: String,
    /// The template: its three variables are the partner's name, the code and its validity in minutes.
    pub template_id: String,
    /// The signature name (Chinese mainland SMS only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

/// `PUT /v1/message-channels/email`: an HTTP email API taking `{from, to, subject, text}` with a
/// bearer key (Resend's `POST /emails` shape, which several providers share).
#[derive(Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct EmailConfig {
    /// The API's URL, e.g. `https://api.resend.com/emails`.
    pub endpoint: String,
    /// The sender, e.g. `Skyline Cloud <consent@skyline.example>`.
    pub from: String,
}

/// `PUT /v1/message-channels/webhook`: the partner's endpoint, and the id of the signing secret the
/// worker made for it (sent in `Onbehalf-Key-Id`, so a receiver can rotate).
#[derive(Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct WebhookConfig {
    pub url: String,
    #[serde(default)]
    pub key_id: String,
}

/// A channel as configured: what is shown back, plus the secret (write-only).
#[derive(Clone, PartialEq, Eq)]
pub enum ChannelInput {
    Sms {
        config: SmsConfig,
        app_secret: String,
    },
    Email {
        config: EmailConfig,
        api_key: String,
    },
    /// The signing secret is made by the worker and shown once.
    Webhook {
        config: WebhookConfig,
    },
}

impl std::fmt::Debug for ChannelInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ChannelInput({}, secret hidden)", self.kind().as_str())
    }
}

/// Whether `url` is somewhere a partner may point a channel: `https://` and a DNS name, or `http://`
/// on the loopback (a local emulator or receiver; on Cloudflare's edge the loopback reaches nothing);
/// an optional port and a path of unreserved characters; no credentials, query or fragment. Exactly
/// the OpenAPI document's pattern, so what one accepts the other does.
pub fn endpoint_ok(url: &str) -> bool {
    let label = |l: &str| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let rest = if let Some(r) = url.strip_prefix("https://") {
        let end = r.find([':', '/']).unwrap_or(r.len());
        if !r[..end].split('.').all(label) {
            return false;
        }
        &r[end..]
    } else if let Some(r) = url.strip_prefix("http://") {
        match ["127.0.0.1", "localhost"].into_iter().find(|h| r.starts_with(h)) {
            Some(h) => &r[h.len()..],
            None => return false,
        }
    } else {
        return false;
    };
    let rest = match rest.strip_prefix(':') {
        Some(p) => {
            let n = p.find('/').unwrap_or(p.len());
            if n == 0 || n > 5 || !p[..n].bytes().all(|b| b.is_ascii_digit()) {
                return false;
            }
            &p[n..]
        }
        None => rest,
    };
    (8..=2048).contains(&url.len())
        && (rest.is_empty()
            || rest.starts_with('/') && rest.chars().all(|c| c.is_ascii_alphanumeric() || "/._~-".contains(c)))
}

/// An email address as the email channel takes it (`local@domain`, ASCII), or `Name <local@domain>`
/// (the name's words of letters, digits and `._'-`, one space apart).
pub fn sender_ok(s: &str) -> bool {
    let addr = |a: &str| match a.split_once('@') {
        Some((l, d)) => {
            !l.is_empty()
                && l.chars().all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c))
                && !d.is_empty()
                && d.chars().all(|c| c.is_ascii_alphanumeric() || ".-".contains(c))
        }
        None => false,
    };
    let named = || match s.strip_suffix('>').and_then(|x| x.rsplit_once(" <")) {
        Some((name, a)) => {
            addr(a)
                && name
                    .split(' ')
                    .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || "._'-".contains(c)))
        }
        None => false,
    };
    (3..=320).contains(&s.len()) && (addr(s) || named())
}

fn url(d: &mut Decoder, v: &Value, path: &Path) -> Option<String> {
    let s = d.str(v, path)?;
    if !endpoint_ok(s) {
        d.error(
            path.clone(),
            Code::InvalidFormat,
            "Must be an https:// URL with a DNS name (http:// only on 127.0.0.1 or localhost), an optional port and \
             a path of letters, digits and ._~-: no credentials, query or fragment; 8 to 2048 characters.",
        );
        return None;
    }
    Some(s.trim_end_matches('/').to_string())
}

/// 1 to `max` visible ASCII characters (as the document's pattern says: nothing trimmed).
fn token(d: &mut Decoder, v: &Value, path: &Path, max: usize) -> Option<String> {
    let s = d.str(v, path)?;
    if s.is_empty() || s.len() > max || !s.bytes().all(|b| b.is_ascii_graphic()) {
        d.error(path.clone(), Code::InvalidFormat, format!("1 to {max} visible ASCII characters, no spaces."));
        return None;
    }
    Some(s.to_string())
}

/// An SMS signature name: 1 to 64 printable ASCII characters, not starting or ending with a space.
fn signature(d: &mut Decoder, v: &Value, path: &Path) -> Option<String> {
    let s = d.str(v, path)?;
    let ok = (1..=64).contains(&s.len())
        && s.bytes().all(|b| (0x20..=0x7e).contains(&b))
        && !s.starts_with(' ')
        && !s.ends_with(' ');
    if !ok {
        d.error(path.clone(), Code::InvalidFormat, "1 to 64 printable ASCII characters, no space at either end.");
        return None;
    }
    Some(s.to_string())
}

impl ChannelInput {
    pub fn kind(&self) -> ChannelKind {
        match self {
            ChannelInput::Sms { .. } => ChannelKind::Sms,
            ChannelInput::Email { .. } => ChannelKind::Email,
            ChannelInput::Webhook { .. } => ChannelKind::Webhook,
        }
    }

    /// Reads the body of `PUT /v1/message-channels/{kind}`.
    pub fn decode(kind: ChannelKind, v: &Value) -> Result<Self, ApiError> {
        Decoder::run(|d| {
            let mut o = d.object(v, Path::new())?;
            let input = match kind {
                ChannelKind::Sms => {
                    let endpoint = d.required(&mut o, "endpoint");
                    let app_key = d.required(&mut o, "app_key");
                    let app_secret = d.required(&mut o, "app_secret");
                    let sender = d.required(&mut o, "sender");
                    let template_id = d.required(&mut o, "template_id");
                    let signature = d.optional(&mut o, "signature");
                    d.close(o);
                    let endpoint = endpoint.and_then(|(v, p)| url(d, v, &p));
                    let app_key = app_key.and_then(|(v, p)| token(d, v, &p, 128));
                    let app_secret = app_secret.and_then(|(v, p)| token(d, v, &p, 256));
                    let sender = sender.and_then(|(v, p)| token(d, v, &p, 64));
                    let template_id = template_id.and_then(|(v, p)| token(d, v, &p, 64));
                    let signature = match signature {
                        Some((v, p)) => Some(Some(self::signature(d, v, &p)?)),
                        None => Some(None),
                    };
                    ChannelInput::Sms {
                        config: SmsConfig {
                            endpoint: endpoint?,
                            app_key: app_key?,
                            sender: sender?,
                            template_id: template_id?,
                            signature: signature?,
                        },
                        app_secret: app_secret?,
                    }
                }
                ChannelKind::Email => {
                    let endpoint = d.required(&mut o, "endpoint");
                    let api_key = d.required(&mut o, "api_key");
                    let from = d.required(&mut o, "from");
                    d.close(o);
                    let endpoint = endpoint.and_then(|(v, p)| url(d, v, &p));
                    let api_key = api_key.and_then(|(v, p)| token(d, v, &p, 512));
                    let from = from.and_then(|(v, p)| {
                        let s = d.str(v, &p)?;
                        if !sender_ok(s) {
                            d.error(p, Code::InvalidFormat, "An email address (ASCII), or `Name <address>`.");
                            return None;
                        }
                        Some(s.to_string())
                    });
                    ChannelInput::Email { config: EmailConfig { endpoint: endpoint?, from: from? }, api_key: api_key? }
                }
                ChannelKind::Webhook => {
                    let u = d.required(&mut o, "url");
                    d.close(o);
                    let u = u.and_then(|(v, p)| url(d, v, &p));
                    ChannelInput::Webhook { config: WebhookConfig { url: u?, key_id: String::new() } }
                }
            };
            Some(input)
        })
    }

    /// The configuration as stored and shown (no secret).
    pub fn config_json(&self) -> Value {
        match self {
            ChannelInput::Sms { config, .. } => json!(config),
            ChannelInput::Email { config, .. } => json!(config),
            ChannelInput::Webhook { config } => json!(config),
        }
    }
}

/// The last four characters of a secret, for recognising it (`…abcd`).
pub fn hint(secret: &str) -> String {
    let n = secret.chars().count();
    let tail: String = secret.chars().skip(n.saturating_sub(4)).collect();
    format!("…{tail}")
}

// --- requests --------------------------------------------------------------------------------------

/// What a message needs at delivery time, opened from its sealed copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Sealed {
    pub subject: String,
    pub body: String,
    /// The SMS template's variables (partner name, code, minutes); empty for an email.
    #[serde(default)]
    pub params: Vec<String>,
    /// Where Huawei Cloud reports the SMS's delivery ([`report_url`]); none for an email or a webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_callback: Option<String>,
}

impl Sealed {
    /// What delivery needs of `m`, to be sealed.
    pub fn of(m: &crate::outbox::Message) -> Sealed {
        Sealed { subject: m.subject.clone(), body: m.body.clone(), params: m.params.clone(), status_callback: None }
    }
}

/// A message as delivery sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing<'a> {
    pub id: &'a str,
    pub created_at: &'a str,
    pub channel: Channel,
    pub recipient: &'a str,
    pub partner_id: &'a str,
    pub customer_id: &'a str,
    pub authorization_id: &'a str,
    pub content: &'a Sealed,
}

/// Huawei Cloud's send-SMS API, relative to the application's access address.
pub const SMS_PATH: &str = "/sms/batchSendSms/v1";

/// The `application/x-www-form-urlencoded` body of `POST /sms/batchSendSms/v1` (fields as Huawei's
/// `BatchSendSmsRequestBody`: `from`, `to`, `templateId`, `templateParas` as a JSON array of
/// strings, `statusCallback`, `signature`).
pub fn sms_form(cfg: &SmsConfig, m: &Outgoing<'_>, status_callback: Option<&str>) -> String {
    let paras = serde_json::to_string(&m.content.params).unwrap_or_else(|_| "[]".into());
    let mut fields: Vec<(&str, &str)> =
        vec![("from", &cfg.sender), ("to", m.recipient), ("templateId", &cfg.template_id), ("templateParas", &paras)];
    if let Some(cb) = status_callback {
        fields.push(("statusCallback", cb));
    }
    if let Some(s) = &cfg.signature {
        fields.push(("signature", s));
    }
    fields.iter().map(|(k, v)| format!("{k}={}", crate::huawei::sign::encode(v))).collect::<Vec<_>>().join("&")
}

/// The JSON body of the email API.
pub fn email_body(cfg: &EmailConfig, m: &Outgoing<'_>) -> Value {
    json!({"from": cfg.from, "to": [m.recipient], "subject": m.content.subject, "text": m.content.body})
}

/// The JSON body a partner's webhook receives: the message with what it concerns. `type` is
/// `consent.email` (the link) or `consent.sms` (the code, also in `template_params`).
pub fn webhook_body(m: &Outgoing<'_>) -> Value {
    json!({
        "id": m.id,
        "type": format!("consent.{}", m.channel.as_str()),
        "created_at": m.created_at,
        "partner_id": m.partner_id,
        "customer_id": m.customer_id,
        "authorization_id": m.authorization_id,
        "channel": m.channel.as_str(),
        "recipient": m.recipient,
        "subject": m.content.subject,
        "body": m.content.body,
        "template_params": m.content.params,
    })
}

fn host_and_path(url: &str) -> Option<(&str, &str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    // The default port is not part of the Host header the request carries (nor of the signature).
    let host = match scheme {
        "https" => host.strip_suffix(":443").unwrap_or(host),
        _ => host.strip_suffix(":80").unwrap_or(host),
    };
    Some((scheme, host, path))
}

/// The signed `POST /sms/batchSendSms/v1`: the application key and secret sign it as an access key
/// pair does any Huawei Cloud API (SDK-HMAC-SHA256, as the official `huaweicloudsdksmsapi` client
/// does: its `Signer` puts `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` on a form body).
pub fn sms_call(
    cfg: &SmsConfig,
    app_secret: &str,
    m: &Outgoing<'_>,
    status_callback: Option<&str>,
    now: Timestamp,
) -> Result<Call, ApiError> {
    let fault = || ApiError::with_message(Code::Internal, "the SMS channel's endpoint or key cannot sign");
    let (scheme, host, prefix) = host_and_path(&cfg.endpoint).ok_or_else(fault)?;
    let path = format!("{prefix}{SMS_PATH}");
    let body = sms_form(cfg, m, status_callback);
    let date = crate::huawei::call::sdk_date(now);
    // A form body is signed as the SDK signs one: `UNSIGNED-PAYLOAD` stands for its hash.
    let mut headers = vec![
        ("Content-Type".to_string(), "application/x-www-form-urlencoded".to_string()),
        (crate::huawei::sign::CONTENT_SHA256.to_string(), "UNSIGNED-PAYLOAD".to_string()),
        ("X-Sdk-Date".to_string(), date.clone()),
    ];
    let mut signed: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    signed.push(("Host", host));
    let request = crate::huawei::sign::Request {
        method: "POST",
        path: &path,
        query: &[],
        headers: &signed,
        body: body.as_bytes(),
    };
    let auth = crate::huawei::sign::authorization(&cfg.app_key, app_secret, &request, &date).ok_or_else(fault)?;
    headers.push(("Authorization".to_string(), auth));
    Ok(Call { method: "POST", url: format!("{scheme}://{host}{path}"), headers, body: Some(body) })
}

/// The email API's request: the key as a bearer token, the message id as `Idempotency-Key` (a retry
/// after a timeout is then the same email to a provider that honours it).
pub fn email_call(cfg: &EmailConfig, api_key: &str, m: &Outgoing<'_>) -> Call {
    Call {
        method: "POST",
        url: cfg.endpoint.clone(),
        headers: vec![
            ("Content-Type".into(), "application/json".into()),
            ("Authorization".into(), format!("Bearer {api_key}")),
            ("Idempotency-Key".into(), m.id.to_string()),
        ],
        body: Some(email_body(cfg, m).to_string()),
    }
}

/// The webhook's request: signed (`Onbehalf-Signature`, `Onbehalf-Key-Id`), with the message id in
/// `Onbehalf-Message-Id` (and the body's `id`) for the receiver to de-duplicate retries on.
pub fn webhook_call(cfg: &WebhookConfig, secret: &str, m: &Outgoing<'_>, now: Timestamp) -> Call {
    let body = webhook_body(m).to_string();
    Call {
        method: "POST",
        url: cfg.url.clone(),
        headers: vec![
            ("Content-Type".into(), "application/json".into()),
            ("Onbehalf-Signature".into(), sign_webhook(secret, now.unix(), &body)),
            ("Onbehalf-Key-Id".into(), cfg.key_id.clone()),
            ("Onbehalf-Message-Id".into(), m.id.to_string()),
        ],
        body: Some(body),
    }
}

/// Seconds a webhook's timestamp may be away from the receiver's clock.
pub const REPLAY_WINDOW_S: i64 = 300;

fn mac(secret: &str, t: i64, body: &str) -> Option<Hmac<Sha256>> {
    let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).ok()?;
    m.update(t.to_string().as_bytes());
    m.update(b".");
    m.update(body.as_bytes());
    Some(m)
}

/// `Onbehalf-Signature`: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>`.
pub fn sign_webhook(secret: &str, t: i64, body: &str) -> String {
    let sig = mac(secret, t, body).map(|m| crate::ids::hex(&m.finalize().into_bytes())).unwrap_or_default();
    format!("t={t},v1={sig}")
}

/// Why a webhook signature does not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadSignature {
    Malformed,
    OutsideWindow,
    Mismatch,
}

/// Verifies `header` over `body` at `now` (what a receiver does; README has the same in JavaScript).
pub fn verify_webhook(secret: &str, header: &str, body: &str, now: i64) -> Result<(), BadSignature> {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", x)) => t = x.parse::<i64>().ok(),
            Some(("v1", x)) => v1 = Some(x),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else { return Err(BadSignature::Malformed) };
    if (now - t).abs() > REPLAY_WINDOW_S {
        return Err(BadSignature::OutsideWindow);
    }
    let bytes = crate::ids::unhex(v1).ok_or(BadSignature::Malformed)?;
    let m = mac(secret, t, body).ok_or(BadSignature::Malformed)?;
    m.verify_slice(&bytes).map_err(|_| BadSignature::Mismatch)
}

// --- delivery reports ----------------------------------------------------------------------------------

/// The token in an SMS's status-report URL: HMAC-SHA256 of the message id under the deployment's
/// secret (32 hex digits). Huawei's reports are not signed; the URL is the credential, one per message.
pub fn report_token(secret: &[u8], message_id: &str) -> String {
    let mut m = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    m.update(b"sms-status-report:");
    m.update(message_id.as_bytes());
    crate::ids::hex(&m.finalize().into_bytes()[..16])
}

/// Whether `token` is message `id`'s (constant time).
pub fn report_token_ok(secret: &[u8], message_id: &str, token: &str) -> bool {
    let Some(got) = crate::ids::unhex(token) else { return false };
    let mut m = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(m) => m,
        Err(_) => return false,
    };
    m.update(b"sms-status-report:");
    m.update(message_id.as_bytes());
    m.verify_truncated_left(&got).is_ok() && got.len() == 16
}

/// The `statusCallback` of an SMS: `{origin}/v1/hooks/huawei-sms/{message id}/{token}`.
pub fn report_url(origin: &str, message_id: &str, token: &str) -> String {
    format!("{}/v1/hooks/huawei-sms/{message_id}/{token}", origin.trim_end_matches('/'))
}

/// What a Huawei Cloud SMS status report says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// `DELIVRD`: it reached the phone.
    Delivered,
    /// Any other final status (`UNDELIV`, `EXPIRED`, `REJECTD`, …), with Huawei's words.
    NotDelivered(String),
}

/// Reads a status report (form fields `smsMsgId`, `status`, `orgCode`, …): `validation_failed`
/// without a status.
pub fn read_report(fields: &[(String, String)]) -> Result<Report, ApiError> {
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim()).filter(|v| !v.is_empty());
    let Some(status) = get("status") else {
        return Err(ApiError::validation(vec![crate::error::FieldError::new(
            vec![crate::error::PathSeg::Key("status".into())],
            Code::Required,
            "A status report names the status.",
        )]));
    };
    if status == "DELIVRD" {
        return Ok(Report::Delivered);
    }
    let org = get("orgCode").map(|c| format!(" (orgCode {c})")).unwrap_or_default();
    let shown: String = format!("{status}{org}").chars().filter(|c| !c.is_control()).take(200).collect();
    Ok(Report::NotDelivered(format!("Huawei Cloud reported the SMS not delivered: {shown}")))
}

// --- answers and retries -----------------------------------------------------------------------------

/// What an attempt got back.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// An HTTP answer.
    Http { status: u16, body: Value, retry_after: Option<i64> },
    /// No answer in time, or the connection failed: the provider may or may not have it.
    Silent(String),
}

/// How an attempt ended, for one channel.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Accepted, with the provider's message id where it gives one.
    Accepted(Option<String>),
    /// Try again (after `retry_after` seconds where the provider said so).
    Transient { reason: String, retry_after: Option<i64> },
    /// Refused for good.
    Refused(String),
}

fn text_of(body: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| body.get(*k).and_then(Value::as_str)).map(str::to_string)
}

/// What an answer means on `via`.
pub fn outcome(via: Via, answer: &Answer) -> Outcome {
    let (status, body, retry_after) = match answer {
        Answer::Silent(why) => return Outcome::Transient { reason: format!("no answer: {why}"), retry_after: None },
        Answer::Http { status, body, retry_after } => (*status, body, *retry_after),
    };
    let said = |fallback: &str| {
        let detail = match via {
            Via::HuaweiSms => {
                let code = text_of(body, &["code"]);
                let desc = text_of(body, &["description"]);
                match (code, desc) {
                    (Some(c), Some(d)) => Some(format!("{c}: {d}")),
                    (c, d) => c.or(d),
                }
            }
            _ => text_of(body, &["message", "error", "name"]),
        };
        format!("HTTP {status}: {}", detail.unwrap_or_else(|| fallback.to_string()))
    };
    if status == 429 || status >= 500 || status == 408 {
        return Outcome::Transient { reason: said("busy"), retry_after };
    }
    if !(200..300).contains(&status) {
        return Outcome::Refused(said("refused"));
    }
    match via {
        Via::HuaweiSms => {
            // {"code":"000000","result":[{"smsMsgId":…,"status":"000000"}]}: every recipient's status
            // must be 000000 too.
            let first = body.get("result").and_then(Value::as_array).and_then(|r| r.first());
            let ok = text_of(body, &["code"]).as_deref() == Some("000000")
                && first.and_then(|r| r.get("status")).and_then(Value::as_str) == Some("000000");
            if ok {
                Outcome::Accepted(first.and_then(|r| text_of(r, &["smsMsgId"])))
            } else {
                let code = first.and_then(|r| text_of(r, &["status"])).or_else(|| text_of(body, &["code"]));
                Outcome::Refused(format!(
                    "Huawei Cloud SMS refused it: {}",
                    code.unwrap_or_else(|| "no status in the answer".into())
                ))
            }
        }
        Via::EmailApi => Outcome::Accepted(text_of(body, &["id", "message_id", "messageId"])),
        Via::Webhook | Via::DevOutbox => Outcome::Accepted(text_of(body, &["id"])),
    }
}

/// Retry policy: attempts, and the backoff between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Attempts in all, the first included.
    pub max_attempts: i64,
    /// The wait after the first failed attempt, in seconds; doubled after each.
    pub base_s: i64,
    /// The longest wait.
    pub cap_s: i64,
}

impl Policy {
    pub const DEFAULT: Policy = Policy { max_attempts: 6, base_s: 30, cap_s: 3600 };

    /// From the deployment's `DELIVERY_ATTEMPTS` and `DELIVERY_BACKOFF_S` (unset or malformed: the
    /// defaults, 6 attempts from 30 s).
    pub fn from_vars(attempts: Option<&str>, backoff_s: Option<&str>) -> Policy {
        let num =
            |v: Option<&str>, lo: i64, hi: i64| v.and_then(|s| s.trim().parse::<i64>().ok()).map(|n| n.clamp(lo, hi));
        Policy {
            max_attempts: num(attempts, 1, 20).unwrap_or(Self::DEFAULT.max_attempts),
            base_s: num(backoff_s, 1, 3600).unwrap_or(Self::DEFAULT.base_s),
            cap_s: Self::DEFAULT.cap_s,
        }
    }

    /// The wait after failed attempt number `attempt` (1-based): `base × 2^(attempt−1)` capped, with
    /// "equal jitter" (half fixed, half random from `jitter`), so retries of many messages spread out.
    pub fn backoff(&self, attempt: i64, jitter: u32) -> i64 {
        let exp = self.base_s.saturating_mul(1i64 << (attempt - 1).clamp(0, 30)).min(self.cap_s).max(1);
        let half = exp / 2;
        half + (i64::from(jitter) % (exp - half + 1))
    }
}

/// What to record after attempt number `attempt` ended with `outcome` at `now`.
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    Sent {
        provider_id: Option<String>,
    },
    Retry {
        at: Timestamp,
        reason: String,
    },
    /// Final: `reason` is the provider's refusal, or the last error once attempts ran out.
    Failed {
        reason: String,
    },
}

pub fn after_attempt(policy: &Policy, attempt: i64, outcome: Outcome, now: Timestamp, jitter: u32) -> Next {
    match outcome {
        Outcome::Accepted(provider_id) => Next::Sent { provider_id },
        Outcome::Refused(reason) => Next::Failed { reason },
        Outcome::Transient { reason, .. } if attempt >= policy.max_attempts => {
            Next::Failed { reason: format!("gave up after {attempt} attempts; last: {reason}") }
        }
        Outcome::Transient { reason, retry_after } => {
            // A provider's Retry-After is honoured (up to the cap) when it asks for longer.
            let wait = policy.backoff(attempt, jitter).max(retry_after.unwrap_or(0).clamp(0, policy.cap_s));
            Next::Retry { at: now.plus(wait), reason }
        }
    }
}

/// Seconds an attempt holds its message before another worker may take it over (a worker that dies
/// mid-send leaves it `sending`; the lease running out makes it due again): the attempt's timeout and
/// five seconds more, so a live attempt always records its outcome first.
pub fn lease_s(timeout_ms: u64) -> i64 {
    (timeout_ms.div_ceil(1000) as i64).saturating_add(5)
}

#[cfg(test)]
mod tests;
