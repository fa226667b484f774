//! Customers.

use super::Db;
use super::{all, first, opt_time, stmt, stored};
use crate::args;
use crate::customers::{AssociationType, Budget, BudgetType, Customer, CustomerFacts, VerifiedStatus};
use crate::error::ApiError;
use crate::ids::{CustomerId, PartnerId};
use crate::money::{Currency, Money};
use crate::time::Timestamp;
use worker::D1PreparedStatement;

crate::row! {
    struct Row {
        id: String,
        partner_id: String,
        partner_distributor_id: Option<String>,
        association_type: String,
        associated_on: String,
        account_name: String,
        real_name: String,
        mobile_country_code: String,
        mobile: String,
        email: String,
        account_manager: Option<String>,
        verified_status: i64,
        customer_type: i64,
        level: String,
        frozen: i64,
        auto_frozen: i64,
        frozen_reason: Option<String>,
        currency: String,
        budget_type: Option<String>,
        budget_amount_minor: Option<i64>,
        budget_used_minor: Option<i64>,
        budget_auto_freeze: i64,
        mtd_spend_minor: i64,
        earliest_expiry: Option<String>,
        tags: Option<String>,
        manager_set_here: Option<i64>,
        gone_at: Option<String>,
        /// The page query's sort key (only its rows have one).
        k: Option<serde_json::Value>,
        /// The total, when the page query counts it (a window count).
        n: Option<i64>,
        /// A page row's grants of this customer (arrays of rows; see `Compiled::page_fields`).
        authorizations: Option<serde_json::Value>,
        permissions: Option<serde_json::Value>,
    }
}

fn select() -> String {
    format!("SELECT {} FROM customers c JOIN partners p ON p.id = c.partner_id", crate::sql::customers::row_columns())
}

fn convert(r: Row) -> Result<Customer, ApiError> {
    let currency = stored("currency", Currency::parse(&r.currency))?;
    let budget = match (r.budget_type.as_deref(), r.budget_amount_minor) {
        (Some(t), Some(amount)) => Some(Budget {
            budget_type: stored("budget type", BudgetType::parse(t))?,
            amount: Money::new(amount, currency),
            used: Money::new(r.budget_used_minor.unwrap_or(0), currency),
            auto_freeze: r.budget_auto_freeze != 0,
        }),
        _ => None,
    };
    let mut tags: Vec<String> = r.tags.map(|t| t.split('\u{1f}').map(str::to_string).collect()).unwrap_or_default();
    crate::sorting::sort(&mut tags);
    Ok(Customer {
        facts: CustomerFacts {
            id: stored("customer id", CustomerId::parse(&r.id))?,
            partner_id: stored("partner id", PartnerId::parse(&r.partner_id))?,
            partner_distributor_id: super::opt_partner("distributor id", r.partner_distributor_id.as_deref())?,
            association_type: stored("association type", AssociationType::parse(&r.association_type))?,
            frozen: r.frozen != 0 || r.auto_frozen != 0,
            auto_frozen: r.auto_frozen != 0,
            verified_status: stored("verified status", VerifiedStatus::parse(r.verified_status))?,
            budget,
            gone_since: opt_time("gone_at", &r.gone_at)?,
        },
        account_name: r.account_name,
        real_name: r.real_name,
        mobile_country_code: r.mobile_country_code,
        mobile: r.mobile,
        email: r.email,
        associated_on: stored("associated_on", Timestamp::parse(&r.associated_on))?,
        account_manager: r.account_manager,
        customer_type: r.customer_type,
        level: r.level,
        frozen_reason: r.frozen_reason,
        month_to_date_spend: Money::new(r.mtd_spend_minor, currency),
        earliest_expiry: opt_time("earliest_expiry", &r.earliest_expiry)?,
        tags,
    })
}

/// A customer by id, whoever it belongs to; callers decide visibility with `Actor::sees`.
pub async fn by_id(db: &Db, id: &CustomerId) -> Result<Option<Customer>, ApiError> {
    let sql = format!("{} WHERE c.id = ?1", select());
    let row: Option<Row> = first(db, &sql, args![id.as_str()]).await?;
    row.map(convert).transpose()
}

/// The statement reading customers matching `condition` (on `c`, the customers table; with `args`).
pub fn where_stmt(db: &Db, condition: &str, args: Vec<super::Arg>) -> Result<worker::D1PreparedStatement, ApiError> {
    super::stmt(db, &format!("{} WHERE {condition}", select()), args)
}

/// The statement of [`by_id`] (for a batch; read with [`read_customer`]).
pub fn by_id_stmt(db: &Db, id: &CustomerId) -> Result<worker::D1PreparedStatement, ApiError> {
    super::stmt(db, &format!("{} WHERE c.id = ?1", select()), args![id.as_str()])
}

/// The statement reading the customer of session `sid` (for the session batch; see [`read_customer`]).
pub fn of_session(db: &Db, sid: &str) -> Result<worker::D1PreparedStatement, ApiError> {
    super::stmt(db, &format!("{} WHERE c.id = (SELECT customer_id FROM sessions WHERE id = ?1)", select()), args![sid])
}

/// Reads the row of [`of_session`].
pub fn read_customer(r: &crate::worker::db::StatementResult) -> Result<Option<Customer>, ApiError> {
    let rows: Vec<Row> = r.results().map_err(|e| super::fault("decode customer", e))?;
    rows.into_iter().next().map(convert).transpose()
}

/// Customers by id, in the order given (D1 binds the list as one JSON parameter).
pub async fn by_ids(db: &Db, ids: &[CustomerId]) -> Result<Vec<Customer>, ApiError> {
    let list = serde_json::to_string(&ids.iter().map(|i| i.as_str()).collect::<Vec<_>>()).unwrap_or_default();
    let sql = format!("{} WHERE c.id IN (SELECT value FROM json_each(?1))", select());
    let rows: Vec<Row> = all(db, &sql, args![list]).await?;
    let mut found: Vec<Customer> = rows.into_iter().map(convert).collect::<Result<_, _>>()?;
    crate::sorting::sort_by_key(&mut found, |c| ids.iter().position(|i| i == &c.facts.id));
    Ok(found)
}

/// Customers by id as a directory sync reads them: each with what only onbehalf knows about it.
pub async fn for_sync(
    db: &Db,
    ids: &[&CustomerId],
) -> Result<Vec<(Customer, crate::huawei::directory::Local)>, ApiError> {
    let list = serde_json::to_string(&ids.iter().map(|i| i.as_str()).collect::<Vec<_>>()).unwrap_or_default();
    let sql = format!("{} WHERE c.id IN (SELECT value FROM json_each(?1))", select());
    let rows: Vec<Row> = all(db, &sql, args![list]).await?;
    rows.into_iter()
        .map(|r| {
            let here = r.manager_set_here.unwrap_or(0) != 0;
            Ok((convert(r)?, crate::huawei::directory::Local { manager_set_here: here }))
        })
        .collect()
}

/// One page of Customer Management, in one D1 round trip (a batch): the page's rows with their sort
/// values (`limit + 1` at most), the total, and the grants the page's verdicts need.
pub struct ListPage {
    pub rows: Vec<(Customer, serde_json::Value)>,
    pub total: i64,
    /// False when the count stopped at its cap: `total` is then a lower bound ("more than").
    pub total_exact: bool,
    pub permissions: Vec<crate::grants::DistributorPermission>,
    pub authorizations: Vec<crate::grants::CustomerAuthorization>,
}

/// Runs a compiled customer query for `actor`.
pub async fn list_page(
    db: &Db,
    compiled: &crate::sql::customers::Compiled,
    actor: &crate::partners::Actor,
) -> Result<ListPage, ApiError> {
    crate::row! {
        struct Count {
            n: i64,
        }
    }
    let mut stmts = vec![super::stmt(db, &compiled.page_sql, super::from_sql(&compiled.page_params))?];
    if let Some(sql) = &compiled.count_sql {
        stmts.push(super::stmt(db, sql, super::from_sql(&compiled.count_params))?);
    }
    let reseller = actor.needs_distributor_permission();
    if reseller {
        stmts.push(super::grants::general_permissions(db, &actor.partner_id)?);
    }
    let results = super::batch_results(db, stmts).await?;
    let decode = |i: usize| results.get(i).ok_or_else(|| super::fault("customer list batch", "missing result"));
    crate::row! {
        struct Page {
            page: String,
        }
    }
    let page: Vec<Page> = decode(0)?.results().map_err(|e| super::fault("decode page", e))?;
    let hits: Vec<Row> = match page.first() {
        Some(p) => super::rows_from_json(&p.page, &compiled.page_fields).map_err(|e| super::fault("decode page", e))?,
        None => Vec::new(),
    };
    // The total: the count statement's, or the page's own (column `n`, on every row; none: 0).
    let (n, next) = match compiled.count_sql {
        Some(_) => {
            let counted = decode(1)?.results::<Count>().map_err(|e| super::fault("decode count", e))?;
            (counted.first().map_or(0, |c| c.n), 2)
        }
        None => (hits.first().and_then(|r| r.n).unwrap_or(0), 1),
    };
    let (total, total_exact) = compiled.total(n);
    let mut permissions = if reseller { super::grants::read_permissions(decode(next)?)? } else { Vec::new() };
    let mut authorizations = Vec::new();
    let mut rows = Vec::with_capacity(hits.len());
    for mut r in hits {
        if let Some(rows) = r.authorizations.take() {
            authorizations.extend(super::grants::authorizations_in_row(&rows)?);
        }
        if let Some(rows) = r.permissions.take() {
            permissions.extend(super::grants::permissions_in_row(&rows)?);
        }
        let k = r.k.take().unwrap_or(serde_json::Value::Null);
        rows.push((convert(r)?, k));
    }
    // In grant order, as one statement read them before (general and per-customer alike).
    permissions.sort_by(|a, b| (a.granted_at, a.id.as_str()).cmp(&(b.granted_at, b.id.as_str())));
    Ok(ListPage { rows, total, total_exact, permissions, authorizations })
}

/// Sets the budget, only while the usage is still at most the new amount (or `below` was
/// confirmed): a concurrent order that used more makes this change nothing (the route says why).
/// Lifts an automatic freeze when `unfreeze`.
pub fn set_budget(
    db: &Db,
    customer: &CustomerId,
    b: &Budget,
    below: bool,
    unfreeze: bool,
) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "UPDATE customers SET budget_type = ?2, budget_amount_minor = ?3, budget_used_minor = coalesce(budget_used_minor, 0),
           budget_auto_freeze = ?4,
           frozen = CASE WHEN ?6 AND auto_frozen = 1 THEN 0 ELSE frozen END,
           frozen_reason = CASE WHEN ?6 AND auto_frozen = 1 THEN NULL ELSE frozen_reason END,
           auto_frozen = CASE WHEN ?6 THEN 0 ELSE auto_frozen END
         WHERE id = ?1 AND (?5 OR coalesce(budget_used_minor, 0) <= ?3)",
        args![customer.as_str(), b.budget_type.as_str(), b.amount.minor, b.auto_freeze, below, unfreeze],
    )
}

/// Assigns (or with `None` unassigns) the account manager, marked as set here (the directory sync
/// keeps it over Huawei's); the search columns follow.
pub fn set_manager(db: &Db, customer: &CustomerId, name: Option<&str>) -> Result<D1PreparedStatement, ApiError> {
    let fold = name.map(crate::customers::query::fold);
    stmt(
        db,
        "UPDATE customers SET account_manager = ?2, manager_fold = ?3, manager_set_here = 1 WHERE id = ?1",
        args![customer.as_str(), name, fold],
    )
}

/// Freezes a customer that is not frozen (a frozen one is left as it is).
pub fn freeze(db: &Db, customer: &CustomerId, reason: &str) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "UPDATE customers SET frozen = 1, frozen_reason = ?2 WHERE id = ?1 AND frozen = 0",
        args![customer.as_str(), reason],
    )
}

/// Unfreezes a frozen customer, unless it was frozen automatically and its budget is still used up
/// with auto-freeze on (held by the write: a concurrent order cannot slip between).
pub fn unfreeze(db: &Db, customer: &CustomerId) -> Result<D1PreparedStatement, ApiError> {
    stmt(
        db,
        "UPDATE customers SET frozen = 0, auto_frozen = 0, frozen_reason = NULL
         WHERE id = ?1 AND frozen = 1
           AND NOT (auto_frozen = 1 AND budget_auto_freeze = 1 AND coalesce(budget_used_minor, 0) >= coalesce(budget_amount_minor, 0))",
        args![customer.as_str()],
    )
}

/// Adds a tag to a customer (an existing one is kept; the search columns follow by trigger).
pub fn add_tag(db: &Db, customer: &CustomerId, tag: &str) -> Result<D1PreparedStatement, ApiError> {
    stmt(db, "INSERT OR IGNORE INTO customer_tags (customer_id, tag) VALUES (?1, ?2)", args![customer.as_str(), tag])
}

/// Removes a tag from a customer (an absent one changes nothing).
pub fn remove_tag(db: &Db, customer: &CustomerId, tag: &str) -> Result<D1PreparedStatement, ApiError> {
    stmt(db, "DELETE FROM customer_tags WHERE customer_id = ?1 AND tag = ?2", args![customer.as_str(), tag])
}
