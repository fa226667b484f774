//! Messages to customers (consent links and verification codes). They are recorded in the outbox in
//! the batch of the change they tell of, and delivered from there (`crate::delivery`); in dev mode
//! `GET /v1/dev/outbox` shows them.

use crate::grants::CustomerAuthorization;
use serde::Serialize;

/// Delivery channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Sms => "sms",
        }
    }

    /// The channel of a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Email, Self::Sms].into_iter().find(|c| c.as_str() == s)
    }
}

/// A message to deliver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// An SMS template's variables (the partner's name, the code, its validity in minutes).
    #[serde(skip)]
    pub params: Vec<String>,
    /// What must not be stored in clear outside dev mode (the code, the consent link).
    #[serde(skip)]
    pub secrets: Vec<String>,
}

impl Message {
    /// The body with every secret replaced: what the outbox keeps in clear outside dev mode (the
    /// whole message is sealed for delivery and forgotten once delivered or failed).
    pub fn redacted_body(&self) -> String {
        self.secrets
            .iter()
            .filter(|s| !s.is_empty())
            .fold(self.body.clone(), |b, s| b.replace(s.as_str(), "[redacted]"))
    }
}

/// The email with the consent link: the customer opens it to approve or reject.
pub fn consent_email(partner_name: &str, email: &str, auth: &CustomerAuthorization, link: &str) -> Message {
    Message {
        channel: Channel::Email,
        recipient: email.to_string(),
        subject: format!("{partner_name} asks to act on your behalf"),
        body: format!(
            "{partner_name} asks for your authorization to: {}, for {} days.\n\
             Review and answer here: {link}\n\
             You will also receive a verification code by SMS. You can revoke the authorization at any time from the same link.",
            auth.capabilities.to_csv().replace("order", "place orders").replace("om", "operate resources (O&M)").replace(',', ", "),
            auth.valid_days,
        ),
        params: Vec::new(),
        secrets: vec![link.to_string()],
    }
}

/// The SMS with the verification code.
pub fn code_sms(partner_name: &str, mobile: &str, code: &str, minutes: i64) -> Message {
    Message {
        channel: Channel::Sms,
        recipient: mobile.to_string(),
        subject: "Verification code".into(),
        body: format!("Your code to authorize {partner_name} is {code}. It expires in {minutes} minutes. Never share it with anyone."),
        params: vec![partner_name.to_string(), code.to_string(), minutes.to_string()],
        secrets: vec![code.to_string()],
    }
}
