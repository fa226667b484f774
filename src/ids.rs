//! Identifiers. Huawei-style account ids (customers, partners) are 32 lowercase hex digits; the
//! objects onbehalf creates itself carry a short prefix naming their kind (`perm_`, `auth_`, ...).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

fn is_lower_hex(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Lowercase hex of some bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

macro_rules! hex32_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// Parses 32 lowercase hex digits; `None` otherwise.
            pub fn parse(s: &str) -> Option<Self> {
                (s.len() == 32 && is_lower_hex(s)).then(|| $name(s.to_string()))
            }
            /// From 16 random bytes.
            pub fn from_bytes(b: &[u8; 16]) -> Self {
                $name(hex(b))
            }
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(&self.0) }
        }
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { s.serialize_str(&self.0) }
        }
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $name::parse(&s).ok_or_else(|| serde::de::Error::custom("expected 32 lowercase hex digits"))
            }
        }
    };
}

hex32_id!(
    /// A customer's account (domain) id, as Huawei's `customer_id`.
    CustomerId
);
hex32_id!(
    /// A partner's id (distributor or reseller; Huawei's `indirect_partner_id` for resellers).
    PartnerId
);

macro_rules! prefixed_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// The prefix naming this kind of object.
            pub const PREFIX: &'static str = $prefix;
            /// Parses `<prefix><24 lowercase hex>`; `None` otherwise.
            pub fn parse(s: &str) -> Option<Self> {
                let rest = s.strip_prefix($prefix)?;
                (rest.len() == 24 && is_lower_hex(rest)).then(|| $name(s.to_string()))
            }
            /// From 12 random bytes.
            pub fn from_bytes(b: &[u8; 12]) -> Self {
                $name(format!("{}{}", $prefix, hex(b)))
            }
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(&self.0) }
        }
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { s.serialize_str(&self.0) }
        }
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $name::parse(&s).ok_or_else(|| serde::de::Error::custom(concat!("expected ", $prefix, " followed by 24 hex digits")))
            }
        }
    };
}

prefixed_id!(
    /// A partner user (a person at a distributor or reseller).
    UserId, "usr_"
);
prefixed_id!(
    /// An API key's public id (the secret itself is never stored).
    ApiKeyId, "key_"
);
prefixed_id!(
    /// A distributor permission granted to a reseller.
    PermissionId, "perm_"
);
prefixed_id!(
    /// A customer authorization (request, then grant).
    AuthorizationId, "auth_"
);
prefixed_id!(
    /// A portal token's public id (the secret itself is never stored).
    PortalTokenId, "ptk_"
);
prefixed_id!(
    /// A switch-role session: a partner user acting as a customer.
    SessionId, "ses_"
);
prefixed_id!(
    /// A stored quote (price locked for 15 minutes).
    QuoteId, "qt_"
);
prefixed_id!(
    /// A message recorded in the outbox.
    MessageId, "msg_"
);

#[cfg(test)]
mod tests;
