//! The consent link's reads and the approval it writes (the guess counters are in `crate::sql::consent`).

use super::grants::{auth, AuthRow, AUTH_COLS};
use super::{first, stmt};
use crate::args;
use crate::consent::CodeState;
use crate::error::ApiError;
use crate::grants::CustomerAuthorization;
use crate::ids::AuthorizationId;
use worker::{D1Database, D1PreparedStatement};

/// The authorization a consent token opens, with its code state.
pub async fn by_token_hash(
    db: &D1Database,
    hash: &str,
) -> Result<Option<(CustomerAuthorization, CodeState)>, ApiError> {
    let sql = format!("SELECT {AUTH_COLS} FROM authorizations WHERE consent_token_hash = ?1");
    first::<AuthRow>(db, &sql, args![hash]).await?.map(auth).transpose()
}

/// One authorization by id, with its code state.
pub async fn by_id_with_code(
    db: &D1Database,
    id: &AuthorizationId,
) -> Result<Option<(CustomerAuthorization, CodeState)>, ApiError> {
    let sql = format!("SELECT {AUTH_COLS} FROM authorizations WHERE id = ?1");
    first::<AuthRow>(db, &sql, args![id.as_str()]).await?.map(auth).transpose()
}

/// Stores an approval decided by the core (`grants::approve`), if the request is still pending and
/// its code is still the one guessed (`code_hash`).
pub fn approve(db: &D1Database, a: &CustomerAuthorization, code_hash: &str) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "UPDATE authorizations SET status = 'approved', capabilities = ?2, decided_at = ?3, expires_at = ?4 WHERE id = ?1 AND status = 'pending' AND code_hash = ?5",
        args![a.id.as_str(), a.capabilities.to_csv(), a.decided_at.map(|t| t.to_string()), a.expires_at.map(|t| t.to_string()), code_hash],
    )
}
