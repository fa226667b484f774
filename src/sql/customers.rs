//! The customer query compiled to SQL: the second executor of [`crate::customers::query`]. Every
//! value is a bound parameter; a query uses at most ~40 of D1's 100.

use super::{Params, SqlValue};
use crate::customers::query::{AuthFilter, CustomerQuery, SortKey, SortValue};
use crate::grants::CONSENT_LINK_TTL;
use crate::partners::{Ability, Actor, PartnerKind};
use crate::time::Timestamp;

/// A page query and the matching count query.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// Selects one row with one column, `page`: a JSON array of the page's rows in order, `limit + 1`
    /// of them (one more tells if a next page exists), each an array of [`Self::page_fields`].
    pub page_sql: String,
    /// The fields of a page row: the sort value `k`, the total `n` when the page counts it, the full
    /// row ([`ROW_FIELDS`]) and its grants (`authorizations`, and `permissions` for a reseller: arrays
    /// of rows in [`AUTHORIZATION_COLUMNS`](super::AUTHORIZATION_COLUMNS) and
    /// [`PERMISSION_COLUMNS`](super::PERMISSION_COLUMNS) order).
    pub page_fields: Vec<&'static str>,
    pub page_params: Vec<SqlValue>,
    /// The count statement; `None` when the page's rows carry the total in column `n` (see
    /// [`compile_tuned`]: a first page whose plan reads every match anyway).
    pub count_sql: Option<String>,
    pub count_params: Vec<SqlValue>,
    /// `Some(cap)` when the count stops at `cap + 1` matches: a count above `cap` means "more than
    /// `cap`" ([`Compiled::total`]). `None`: the count is exact (no filter, or tags only).
    pub count_cap: Option<i64>,
}

/// The two thresholds that keep a page's cost independent of how many customers match.
#[derive(Debug, Clone, Copy)]
pub struct Tuning {
    /// A two-character name search with at least this many matches (in the whole database) walks
    /// the sort key's index and tests each customer against the matches; with fewer, it reads the
    /// matches and sorts them.
    pub walk_from: i64,
    /// A filtered count stops after this many customers (+1); the total is then "more than" it.
    pub count_cap: i64,
}

/// What the worker uses: measured at 100k customers (`make bench`, docs/scale.md).
pub const TUNING: Tuning = Tuning { walk_from: 1000, count_cap: 1000 };

/// The sort expression (never NULL: absent values are the smallest of their kind, as in Rust).
fn sort_expr(key: SortKey) -> &'static str {
    match key {
        SortKey::AssociatedOn => "c.associated_on",
        SortKey::MtdSpend => "c.mtd_spend_minor",
        SortKey::EarliestExpiry => "COALESCE(c.earliest_expiry, '')",
        SortKey::BudgetUsage => "COALESCE(c.usage_pct, -1)",
        SortKey::AccountManager => "COALESCE(c.account_manager, '')",
        SortKey::CustomerId => "c.id",
    }
}

/// `capabilities` (stored as `order,om`) includes `order`.
const HAS_ORDER: &str = "(',' || capabilities || ',') LIKE '%,order,%'";

/// An active authorization of the actor's partner for `c`, optionally with order placement.
fn active_auth(ps: &mut Params, actor: &Actor, now: Timestamp, with_order: bool) -> String {
    let partner = ps.text(actor.partner_id.as_str());
    let now = ps.text(now.to_string());
    let order = if with_order { format!(" AND {HAS_ORDER}") } else { String::new() };
    // IN (uncorrelated) rather than EXISTS: the planner can start from the partner's few grants.
    format!("c.id IN (SELECT a.customer_id FROM authorizations a WHERE a.partner_id = {partner} AND a.status = 'approved' AND (a.expires_at IS NULL OR a.expires_at > {now}){order})")
}

/// The prerequisite check as a SQL predicate (within the actor's visible customers, so the
/// association check always passes). Mirrors `prerequisites::check`; the equivalence property test
/// holds the two together.
fn can_order(ps: &mut Params, actor: &Actor, now: Timestamp) -> String {
    if !actor.role.may(Ability::PlaceOrder) {
        return "0".into();
    }
    let mut parts = vec![
        "c.association_type = '3'".to_string(),
        "c.gone_at IS NULL".to_string(),
        "c.frozen = 0 AND c.auto_frozen = 0".to_string(),
        "c.verified_status = 2".to_string(),
        "(c.usage_pct IS NULL OR c.usage_pct < 100)".to_string(),
        active_auth(ps, actor, now, true),
    ];
    if actor.needs_distributor_permission() {
        let dist = match &actor.distributor_id {
            Some(d) => ps.text(d.as_str()),
            None => return "0".into(),
        };
        let me = ps.text(actor.partner_id.as_str());
        let now = ps.text(now.to_string());
        parts.push(format!(
            "EXISTS (SELECT 1 FROM distributor_permissions g WHERE g.distributor_id = {dist} AND g.reseller_id = {me} \
             AND (g.customer_id IS NULL OR g.customer_id = c.id) AND (g.revoked_at IS NULL OR g.revoked_at > {now}) \
             AND (g.valid_until IS NULL OR g.valid_until > {now}) AND {HAS_ORDER})"
        ));
    }
    format!("({})", parts.join(" AND "))
}

/// "contains" on a folded column: the trigram index for 3+ characters, the bigram index for two
/// letters/digits/ideographs, `instr` otherwise. All are exact substring tests.
/// The name searches of a WHERE clause, as the page's plan needs them.
#[derive(Default)]
struct Searches {
    /// The first two-character search's subquery (the page's guard counts its matches).
    bigrams: Option<String>,
    /// Whether a 3+ character search (trigram index) drives the plan.
    trigrams: bool,
}

/// With `walk`, a two-character search is written so that the planner cannot start from its matches
/// (`+c.rowid`).
fn contains(ps: &mut Params, column: &str, needle: &str, tags: &[String], walk: bool, found: &mut Searches) -> String {
    let chars: Vec<char> = needle.chars().collect();
    if chars.len() >= 3 {
        // The trigram index (migration 0023: no positions, so no phrases) finds the customers whose
        // column holds a few of the needle's trigrams, with tags the `|tag|` text holding a few of
        // each tag's (migration 0015); `instr` then keeps exactly those that contain the needle and
        // carry a tag. Fewer, disjoint trigrams read fewer of the index's lists (`make bench`).
        let with_tags = if tags.is_empty() {
            String::new()
        } else {
            let any: Vec<String> =
                tags.iter().map(|t| format!("tag_text : ({})", trigram_match(&format!("|{t}|")))).collect();
            format!(" AND ({})", any.join(" OR "))
        };
        let query = ps.text(format!("{column} : ({}){with_tags}", trigram_match(needle)));
        let exact = ps.text(needle);
        let tagged = if tags.is_empty() {
            String::new()
        } else {
            let any: Vec<String> =
                tags.iter().map(|t| format!("instr(c.tag_text, {}) > 0", ps.text(format!("|{t}|")))).collect();
            format!(" AND ({})", any.join(" OR "))
        };
        found.trigrams = true;
        format!(
            "c.rowid IN (SELECT rowid FROM customer_search WHERE customer_search MATCH {query}) AND instr(c.{column}, {exact}) > 0{tagged}"
        )
    } else if chars.len() == 2 && chars.iter().all(|c| crate::customers::query::bigram_char(*c)) {
        let token = ps.text(bigram_match(column, needle));
        let matches = format!("SELECT rowid FROM customer_bigrams WHERE customer_bigrams MATCH {token}");
        let test = format!("{}c.rowid IN ({matches})", if walk { "+" } else { "" });
        found.bigrams.get_or_insert(matches);
        test
    } else {
        let n = ps.text(needle);
        format!("instr(c.{column}, {n}) > 0")
    }
}

/// An FTS5 query (trigram tokenizer) matching every text that contains `s` (3+ characters), and
/// some that do not: the trigrams at 0, 3, 6, … and the last one, each a quoted token, all required.
fn trigram_match(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let last = chars.len().saturating_sub(3);
    let mut starts: Vec<usize> = (0..=last).step_by(3).collect();
    if starts.last() != Some(&last) {
        starts.push(last);
    }
    let tokens: Vec<String> = starts
        .iter()
        .map(|&i| format!("\"{}\"", chars[i..i + 3].iter().collect::<String>().replace('"', "\"\"")))
        .collect();
    tokens.join(" AND ")
}

/// The bigram index's query for a two-character search of the folded column `column` (its bigrams
/// are indexed under `<name>_bigrams`): one token, the needle itself.
fn bigram_match(column: &str, needle: &str) -> String {
    format!("{} : \"{needle}\"", column.replace("_fold", "_bigrams"))
}

/// The actor's scope on a partner-id column: a distributor's as a list of partners, so that the
/// count and the page can walk `(partner_id, ...)` indexes instead of joining every row to its partner.
/// With `reseller_id`, one of them.
fn scope(ps: &mut Params, actor: &Actor, reseller: Option<&crate::ids::PartnerId>, col: &str) -> String {
    let me = ps.text(actor.partner_id.as_str());
    let mut s = if actor.partner_kind == PartnerKind::Distributor {
        format!("{col} IN (SELECT id FROM partners WHERE id = {me} OR distributor_id = {me})")
    } else {
        format!("{col} = {me}")
    };
    if let Some(r) = reseller {
        let v = ps.text(r.as_str());
        s = format!("{s} AND {col} = {v}");
    }
    s
}

/// True when the query filters on nothing but tags and the reseller (any sort): such queries are
/// answered from `customer_tags` and `customer_counts` alone (migration 0010).
fn only_tags(q: &CustomerQuery) -> bool {
    let rest = CustomerQuery {
        tags: Vec::new(),
        reseller_id: None,
        sort: None,
        descending: false,
        limit: 0,
        cursor: None,
        filter_key: String::new(),
        ..q.clone()
    };
    rest == CustomerQuery::default()
}

/// The WHERE clause shared by the page and the count, and the subquery of its first two-character
/// name search (if any). `walk`: see [`contains`].
fn where_clause(
    ps: &mut Params,
    q: &CustomerQuery,
    actor: &Actor,
    now: Timestamp,
    scope_col: &str,
    walk: bool,
) -> (String, Searches) {
    let mut found = Searches::default();
    let mut w = vec![scope(ps, actor, None, scope_col)];
    let flag = |b: bool| if b { 1 } else { 0 };
    if let Some(x) = q.auto_frozen {
        // auto_frozen implies frozen (a CHECK constraint); saying so lets (partner_id, frozen, auto_frozen) serve the filter.
        w.push(if x { "c.frozen = 1 AND c.auto_frozen = 1".to_string() } else { "c.auto_frozen = 0".to_string() });
    }
    if let Some(x) = q.frozen {
        // Stored `frozen` is set whenever `auto_frozen` is (a CHECK constraint), as in the core.
        w.push(format!("c.frozen = {}", flag(x)));
    }
    if let Some(t) = q.association_type {
        let v = ps.text(t.as_str());
        w.push(format!("c.association_type = {v}"));
    }
    for (col, from, to) in
        [("c.associated_on", q.associated_from, q.associated_to), ("c.earliest_expiry", q.expiry_from, q.expiry_to)]
    {
        if let Some(f) = from {
            let v = ps.text(f.to_string());
            w.push(format!("{col} >= {v}"));
        }
        if let Some(t) = to {
            let v = ps.text(t.to_string());
            w.push(format!("{col} <= {v}"));
        }
    }
    // Tags go into the first 3+ character name search when they can be written as exact phrases.
    let tags_in_search = !q.tags.is_empty()
        && q.tags.iter().all(|t| !t.contains(['|', '"']))
        && [&q.customer_name, &q.account_name].iter().any(|n| n.as_ref().is_some_and(|n| n.chars().count() >= 3));
    let mut tags_pending = tags_in_search;
    for (col, needle) in [("real_fold", &q.customer_name), ("account_fold", &q.account_name)] {
        if let Some(n) = needle {
            let here = tags_pending && n.chars().count() >= 3;
            tags_pending &= !here;
            w.push(contains(ps, col, n, if here { &q.tags } else { &[] }, walk, &mut found));
        }
    }
    if let Some(n) = &q.account_manager {
        // Few distinct managers: match their names, then use the index for exactly those.
        let v = ps.text(n.as_str());
        w.push(format!("c.manager_fold IN (SELECT name_fold FROM account_managers WHERE instr(name_fold, {v}) > 0)"));
    }
    if let Some(id) = &q.customer_id {
        let v = ps.text(id.as_str());
        w.push(format!("c.id = {v}"));
    }
    if let Some(x) = q.spend_min {
        let v = ps.int(x);
        w.push(format!("c.mtd_spend_minor >= {v}"));
    }
    if let Some(x) = q.spend_max {
        let v = ps.int(x);
        w.push(format!("c.mtd_spend_minor <= {v}"));
    }
    if !q.mobile_keys.is_empty() {
        let keys: Vec<String> = q.mobile_keys.iter().map(|k| ps.text(k.as_str())).collect();
        let list = keys.join(", ");
        w.push(format!("(c.mobile_key IN ({list}) OR c.mobile_full_key IN ({list}))"));
    }
    if let Some(x) = q.usage_min {
        let v = ps.int(x);
        w.push(format!("c.usage_pct >= {v}"));
    }
    if let Some(x) = q.usage_max {
        let v = ps.int(x);
        w.push(format!("c.usage_pct <= {v}"));
    }
    if !q.tags.is_empty() && !tags_in_search {
        let tags: Vec<String> = q.tags.iter().map(|t| ps.text(t.as_str())).collect();
        w.push(format!("c.id IN (SELECT t.customer_id FROM customer_tags t WHERE t.tag IN ({}))", tags.join(", ")));
    }
    if let Some(x) = q.can_order {
        let pred = can_order(ps, actor, now);
        w.push(if x { pred } else { format!("NOT {pred}") });
    }
    let pending = |ps: &mut Params| {
        let partner = ps.text(actor.partner_id.as_str());
        let lapse = ps.text(now.plus(-CONSENT_LINK_TTL).to_string());
        format!("c.id IN (SELECT a.customer_id FROM authorizations a WHERE a.partner_id = {partner} AND a.status = 'pending' AND a.requested_at > {lapse})")
    };
    match q.authorization {
        Some(AuthFilter::Active) => w.push(active_auth(ps, actor, now, false)),
        Some(AuthFilter::Pending) => {
            let active = active_auth(ps, actor, now, false);
            w.push(format!("(NOT {active} AND {})", pending(ps)));
        }
        Some(AuthFilter::None) => {
            let active = active_auth(ps, actor, now, false);
            w.push(format!("(NOT {active} AND NOT {})", pending(ps)));
        }
        None => {}
    }
    if let Some(t) = q.authorization_expiring_before {
        let partner = ps.text(actor.partner_id.as_str());
        let now = ps.text(now.to_string());
        let before = ps.text(t.to_string());
        w.push(format!(
            "(SELECT max(a.expires_at) FROM authorizations a WHERE a.customer_id = c.id AND a.partner_id = {partner} AND a.status = 'approved' AND a.expires_at > {now}) < {before}"
        ));
    }
    if let Some(r) = &q.reseller_id {
        let v = ps.text(r.as_str());
        w.push(format!("c.partner_id = {v}"));
    }
    (w.join(" AND "), found)
}

/// The FTS5 query (a bound parameter) that finds exactly the customers of a query made of one
/// two-character name search (and the reseller, any sort) within the actor's scope, from the bigram
/// index's scope tokens alone (migration 0024: `p<partner id>`, `d<distributor id>`): `None` for any
/// other query.
fn scoped_bigram_search(ps: &mut Params, q: &CustomerQuery, actor: &Actor) -> Option<String> {
    let (column, needle) = match (&q.customer_name, &q.account_name) {
        (Some(n), None) => ("real_fold", n),
        (None, Some(n)) => ("account_fold", n),
        _ => return None,
    };
    let chars: Vec<char> = needle.chars().collect();
    if chars.len() != 2 || !chars.iter().all(|c| crate::customers::query::bigram_char(*c)) {
        return None;
    }
    let rest = CustomerQuery { customer_name: None, account_name: None, ..q.clone() };
    if !(only_tags(&rest) && rest.tags.is_empty()) {
        return None;
    }
    let me = actor.partner_id.as_str();
    let mut query = format!("{} AND scope : ", bigram_match(column, needle));
    query.push_str(&match actor.partner_kind {
        PartnerKind::Distributor => format!("(\"p{me}\" OR \"d{me}\")"),
        _ => format!("\"p{me}\""),
    });
    if let Some(r) = &q.reseller_id {
        query.push_str(&format!(" AND scope : \"p{}\"", r.as_str()));
    }
    Some(ps.text(query))
}

/// The total of a query without filters (a sum of per-partner counts) or with tags only (distinct
/// customers in the tag index, scope included): `None` for every other query.
fn fast_count(q: &CustomerQuery, actor: &Actor) -> Option<(String, Vec<SqlValue>)> {
    if !only_tags(q) {
        return None;
    }
    let mut ps = Params::default();
    let sql = if q.tags.is_empty() {
        let s = scope(&mut ps, actor, q.reseller_id.as_ref(), "k.partner_id");
        format!("SELECT coalesce(sum(k.n), 0) AS n FROM customer_counts k WHERE {s}")
    } else {
        let tags: Vec<String> = q.tags.iter().map(|t| ps.text(t.as_str())).collect();
        let s = scope(&mut ps, actor, q.reseller_id.as_ref(), "t.partner_id");
        format!(
            "SELECT count(DISTINCT t.customer_id) AS n FROM customer_tags t WHERE t.tag IN ({}) AND {s}",
            tags.join(", ")
        )
    };
    Some((sql, ps.0))
}

/// The fields of a full customer row (with its reseller's distributor and its tags) and their SQL,
/// for `FROM customers c JOIN partners p ON p.id = c.partner_id`: exactly what the worker's row
/// reads, not `c.*` (the search columns, folded names, bigrams and mobile hashes are a third of a
/// row's bytes).
const ROW_FIELDS: [(&str, &str); 27] = [
    ("id", "c.id"),
    ("partner_id", "c.partner_id"),
    ("association_type", "c.association_type"),
    ("associated_on", "c.associated_on"),
    ("account_name", "c.account_name"),
    ("real_name", "c.real_name"),
    ("mobile_country_code", "c.mobile_country_code"),
    ("mobile", "c.mobile"),
    ("email", "c.email"),
    ("account_manager", "c.account_manager"),
    ("verified_status", "c.verified_status"),
    ("customer_type", "c.customer_type"),
    ("level", "c.level"),
    ("frozen", "c.frozen"),
    ("auto_frozen", "c.auto_frozen"),
    ("frozen_reason", "c.frozen_reason"),
    ("currency", "c.currency"),
    ("budget_type", "c.budget_type"),
    ("budget_amount_minor", "c.budget_amount_minor"),
    ("budget_used_minor", "c.budget_used_minor"),
    ("budget_auto_freeze", "c.budget_auto_freeze"),
    ("mtd_spend_minor", "c.mtd_spend_minor"),
    ("earliest_expiry", "c.earliest_expiry"),
    ("manager_set_here", "c.manager_set_here"),
    ("gone_at", "c.gone_at"),
    ("partner_distributor_id", "p.distributor_id"),
    (
        "tags",
        "(SELECT group_concat(tag, char(31)) FROM (SELECT tag FROM customer_tags t WHERE t.customer_id = c.id ORDER BY tag))",
    ),
];

/// The columns of a full customer row ([`ROW_FIELDS`]), each named as its field.
pub fn row_columns() -> String {
    let cols: Vec<String> = ROW_FIELDS.iter().map(|(name, sql)| format!("{sql} AS {name}")).collect();
    cols.join(", ")
}

/// Compiles `q` for `actor` at `now`, with the worker's [`TUNING`].
pub fn compile(q: &CustomerQuery, actor: &Actor, now: Timestamp) -> Compiled {
    compile_tuned(q, actor, now, TUNING)
}

/// Compiles `q` for `actor` at `now` with thresholds `t` (the tests set them to force each plan).
pub fn compile_tuned(q: &CustomerQuery, actor: &Actor, now: Timestamp, t: Tuning) -> Compiled {
    let mut in_page = false;
    let mut ps = Params::default();
    let key = q.sort.unwrap_or(SortKey::AssociatedOn);
    let dir = if q.descending { "DESC" } else { "ASC" };
    // The cursor's condition on (sort key, id) and the page size (one more row tells if a next page exists).
    let after = |ps: &mut Params, k: &str, id_col: &str| match &q.cursor {
        Some(c) => {
            let v = match &c.value {
                SortValue::Int(n) => ps.int(*n),
                SortValue::Text(s) => ps.text(s.as_str()),
            };
            let id = ps.text(c.id.as_str());
            let op = if q.descending { "<" } else { ">" };
            format!(" AND ({k} {op} {v} OR ({k} = {v} AND {id_col} {op} {id}))")
        }
        None => String::new(),
    };
    let limit = |ps: &mut Params| ps.int(q.limit.clamp(1, crate::customers::query::MAX_LIMIT) + 1);

    // Tags only, in association order: walk the tag index (scope and sort key are copied there), so
    // a common tag stops after one page and a rare one reads only its own rows.
    let by_tag = key == SortKey::AssociatedOn && !q.tags.is_empty() && only_tags(q);
    let inner = if by_tag {
        let tags: Vec<String> = q.tags.iter().map(|t| ps.text(t.as_str())).collect();
        let s = scope(&mut ps, actor, q.reseller_id.as_ref(), "t.partner_id");
        let cur = after(&mut ps, "t.associated_on", "t.customer_id");
        let limit = limit(&mut ps);
        format!(
            "SELECT DISTINCT t.customer_id AS id, t.associated_on AS k FROM customer_tags t WHERE t.tag IN ({}) AND {s}{cur} \
             ORDER BY k {dir}, id {dir} LIMIT {limit}",
            tags.join(", ")
        )
    } else {
        let k = sort_expr(key);
        // Without filters, a distributor's page walks the sort key's own index and stops after one
        // page; workerd's SQLite otherwise reads every customer of each partner in scope and sorts
        // them (EXPLAIN QUERY PLAN through `wrangler d1 execute`). `+` keeps the scope off the index.
        let distributor = actor.partner_kind == PartnerKind::Distributor;
        let unfiltered = only_tags(q) && q.tags.is_empty() && q.reseller_id.is_none() && distributor;
        let mark = ps.0.len();
        let (w, found) =
            where_clause(&mut ps, q, actor, now, if unfiltered { "+c.partner_id" } else { "c.partner_id" }, false);
        let arm = |w: &str, cur: &str, limit: &str| {
            format!("SELECT c.id AS id, {k} AS k FROM customers c WHERE {w}{cur} ORDER BY k {dir}, c.id {dir} LIMIT {limit}")
        };
        match found.bigrams {
            None if found.trigrams && q.cursor.is_none() => {
                // A 3+ character search drives the plan: its matches are read and sorted whatever
                // the page, so the first page counts them in the same pass (a window count); the
                // separate count would evaluate the search a second time (a common word and a
                // common tag: ~8 ms of FTS5 each at 100k customers).
                in_page = true;
                let limit = limit(&mut ps);
                format!(
                    "SELECT c.id AS id, {k} AS k, count(*) OVER () AS n FROM customers c WHERE {w} \
                     ORDER BY k {dir}, c.id {dir} LIMIT {limit}"
                )
            }
            None => {
                let cur = after(&mut ps, k, "c.id");
                let limit = limit(&mut ps);
                arm(&w, &cur, &limit)
            }
            Some(matches) => {
                // A two-character search (CJK names: one bigram can match thousands) has two plans,
                // and the statement picks one by counting the search's matches up to `walk_from`
                // (once: a materialized CTE). Few: read the matches, sort them. Many: walk the sort
                // key's index (the scope kept off indexes for a distributor, as above) and stop after
                // a page. The plan not chosen gets LIMIT 0, which SQLite checks before its loop (a
                // false guard in WHERE is not: workerd's SQLite walked the whole index for it). Both
                // are written with the same parameters (the clause is compiled twice from one mark).
                let bound = ps.0.clone();
                ps.0.truncate(mark);
                let scope_col = if distributor { "+c.partner_id" } else { "c.partner_id" };
                let (walk, _) = where_clause(&mut ps, q, actor, now, scope_col, true);
                debug_assert_eq!(ps.0, bound, "the walk clause binds the same parameters");
                let cur = after(&mut ps, k, "c.id");
                let limit = limit(&mut ps);
                let n = t.walk_from;
                format!(
                    "WITH g(n) AS MATERIALIZED (SELECT count(*) FROM ({matches} LIMIT {n})) \
                     SELECT id, k FROM ({}) UNION ALL SELECT id, k FROM ({})",
                    arm(&w, &cur, &format!("(SELECT CASE WHEN n < {n} THEN {limit} ELSE 0 END FROM g)")),
                    arm(&walk, &cur, &format!("(SELECT CASE WHEN n >= {n} THEN {limit} ELSE 0 END FROM g)")),
                )
            }
        }
    };
    // Sort only (id, key) in the inner query; fetch full rows (and tags) for the page alone, each
    // with the grants that decide whether it can be ordered for: the actor's partner's
    // authorizations and, for a reseller, the permissions naming the customer (those for all of a
    // reseller's customers are read once, apart). Read here, the search runs once per page, not
    // once more for each kind of grant.
    let partner = ps.text(actor.partner_id.as_str());
    let auths = super::json_rows(
        super::AUTHORIZATION_COLUMNS,
        "a",
        &format!("authorizations a WHERE a.customer_id = c.id AND a.partner_id = {partner}"),
    );
    let perms = actor.needs_distributor_permission().then(|| {
        super::json_rows(
            super::PERMISSION_COLUMNS,
            "g",
            &format!("distributor_permissions g WHERE g.reseller_id = {partner} AND g.customer_id = c.id"),
        )
    });
    // The page is one value, a JSON array of rows (each an array in `page_fields` order): D1 hands
    // over one string instead of an object per row, and the worker parses it once.
    let mut page_fields: Vec<&'static str> = vec!["k"];
    let mut values: Vec<String> = vec!["pg.k".into()];
    if in_page {
        page_fields.push("n");
        values.push("pg.n".into());
    }
    for (name, sql) in ROW_FIELDS {
        page_fields.push(name);
        values.push(sql.into());
    }
    page_fields.push("authorizations");
    values.push(auths);
    if let Some(perms) = perms {
        page_fields.push("permissions");
        values.push(perms);
    }
    let page_sql = format!(
        "SELECT json_group_array(json_array({}) ORDER BY pg.k {dir}, pg.id {dir}) AS page FROM ({inner}) pg \
         JOIN customers c ON c.id = pg.id JOIN partners p ON p.id = c.partner_id",
        values.join(", ")
    );
    let (count_sql, count_params, count_cap) = match fast_count(q, actor) {
        _ if in_page => (None, Vec::new(), None),
        Some((sql, params)) => (Some(sql), params, None),
        None => {
            // Stops after `count_cap + 1` customers: a filter matching tens of thousands costs what
            // one matching a thousand does, and the total says "more than 1,000".
            let mut cps = Params::default();
            let count = match scoped_bigram_search(&mut cps, q, actor) {
                // The bigram index holds each customer's scope (migration 0024): no row is read.
                Some(query) => {
                    let cap = cps.int(t.count_cap + 1);
                    format!(
                        "SELECT count(*) AS n FROM (SELECT 1 FROM customer_bigrams WHERE customer_bigrams MATCH {query} LIMIT {cap})"
                    )
                }
                None => {
                    let (cw, _) = where_clause(&mut cps, q, actor, now, "c.partner_id", false);
                    let cap = cps.int(t.count_cap + 1);
                    format!("SELECT count(*) AS n FROM (SELECT 1 FROM customers c WHERE {cw} LIMIT {cap})")
                }
            };
            (Some(count), cps.0, Some(t.count_cap))
        }
    };

    Compiled { page_sql, page_fields, page_params: ps.0, count_sql, count_params, count_cap }
}

impl Compiled {
    /// The total from the count statement's `n`, and whether it is exact (else: more than it).
    pub fn total(&self, n: i64) -> (i64, bool) {
        match self.count_cap {
            Some(cap) if n > cap => (cap, false),
            _ => (n, true),
        }
    }
}

/// The columns a customer row is written with, in [`row_values`] order.
pub const INSERT_COLUMNS: &str = "id, partner_id, association_type, associated_on, account_name, real_name, mobile_country_code, mobile, email, \
    account_manager, verified_status, customer_type, level, frozen, auto_frozen, frozen_reason, currency, budget_type, budget_amount_minor, \
    budget_used_minor, budget_auto_freeze, mtd_spend_minor, earliest_expiry, created_at, real_fold, account_fold, manager_fold, mobile_key, mobile_full_key, \
    real_bigrams, account_bigrams, gone_at";

/// The values of a customer row, including the derived search columns (folded names, mobile keys).
pub fn row_values(c: &crate::customers::Customer, created_at: Timestamp) -> Vec<SqlValue> {
    use crate::customers::query::{bigrams, fold, mobile_keys};
    let t = |s: &str| SqlValue::Text(s.to_string());
    let ot = |s: Option<String>| s.map_or(SqlValue::Null, SqlValue::Text);
    let f = &c.facts;
    let b = f.budget.as_ref();
    let (mk, mfk) = mobile_keys(&c.mobile_country_code, &c.mobile);
    vec![
        t(f.id.as_str()),
        t(f.partner_id.as_str()),
        t(f.association_type.as_str()),
        t(&c.associated_on.to_string()),
        t(&c.account_name),
        t(&c.real_name),
        t(&c.mobile_country_code),
        t(&c.mobile),
        t(&c.email),
        ot(c.account_manager.clone()),
        SqlValue::Int(f.verified_status.0),
        SqlValue::Int(c.customer_type),
        t(&c.level),
        SqlValue::Int(f.frozen as i64),
        SqlValue::Int(f.auto_frozen as i64),
        ot(c.frozen_reason.clone()),
        t(c.month_to_date_spend.currency.as_str()),
        ot(b.map(|b| b.budget_type.as_str().to_string())),
        b.map_or(SqlValue::Null, |b| SqlValue::Int(b.amount.minor)),
        b.map_or(SqlValue::Null, |b| SqlValue::Int(b.used.minor)),
        SqlValue::Int(b.is_some_and(|b| b.auto_freeze) as i64),
        SqlValue::Int(c.month_to_date_spend.minor),
        ot(c.earliest_expiry.map(|e| e.to_string())),
        t(&created_at.to_string()),
        t(&fold(&c.real_name)),
        t(&fold(&c.account_name)),
        ot(c.account_manager.as_deref().map(fold)),
        SqlValue::Text(mk),
        SqlValue::Text(mfk),
        t(&bigrams(&fold(&c.real_name))),
        t(&bigrams(&fold(&c.account_name))),
        ot(f.gone_since.map(|g| g.to_string())),
    ]
}

/// A value as an SQL literal, for SQL files (`wrangler d1 execute --file`): text quoted with `''`.
pub fn literal(v: &SqlValue) -> String {
    match v {
        SqlValue::Null => "NULL".into(),
        SqlValue::Int(n) => n.to_string(),
        SqlValue::Text(s) => format!("'{}'", s.replace('\'', "''")),
    }
}

#[cfg(test)]
mod tests;
