//! The consent link's reads and the approval it writes (the guess counters are in `crate::sql::consent`).

use super::grants::{auth, AuthRow, AUTH_COLS};
use super::Db;
use super::{first, stmt};
use crate::args;
use crate::consent::CodeState;
use crate::error::ApiError;
use crate::grants::CustomerAuthorization;
use crate::ids::AuthorizationId;
use worker::D1PreparedStatement;

/// The authorization a consent token opens (with its code state), read in the same round trip as
/// `more`, statements about it by the token's hash; their results come back only if the token opens one.
pub async fn by_token_hash_with(
    db: &Db,
    hash: &str,
    more: Vec<D1PreparedStatement>,
) -> Result<Option<(CustomerAuthorization, CodeState, Vec<crate::worker::db::StatementResult>)>, ApiError> {
    let mut stmts =
        vec![stmt(db, &format!("SELECT {AUTH_COLS} FROM authorizations WHERE consent_token_hash = ?1"), args![hash])?];
    stmts.extend(more);
    let mut results = super::batch_results(db, stmts).await?;
    if results.is_empty() {
        return Err(super::fault("consent batch", "no result"));
    }
    let rest = results.split_off(1);
    let Some(row) = super::row::<AuthRow>(&results[0], "decode authorization")? else { return Ok(None) };
    let (a, code) = auth(row)?;
    Ok(Some((a, code, rest)))
}

/// The statement reading one authorization by id with its code state (read with [`read_with_code`]).
pub fn by_id_stmt(db: &Db, id: &AuthorizationId) -> Result<D1PreparedStatement, ApiError> {
    stmt(db, &format!("SELECT {AUTH_COLS} FROM authorizations WHERE id = ?1"), args![id.as_str()])
}

/// Reads the row of [`by_id_stmt`].
pub fn read_with_code(
    r: &crate::worker::db::StatementResult,
) -> Result<Option<(CustomerAuthorization, CodeState)>, ApiError> {
    super::row::<AuthRow>(r, "decode authorization")?.map(auth).transpose()
}

fn of_token(col: &str) -> String {
    format!("(SELECT {col} FROM authorizations WHERE consent_token_hash = ?1)")
}

/// The partner and the customer of the authorization a token (by hash) opens, for
/// [`by_token_hash_with`] (read with `db::row` as a `PartnerRow`, and `customers::read_customer`).
pub fn people_of(db: &Db, hash: &str) -> Result<Vec<D1PreparedStatement>, ApiError> {
    Ok(vec![
        stmt(
            db,
            &format!("SELECT id, kind, name, distributor_id FROM partners WHERE id = {}", of_token("partner_id")),
            args![hash],
        )?,
        super::customers::where_stmt(db, &format!("c.id = {}", of_token("customer_id")), args![hash])?,
    ])
}

/// What the consent page shows beside the authorization, by the token's hash: [`people_of`], the
/// customer's Huawei account and agency, the partner's Huawei key (one statement each, for
/// [`by_token_hash_with`]).
pub fn page_of(db: &Db, hash: &str) -> Result<Vec<D1PreparedStatement>, ApiError> {
    let of = of_token;
    let mut stmts = people_of(db, hash)?;
    stmts.extend([
        stmt(
            db,
            &format!("SELECT huawei_domain_name, huawei_agency_name FROM customers WHERE id = {}", of("customer_id")),
            args![hash],
        )?,
        stmt(
            db,
            &format!("SELECT access_key_id, account_name, set_by, set_at, version FROM partner_huawei_keys WHERE partner_id = {}", of("partner_id")),
            args![hash],
        )?,
    ]);
    Ok(stmts)
}

/// One authorization by id, with its code state.
pub async fn by_id_with_code(
    db: &Db,
    id: &AuthorizationId,
) -> Result<Option<(CustomerAuthorization, CodeState)>, ApiError> {
    let sql = format!("SELECT {AUTH_COLS} FROM authorizations WHERE id = ?1");
    first::<AuthRow>(db, &sql, args![id.as_str()]).await?.map(auth).transpose()
}

/// Stores an approval decided by the core (`grants::approve`), if the request is still pending and
/// its code is still the one guessed (`code_hash`).
pub fn approve(db: &Db, a: &CustomerAuthorization, code_hash: &str) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "UPDATE authorizations SET status = 'approved', capabilities = ?2, decided_at = ?3, expires_at = ?4 WHERE id = ?1 AND status = 'pending' AND code_hash = ?5",
        args![a.id.as_str(), a.capabilities.to_csv(), a.decided_at.map(|t| t.to_string()), a.expires_at.map(|t| t.to_string()), code_hash],
    )
}
