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

/// The bytes of hex text (either case); `None` for odd length or a non-hex digit.
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    let digit = |b: u8| (b as char).to_digit(16);
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) {
        return None;
    }
    b.chunks(2).map(|p| Some((digit(p[0])? * 16 + digit(p[1])?) as u8)).collect()
}

/// Declares an id type: `<prefix>` followed by `2 × $bytes` lowercase hex digits, made from `$bytes`
/// random bytes, (de)serialized as its text. Huawei-style account ids have no prefix and 16 bytes.
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $bytes:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// The prefix naming this kind of object (empty for Huawei account ids).
            pub const PREFIX: &'static str = $prefix;
            /// Parses the prefix and `2 × $bytes` lowercase hex digits; `None` otherwise.
            pub fn parse(s: &str) -> Option<Self> {
                let rest = s.strip_prefix($prefix)?;
                (rest.len() == 2 * $bytes && is_lower_hex(rest)).then(|| $name(s.to_string()))
            }
            /// From random bytes.
            pub fn from_bytes(b: &[u8; $bytes]) -> Self {
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
                $name::parse(&s).ok_or_else(|| {
                    serde::de::Error::custom(concat!("expected `", $prefix, "` and ", stringify!($bytes), " bytes in lowercase hex"))
                })
            }
        }
    };
}

id_type!(
    /// A customer's account (domain) id, as Huawei's `customer_id`.
    CustomerId, "", 16
);
id_type!(
    /// A partner's id (distributor or reseller; Huawei's `indirect_partner_id` for resellers).
    PartnerId, "", 16
);
id_type!(
    /// A partner user (a person at a distributor or reseller).
    UserId, "usr_", 12
);
id_type!(
    /// An API key's public id (the secret itself is never stored).
    ApiKeyId, "key_", 12
);
id_type!(
    /// A distributor permission granted to a reseller.
    PermissionId, "perm_", 12
);
id_type!(
    /// A customer authorization (request, then grant).
    AuthorizationId, "auth_", 12
);
id_type!(
    /// A reseller's request to its distributor for a permission.
    PermissionRequestId, "preq_", 12
);
id_type!(
    /// A portal token's public id (the secret itself is never stored).
    PortalTokenId, "ptk_", 12
);
id_type!(
    /// A switch-role session: a partner user acting as a customer.
    SessionId, "ses_", 12
);
id_type!(
    /// A stored quote (price locked for 15 minutes).
    QuoteId, "qt_", 12
);
id_type!(
    /// A message recorded in the outbox.
    MessageId, "msg_", 12
);

#[cfg(test)]
mod tests;
