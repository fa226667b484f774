//! What this isolate remembers between requests (`crate::cache`): the credential behind a key or
//! token hash and a partner's allowed origins, each for at most [`CREDENTIAL_TTL_MS`]. A warm request
//! then spends no round trip on authentication. A revocation or an origin change made through this
//! isolate evicts at once; one made through another isolate is seen here within the TTL.

use super::db::partners::Credentialed;
use crate::cache::{Memo, CREDENTIAL_CAPACITY, CREDENTIAL_TTL_MS};
use std::cell::RefCell;

thread_local! {
    static CREDENTIALS: RefCell<Memo<String, Credentialed>> =
        const { RefCell::new(Memo::new(CREDENTIAL_TTL_MS, CREDENTIAL_CAPACITY)) };
    static ORIGINS: RefCell<Memo<String, (String, Vec<String>)>> =
        const { RefCell::new(Memo::new(CREDENTIAL_TTL_MS, CREDENTIAL_CAPACITY)) };
    static KNOWN: RefCell<Memo<String, bool>> =
        const { RefCell::new(Memo::new(CREDENTIAL_TTL_MS, CREDENTIAL_CAPACITY)) };
}

fn now_ms() -> u64 {
    worker::Date::now().as_millis()
}

/// The credential remembered for a key or token hash.
pub fn credential(hash: &str) -> Option<Credentialed> {
    CREDENTIALS.with(|m| m.borrow_mut().get(&hash.to_string(), now_ms()))
}

/// Remembers a credential just read (a portal token no longer than its own expiry).
pub fn remember_credential(hash: String, found: Credentialed) {
    let expires_ms = found.2.map(|t| (t.unix().max(0) as u64).saturating_mul(1000));
    CREDENTIALS.with(|m| m.borrow_mut().put(hash, found, now_ms(), expires_ms));
}

/// Forgets every credential of a partner (one of its keys or portal tokens was just revoked
/// here; a key's revocation also ends the tokens it minted).
pub fn forget_credentials_of(partner: &crate::ids::PartnerId) {
    CREDENTIALS.with(|m| m.borrow_mut().evict_where(|c| &c.0.partner_id == partner));
}

/// The allowed origins remembered for a partner.
pub fn origins(partner: &str) -> Option<Vec<String>> {
    ORIGINS.with(|m| m.borrow_mut().get(&partner.to_string(), now_ms()).map(|(_, list)| list))
}

/// Remembers a partner's allowed origins just read.
pub fn remember_origins(partner: &str, list: Vec<String>) {
    ORIGINS.with(|m| m.borrow_mut().put(partner.to_string(), (partner.to_string(), list), now_ms(), None));
}

/// Forgets a partner's allowed origins (just replaced here), and which origins any partner lists.
pub fn forget_origins(partner: &str) {
    ORIGINS.with(|m| m.borrow_mut().evict_where(|(p, _)| p == partner));
    KNOWN.with(|m| m.borrow_mut().evict_where(|_| true));
}

/// Whether some partner lists a browser origin (CORS), as remembered.
pub fn origin_known(origin: &str) -> Option<bool> {
    KNOWN.with(|m| m.borrow_mut().get(&origin.to_string(), now_ms()))
}

/// Remembers whether some partner lists a browser origin.
pub fn remember_origin_known(origin: &str, known: bool) {
    KNOWN.with(|m| m.borrow_mut().put(origin.to_string(), known, now_ms(), None));
}
