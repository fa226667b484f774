//! Messages to customers (consent links and verification codes). They are recorded in the outbox;
//! a delivery service would send them. In dev mode `GET /v1/dev/outbox` shows them.

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
}

/// A message to deliver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
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
    }
}

/// The SMS with the verification code.
pub fn code_sms(partner_name: &str, mobile: &str, code: &str, minutes: i64) -> Message {
    Message {
        channel: Channel::Sms,
        recipient: mobile.to_string(),
        subject: "Verification code".into(),
        body: format!("Your code to authorize {partner_name} is {code}. It expires in {minutes} minutes. Never share it with anyone."),
    }
}
