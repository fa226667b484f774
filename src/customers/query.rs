//! Customer Management's query: the 12 filters, "can order now", authorization state, reseller,
//! sorting and keyset paging. One definition with two executors: [`execute`] here (in memory, for
//! the browser module and as the reference), and the SQL compiler in `crate::sql::customers` (D1).
//! A property test checks that both return the same ids in the same order.

use super::{AssociationType, Budget, Customer};
use crate::decode::Decoder;
use crate::error::{ApiError, Code, Path, PathSeg};
use crate::grants::{CustomerAuthorization, GrantState};
use crate::ids::{hex, CustomerId, PartnerId};
use crate::time::Timestamp;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Largest page.
pub const MAX_LIMIT: i64 = 100;
/// Default page size.
pub const DEFAULT_LIMIT: i64 = 20;
/// Most tags in one query.
pub const MAX_TAGS: usize = 10;

/// Folds text for case-insensitive "contains" search. Stored next to the clear value so that SQL and
/// Rust compare the very same strings. Lowercases the scripts names are written in here (ASCII, Latin-1,
/// Latin Extended-A, modern Greek, basic Cyrillic; CJK has no case) by arithmetic rather than with the full Unicode
/// tables, which would add about 15 KB to the browser module; a host test holds it equal to
/// `char::to_lowercase` over those blocks.
pub fn fold(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// One character of [`fold`].
pub fn fold_char(c: char) -> char {
    let n = c as u32;
    let lower = match n {
        0x41..=0x5A => n + 32,
        0xC0..=0xDE if n != 0xD7 => n + 32,
        // Latin Extended-A: upper/lower pairs, even then odd, except 0x0138-0x0148 and 0x0179-0x017E
        // (odd then even), and Ÿ.
        0x0100..=0x012F | 0x0132..=0x0137 | 0x014A..=0x0177 if n.is_multiple_of(2) => n + 1,
        0x0139..=0x0148 | 0x0179..=0x017E if n % 2 == 1 => n + 1,
        0x0178 => 0xFF,
        // Greek.
        0x0386 => 0x03AC,
        0x0388..=0x038A => n + 37,
        0x038C => 0x03CC,
        0x038E..=0x038F => n + 63,
        0x0391..=0x03A1 | 0x03A3..=0x03AB => n + 32,
        // Cyrillic.
        0x0400..=0x040F => n + 80,
        0x0410..=0x042F => n + 32,
        _ => n,
    };
    char::from_u32(lower).unwrap_or(c)
}

/// Characters that the SQL bigram index tokenizes as they are: ASCII letters and digits, and CJK
/// ideographs. A two-character needle of these is answered by the index; anything else by a scan.
pub fn bigram_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// Every pair of adjacent [`bigram_char`]s of folded text, space-separated: the stored tokens of the
/// two-character name index (`"acme 科技"` → `"ac cm me 科技"`).
pub fn bigrams(folded: &str) -> String {
    let chars: Vec<char> = folded.chars().collect();
    let mut out: Vec<String> =
        chars.windows(2).filter(|w| bigram_char(w[0]) && bigram_char(w[1])).map(|w| w.iter().collect()).collect();
    out.dedup();
    out.join(" ")
}

/// The digits of a mobile number (spaces, dashes, `+` and brackets dropped).
pub fn mobile_digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// The stored, non-reversible key of a full mobile number for exact search: hex SHA-256 of
/// `mobile:<digits>`. A customer has two: national number, and country code (without leading
/// zeros) + national number, so a search matches with or without the country code.
pub fn mobile_key(digits: &str) -> String {
    hex(&Sha256::digest(format!("mobile:{digits}").as_bytes()))
}

/// The two search keys of a customer's mobile: national, and with the country code.
pub fn mobile_keys(country_code: &str, mobile: &str) -> (String, String) {
    let national = mobile_digits(mobile);
    let cc = mobile_digits(country_code).trim_start_matches('0').to_string();
    (mobile_key(&national), mobile_key(&format!("{cc}{national}")))
}

/// The customer's authorization state for the querying partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthFilter {
    /// Neither active nor pending.
    None,
    /// A request awaits the customer.
    Pending,
    /// An authorization is in force.
    Active,
}

impl AuthFilter {
    /// Wire names.
    pub const NAMES: &'static [&'static str] = &["none", "pending", "active"];
    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "none" => Some(Self::None),
            "pending" => Some(Self::Pending),
            "active" => Some(Self::Active),
            _ => None,
        }
    }
}

/// Columns a list can be sorted by. Masked columns are not sortable: their order would leak them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    AssociatedOn,
    MtdSpend,
    EarliestExpiry,
    BudgetUsage,
    AccountManager,
    CustomerId,
}

impl SortKey {
    /// Wire names.
    pub const NAMES: &'static [&'static str] =
        &["associated_on", "mtd_spend", "earliest_expiry", "budget_usage", "account_manager", "customer_id"];
    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "associated_on" => Some(Self::AssociatedOn),
            "mtd_spend" => Some(Self::MtdSpend),
            "earliest_expiry" => Some(Self::EarliestExpiry),
            "budget_usage" => Some(Self::BudgetUsage),
            "account_manager" => Some(Self::AccountManager),
            "customer_id" => Some(Self::CustomerId),
            _ => None,
        }
    }
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// A sort value. Absent values sort as the smallest value of their kind (`""` or `-1`), the same in
/// SQL (through `COALESCE`) and here.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(untagged)]
pub enum SortValue {
    Int(i64),
    Text(String),
}

/// Where the previous page ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub value: SortValue,
    pub id: CustomerId,
}

/// A validated customer query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CustomerQuery {
    /// 1. automatically frozen
    pub auto_frozen: Option<bool>,
    /// 1. frozen at all
    pub frozen: Option<bool>,
    /// 2. association type
    pub association_type: Option<AssociationType>,
    /// 3. association time, `[from, to]` inclusive
    pub associated_from: Option<Timestamp>,
    pub associated_to: Option<Timestamp>,
    /// 4. customer (real) name contains (folded)
    pub customer_name: Option<String>,
    /// 5. account name contains (folded)
    pub account_name: Option<String>,
    /// 6. customer id, exact
    pub customer_id: Option<CustomerId>,
    /// 7. account manager contains (folded)
    pub account_manager: Option<String>,
    /// 8. month-to-date spend, minor units, inclusive
    pub spend_min: Option<i64>,
    pub spend_max: Option<i64>,
    /// 9. earliest resource expiry, inclusive
    pub expiry_from: Option<Timestamp>,
    pub expiry_to: Option<Timestamp>,
    /// 10. mobile, exact: search keys of the digits as given (and without leading zeros)
    pub mobile_keys: Vec<String>,
    /// 11. budget usage in percent, inclusive (customers without a budget never match)
    pub usage_min: Option<i64>,
    pub usage_max: Option<i64>,
    /// 12. tags: customers with at least one of them
    pub tags: Vec<String>,
    /// The prerequisite verdict for the querying actor.
    pub can_order: Option<bool>,
    /// Authorization state for the querying partner.
    pub authorization: Option<AuthFilter>,
    /// Active authorization ending before this instant.
    pub authorization_expiring_before: Option<Timestamp>,
    /// Customers of this reseller (a distributor's "Resellers' Customers").
    pub reseller_id: Option<PartnerId>,
    pub sort: Option<SortKey>,
    pub descending: bool,
    pub limit: i64,
    pub cursor: Option<Cursor>,
    /// The query's parameters but `cursor` and `limit`, sorted: what a cursor is bound to.
    pub filter_key: String,
}

/// What the executors read per customer: the customer, and what the grants say for the actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryRow {
    pub customer: Customer,
    pub can_order: bool,
    pub auth_state: AuthFilter,
    /// Latest expiry among the active authorizations.
    pub auth_expires_at: Option<Timestamp>,
}

/// The authorization summary for `partner` from `auths` at `now`.
pub fn auth_summary(
    partner: &PartnerId,
    customer: &CustomerId,
    auths: &[CustomerAuthorization],
    now: Timestamp,
) -> (AuthFilter, Option<Timestamp>) {
    let mine = auths.iter().filter(|a| &a.partner_id == partner && &a.customer_id == customer);
    let mut state = AuthFilter::None;
    let mut expires: Option<Timestamp> = None;
    for a in mine {
        match a.state(now) {
            GrantState::Active => {
                state = AuthFilter::Active;
                expires = match (expires, a.expires_at) {
                    (Some(x), Some(y)) => Some(x.max(y)),
                    (x, y) => x.or(y),
                };
            }
            GrantState::Pending if state == AuthFilter::None => state = AuthFilter::Pending,
            _ => {}
        }
    }
    (state, expires)
}

impl QueryRow {
    /// The value of `key` for this row.
    pub fn sort_value(&self, key: SortKey) -> SortValue {
        let c = &self.customer;
        match key {
            SortKey::AssociatedOn => SortValue::Text(c.associated_on.to_string()),
            SortKey::MtdSpend => SortValue::Int(c.month_to_date_spend.minor),
            SortKey::EarliestExpiry => SortValue::Text(c.earliest_expiry.map(|t| t.to_string()).unwrap_or_default()),
            SortKey::BudgetUsage => SortValue::Int(c.facts.budget.as_ref().map_or(-1, |b| b.usage_percent())),
            SortKey::AccountManager => SortValue::Text(c.account_manager.clone().unwrap_or_default()),
            SortKey::CustomerId => SortValue::Text(c.facts.id.as_str().to_string()),
        }
    }

    /// Whether this row passes every filter of `q` (paging aside).
    pub fn matches(&self, q: &CustomerQuery) -> bool {
        let c = &self.customer;
        let f = &c.facts;
        let within = |v: Option<Timestamp>, from: Option<Timestamp>, to: Option<Timestamp>| match v {
            Some(v) => from.is_none_or(|x| v >= x) && to.is_none_or(|x| v <= x),
            None => from.is_none() && to.is_none(),
        };
        let contains =
            |hay: &str, needle: &Option<String>| needle.as_ref().is_none_or(|n| fold(hay).contains(n.as_str()));
        let usage = f.budget.as_ref().map(|b| b.usage_percent());
        let (mk_national, mk_full) = mobile_keys(&c.mobile_country_code, &c.mobile);
        q.auto_frozen.is_none_or(|x| f.auto_frozen == x)
            && q.frozen.is_none_or(|x| f.frozen == x)
            && q.association_type.is_none_or(|x| f.association_type == x)
            && within(Some(c.associated_on), q.associated_from, q.associated_to)
            && contains(&c.real_name, &q.customer_name)
            && contains(&c.account_name, &q.account_name)
            && q.customer_id.as_ref().is_none_or(|x| &f.id == x)
            && (q.account_manager.is_none()
                || c.account_manager.as_ref().is_some_and(|m| contains(m, &q.account_manager)))
            && q.spend_min.is_none_or(|x| c.month_to_date_spend.minor >= x)
            && q.spend_max.is_none_or(|x| c.month_to_date_spend.minor <= x)
            && within(c.earliest_expiry, q.expiry_from, q.expiry_to)
            && (q.mobile_keys.is_empty() || q.mobile_keys.iter().any(|k| k == &mk_national || k == &mk_full))
            && q.usage_min.is_none_or(|x| usage.is_some_and(|u| u >= x))
            && q.usage_max.is_none_or(|x| usage.is_some_and(|u| u <= x))
            && (q.tags.is_empty() || q.tags.iter().any(|t| c.tags.contains(t)))
            && q.can_order.is_none_or(|x| self.can_order == x)
            && q.authorization.is_none_or(|x| self.auth_state == x)
            && q.authorization_expiring_before
                .is_none_or(|t| self.auth_state == AuthFilter::Active && self.auth_expires_at.is_some_and(|e| e < t))
            && q.reseller_id.as_ref().is_none_or(|r| &f.partner_id == r)
    }
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<'a> {
    pub rows: Vec<&'a QueryRow>,
    pub total: usize,
    pub next: Option<Cursor>,
}

/// Every row matching `q`, in `q`'s order (ties by id, in the same direction), with its sort value.
pub fn sorted_matches<'a>(rows: &'a [QueryRow], q: &CustomerQuery) -> Vec<(SortValue, &'a QueryRow)> {
    let key = q.sort.unwrap_or(SortKey::AssociatedOn);
    let mut hits: Vec<(SortValue, &QueryRow)> =
        rows.iter().filter(|r| r.matches(q)).map(|r| (r.sort_value(key), r)).collect();
    crate::sorting::sort_by(&mut hits, |(a, ra), (b, rb)| {
        (a, ra.customer.facts.id.as_str()).cmp(&(b, rb.customer.facts.id.as_str()))
    });
    if q.descending {
        hits.reverse();
    }
    hits
}

/// The in-memory executor: filter, sort, page after the cursor.
pub fn execute<'a>(rows: &'a [QueryRow], q: &CustomerQuery) -> Page<'a> {
    let hits = sorted_matches(rows, q);
    let total = hits.len();
    let after = |v: &SortValue, id: &str| match &q.cursor {
        None => true,
        Some(c) if q.descending => (v, id) < (&c.value, c.id.as_str()),
        Some(c) => (v, id) > (&c.value, c.id.as_str()),
    };
    let limit = q.limit.clamp(1, MAX_LIMIT) as usize;
    let mut page: Vec<(SortValue, &QueryRow)> =
        hits.into_iter().filter(|(v, r)| after(v, r.customer.facts.id.as_str())).take(limit + 1).collect();
    let more = page.len() > limit;
    page.truncate(limit);
    let next = if more {
        page.last().map(|(v, r)| Cursor { value: v.clone(), id: r.customer.facts.id.clone() })
    } else {
        None
    };
    Page { rows: page.into_iter().map(|(_, r)| r).collect(), total, next }
}

/// Turns the SQL executor's `limit + 1` hits (row and sort value) into the page's rows and the
/// cursor of the next page, if there is one.
pub fn page_of(q: &CustomerQuery, mut hits: Vec<(Customer, Value)>) -> (Vec<Customer>, Option<Cursor>) {
    let limit = q.limit.clamp(1, MAX_LIMIT) as usize;
    let more = hits.len() > limit;
    hits.truncate(limit);
    let next = if more {
        hits.last().and_then(|(c, v)| {
            let value = match v {
                Value::Number(n) => SortValue::Int(n.as_i64()?),
                Value::String(s) => SortValue::Text(s.clone()),
                _ => return None,
            };
            Some(Cursor { value, id: c.facts.id.clone() })
        })
    } else {
        None
    };
    (hits.into_iter().map(|(c, _)| c).collect(), next)
}

/// One row of Customer Management as the API returns it: the masked customer plus the chips the
/// portal shows (can-order verdict with its blocking codes, authorization state, budget level).
pub fn list_item<'a>(
    c: &'a Customer,
    report: &crate::prerequisites::Report,
    auth: (AuthFilter, Option<Timestamp>),
) -> ListItem<'a> {
    ListItem {
        view: c.masked_view(),
        can_order: report.can_order,
        blocking: report.blocking.clone(),
        authorization: AuthView { state: auth.0, expires_at: auth.1 },
        budget_level: c.facts.budget.as_ref().map(Budget::level),
    }
}

/// One row of `GET /v1/customers`: the masked customer, then its verdict chips.
#[derive(Serialize)]
pub struct ListItem<'a> {
    #[serde(flatten)]
    view: crate::masking::MaskedView<'a>,
    can_order: bool,
    blocking: Vec<Code>,
    authorization: AuthView,
    budget_level: Option<i64>,
}

#[derive(Serialize)]
struct AuthView {
    state: AuthFilter,
    expires_at: Option<Timestamp>,
}

/// The body of `GET /v1/customers`.
#[derive(Serialize)]
pub struct ListPage<'a> {
    pub customers: Vec<ListItem<'a>>,
    pub total: i64,
    pub total_exact: bool,
    pub limit: i64,
    pub next_cursor: Option<String>,
}

// ------------------------------------------------------------------------------------------------
// The browser's executor: the same `execute` over rows the API already returned
// ------------------------------------------------------------------------------------------------

/// Filters that need clear values, which a masked row does not carry: the server answers them.
pub const SERVER_ONLY: &[&str] = &["customer_name", "account_name", "mobile"];

/// Reads one row of `GET /v1/customers` back into a [`QueryRow`]. Sensitive fields stay masked, so
/// only the filters outside [`SERVER_ONLY`] may be run on it.
pub fn row_from_list_item(d: &mut Decoder, v: &Value, path: Path) -> Option<QueryRow> {
    use crate::customers::{Budget, CustomerFacts, VerifiedStatus};
    use crate::money::Money;
    let mut o = d.object(v, path.clone())?;
    let id = d.required(&mut o, "id").and_then(|(v, p)| d.parsed(v, &p, "a customer id", CustomerId::parse));
    let assoc = d.required(&mut o, "association").and_then(|(v, p)| {
        let mut a = d.object(v, p)?;
        let partner =
            d.required(&mut a, "partner_id").and_then(|(v, p)| d.parsed(v, &p, "a partner id", PartnerId::parse));
        let dist = d
            .optional(&mut a, "partner_distributor_id")
            .map(|(v, p)| d.parsed(v, &p, "a partner id", PartnerId::parse));
        let t = d
            .required(&mut a, "type")
            .and_then(|(v, p)| d.one_of(v, &p, AssociationType::NAMES, AssociationType::parse));
        let on = d.required(&mut a, "associated_on").and_then(|(v, p)| d.timestamp(v, &p));
        d.close(a);
        let dist = match dist {
            Some(x) => Some(x?),
            None => None,
        };
        Some((partner?, dist, t?, on?))
    });
    let manager = d.optional(&mut o, "account_manager").map(|(v, p)| d.str(v, &p).map(str::to_string));
    let verified =
        d.required(&mut o, "verified_status").and_then(|(v, p)| d.int(v, &p, -1, 3)).and_then(VerifiedStatus::parse);
    let frozen = d.required(&mut o, "frozen").and_then(|(v, p)| {
        let mut f = d.object(v, p)?;
        let frozen = d.required(&mut f, "frozen").and_then(|(v, p)| d.bool(v, &p));
        let auto = d.required(&mut f, "auto").and_then(|(v, p)| d.bool(v, &p));
        let _ = d.optional(&mut f, "reason");
        d.close(f);
        Some((frozen?, auto?))
    });
    let budget = d.optional(&mut o, "budget").map(|(v, p)| {
        let mut b = d.object(v, p.clone())?;
        let _ = d.optional(&mut b, "usage_percent");
        let t = d
            .required(&mut b, "type")
            .and_then(|(v, p)| d.one_of(v, &p, super::BudgetType::NAMES, super::BudgetType::parse));
        let amount = d.required(&mut b, "amount").and_then(|(v, p)| Money::decode(d, v, p));
        let used = d.required(&mut b, "used").and_then(|(v, p)| Money::decode(d, v, p));
        let auto = d.required(&mut b, "auto_freeze").and_then(|(v, p)| d.bool(v, &p));
        d.close(b);
        Some(Budget { budget_type: t?, amount: amount?, used: used?, auto_freeze: auto? })
    });
    let spend = d.required(&mut o, "month_to_date_spend").and_then(|(v, p)| Money::decode(d, v, p));
    let expiry = d.optional(&mut o, "earliest_expiry").map(|(v, p)| d.timestamp(v, &p));
    let tags =
        d.required(&mut o, "tags").and_then(|(v, p)| d.array(v, &p, 100, |d, x, p| d.str(x, &p).map(str::to_string)));
    let can_order = d.required(&mut o, "can_order").and_then(|(v, p)| d.bool(v, &p));
    let auth = d.required(&mut o, "authorization").and_then(|(v, p)| {
        let mut a = d.object(v, p)?;
        let state =
            d.required(&mut a, "state").and_then(|(v, p)| d.one_of(v, &p, AuthFilter::NAMES, AuthFilter::parse));
        let exp = d.optional(&mut a, "expires_at").map(|(v, p)| d.timestamp(v, &p));
        d.close(a);
        let exp = match exp {
            Some(x) => Some(x?),
            None => None,
        };
        Some((state?, exp))
    });
    let gone = d.optional(&mut o, "gone_since").map(|(v, p)| d.timestamp(v, &p));
    // Display-only keys of the list item.
    for k in
        ["account_name", "real_name", "mobile", "email", "masked", "customer_type", "level", "blocking", "budget_level"]
    {
        let _ = d.optional(&mut o, k);
    }
    d.close(o);
    let (partner_id, partner_distributor_id, association_type, associated_on) = assoc?;
    let (frozen, auto_frozen) = frozen?;
    let budget = match budget {
        Some(b) => Some(b?),
        None => None,
    };
    let spend = spend?;
    Some(QueryRow {
        customer: Customer {
            facts: CustomerFacts {
                id: id?,
                partner_id,
                partner_distributor_id,
                association_type,
                frozen: frozen || auto_frozen,
                auto_frozen,
                verified_status: verified?,
                budget,
                gone_since: match gone {
                    Some(g) => Some(g?),
                    None => None,
                },
            },
            account_name: String::new(),
            real_name: String::new(),
            mobile_country_code: String::new(),
            mobile: String::new(),
            email: String::new(),
            associated_on,
            account_manager: match manager {
                Some(m) => Some(m?),
                None => None,
            },
            customer_type: 0,
            level: String::new(),
            frozen_reason: None,
            month_to_date_spend: spend,
            earliest_expiry: match expiry {
                Some(e) => Some(e?),
                None => None,
            },
            tags: tags?,
        },
        can_order: can_order?,
        auth_state: auth.as_ref()?.0,
        auth_expires_at: auth?.1,
    })
}

/// Query parameters from a JSON object (`{"frozen": true, "tag": ["vip", "gov"], "limit": 20}`):
/// the same names and values as the URL form; arrays repeat a parameter.
pub fn pairs_from_json(v: &Value) -> Result<Vec<(String, String)>, ApiError> {
    let Value::Object(m) = v else {
        return Err(ApiError::validation(vec![crate::error::FieldError::new(
            vec![],
            Code::InvalidType,
            "The query must be an object.",
        )]));
    };
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let scalar = |x: &Value| match x {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    for (k, x) in m {
        let items: Vec<&Value> = match x {
            Value::Null => continue,
            Value::Array(a) => a.iter().collect(),
            other => vec![other],
        };
        for item in items {
            match scalar(item) {
                Some(s) => out.push((k.clone(), s)),
                None => errors.push(crate::error::FieldError::new(
                    p(k),
                    Code::InvalidType,
                    "Expected a string, number or boolean.",
                )),
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(ApiError::validation(errors))
    }
}

/// The browser module's `filterCustomers`: runs `params` over rows the API returned, with the same
/// decoding (and error codes) and the same executor as the reference. Filters in [`SERVER_ONLY`]
/// are left out and named in `"server_only"`: the portal asks the server for those.
pub fn filter_list_items(rows: &Value, params: &[(String, String)]) -> Result<Value, ApiError> {
    let q = CustomerQuery::decode(params)?;
    let mut d = Decoder::new();
    let parsed = d.array(rows, &vec![PathSeg::Key("rows".into())], 1000, row_from_list_item);
    let rows_parsed = d.finish(parsed)?;
    let server_only: Vec<&str> = SERVER_ONLY.iter().copied().filter(|k| params.iter().any(|(n, _)| n == k)).collect();
    let local = CustomerQuery { customer_name: None, account_name: None, mobile_keys: Vec::new(), cursor: None, ..q };
    let ids: Vec<&str> =
        sorted_matches(&rows_parsed, &local).iter().map(|(_, r)| r.customer.facts.id.as_str()).collect();
    Ok(serde_json::json!({"ids": ids, "server_only": server_only}))
}

// ------------------------------------------------------------------------------------------------
// Decoding (URL query parameters, or the same keys from a JS object)
// ------------------------------------------------------------------------------------------------

/// Every accepted parameter.
pub const PARAMS: &[&str] = &[
    "auto_frozen",
    "frozen",
    "association_type",
    "associated_from",
    "associated_to",
    "customer_name",
    "account_name",
    "customer_id",
    "account_manager",
    "spend_min",
    "spend_max",
    "expiry_from",
    "expiry_to",
    "mobile",
    "budget_usage_min",
    "budget_usage_max",
    "tag",
    "can_order",
    "authorization",
    "authorization_expiring_before",
    "reseller_id",
    "sort",
    "order",
    "limit",
    "cursor",
];

fn p(name: &str) -> Path {
    vec![PathSeg::Key(name.to_string().into())]
}

/// A cursor as text: base64url of `{"s": sort, "o": "asc"|"desc", "v": value, "id": id, "f": filters fingerprint}`.
pub fn encode_cursor(q: &CustomerQuery, c: &Cursor) -> String {
    let v = serde_json::json!({"s": q.sort.unwrap_or(SortKey::AssociatedOn).as_str(), "o": if q.descending { "desc" } else { "asc" },
                               "v": c.value, "id": c.id, "f": fingerprint(q)});
    base64url(v.to_string().as_bytes())
}

/// A short digest of the filters (not sort or paging), so a cursor cannot be replayed on another query.
fn fingerprint(q: &CustomerQuery) -> String {
    hex(&Sha256::digest(q.filter_key.as_bytes())[..8])
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 3);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (*b as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn unbase64url(s: &str) -> Option<Vec<u8>> {
    let vals: Option<Vec<u32>> = s.bytes().map(|c| B64.iter().position(|b| *b == c).map(|p| p as u32)).collect();
    let vals = vals?;
    if vals.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(vals.len() * 3 / 4);
    for chunk in vals.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, v)| acc | v << (18 - 6 * i));
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

fn decode_cursor(s: &str, q: &CustomerQuery) -> Option<Cursor> {
    let v: Value = serde_json::from_slice(&unbase64url(s)?).ok()?;
    let key = q.sort.unwrap_or(SortKey::AssociatedOn);
    if v["s"] != key.as_str() || v["o"] != if q.descending { "desc" } else { "asc" } || v["f"] != fingerprint(q) {
        return None;
    }
    let id = CustomerId::parse(v["id"].as_str()?)?;
    let value = match (&v["v"], key) {
        (Value::Number(n), SortKey::MtdSpend | SortKey::BudgetUsage) => SortValue::Int(n.as_i64()?),
        (
            Value::String(s),
            SortKey::AssociatedOn | SortKey::EarliestExpiry | SortKey::AccountManager | SortKey::CustomerId,
        ) => SortValue::Text(s.clone()),
        _ => return None,
    };
    Some(Cursor { value, id })
}

impl CustomerQuery {
    /// Reads a query from `(name, value)` pairs (URL query parameters; `tag` may repeat). Collects
    /// every error with the parameter's name as its path: unknown parameters, malformed values,
    /// inverted ranges, page size outside 1..=100, a cursor that is malformed or from another query.
    pub fn decode(pairs: &[(String, String)]) -> Result<Self, ApiError> {
        let mut d = Decoder::new();
        let mut q = CustomerQuery { limit: DEFAULT_LIMIT, ..Default::default() };
        let mut cursor_text: Option<String> = None;
        let mut seen: Vec<&str> = Vec::new();
        for (k, raw) in pairs {
            let Some(name) = PARAMS.iter().find(|n| **n == k.as_str()).copied() else {
                d.error(p(k), Code::UnknownField, format!("Unknown parameter `{k}`; accepted: {}.", PARAMS.join(", ")));
                continue;
            };
            if name != "tag" && seen.contains(&name) {
                d.error(p(name), Code::Duplicate, format!("`{name}` is given more than once."));
                continue;
            }
            seen.push(name);
            let v = raw.trim();
            let path = p(name);
            let boolean = |d: &mut Decoder| match v {
                "true" => Some(true),
                "false" => Some(false),
                _ => {
                    d.error(path.clone(), Code::InvalidValue, "Must be true or false.");
                    None
                }
            };
            let time = |d: &mut Decoder| d.timestamp(&Value::from(v), &path);
            let int = |d: &mut Decoder, min: i64, max: i64| match v.parse::<i64>() {
                Ok(n) => d.int(&Value::from(n), &path, min, max),
                Err(_) => {
                    d.error(path.clone(), Code::InvalidType, "Must be an integer.");
                    None
                }
            };
            let text = |d: &mut Decoder| d.text(&Value::from(v), &path, 1, 64).map(|s| fold(&s));
            match name {
                "auto_frozen" => q.auto_frozen = boolean(&mut d),
                "frozen" => q.frozen = boolean(&mut d),
                "association_type" => {
                    q.association_type =
                        d.one_of(&Value::from(v), &path, AssociationType::NAMES, AssociationType::parse)
                }
                "associated_from" => q.associated_from = time(&mut d),
                "associated_to" => q.associated_to = time(&mut d),
                "customer_name" => q.customer_name = text(&mut d),
                "account_name" => q.account_name = text(&mut d),
                "account_manager" => q.account_manager = text(&mut d),
                "customer_id" => {
                    q.customer_id = d.parsed(&Value::from(v), &path, "32 lowercase hex digits", CustomerId::parse)
                }
                "spend_min" => q.spend_min = int(&mut d, 0, crate::money::MAX_MINOR),
                "spend_max" => q.spend_max = int(&mut d, 0, crate::money::MAX_MINOR),
                "expiry_from" => q.expiry_from = time(&mut d),
                "expiry_to" => q.expiry_to = time(&mut d),
                "mobile" => {
                    let digits = mobile_digits(v);
                    let clean = v.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
                    if clean && (5..=20).contains(&digits.len()) {
                        // "0086 138…" and "+86 138…" mean the same number; a national "07700…" keeps its 0.
                        q.mobile_keys = vec![mobile_key(&digits)];
                        let stripped = digits.trim_start_matches('0');
                        if stripped != digits {
                            q.mobile_keys.push(mobile_key(stripped));
                        }
                    } else {
                        d.error(
                            path,
                            Code::InvalidFormat,
                            "A mobile number of 5 to 20 digits, with or without the country code.",
                        );
                    }
                }
                "budget_usage_min" => q.usage_min = int(&mut d, 0, 1000),
                "budget_usage_max" => q.usage_max = int(&mut d, 0, 1000),
                "tag" => {
                    if let Some(t) = d.text(&Value::from(v), &path, 1, 32) {
                        if q.tags.len() >= MAX_TAGS {
                            d.error(path, Code::OutOfRange, format!("At most {MAX_TAGS} tags."));
                        } else if !q.tags.contains(&t) {
                            q.tags.push(t);
                        }
                    }
                }
                "can_order" => q.can_order = boolean(&mut d),
                "authorization" => {
                    q.authorization = d.one_of(&Value::from(v), &path, AuthFilter::NAMES, AuthFilter::parse)
                }
                "authorization_expiring_before" => q.authorization_expiring_before = time(&mut d),
                "reseller_id" => {
                    q.reseller_id = d.parsed(&Value::from(v), &path, "32 lowercase hex digits", PartnerId::parse)
                }
                "sort" => q.sort = d.one_of(&Value::from(v), &path, SortKey::NAMES, SortKey::parse),
                "order" => match v {
                    "asc" => q.descending = false,
                    "desc" => q.descending = true,
                    _ => d.error(path, Code::InvalidValue, "Must be asc or desc."),
                },
                "limit" => q.limit = int(&mut d, 1, MAX_LIMIT).unwrap_or(DEFAULT_LIMIT),
                _ => cursor_text = Some(v.to_string()),
            }
        }
        if !seen.contains(&"order") {
            // Newest association first unless asked otherwise.
            q.descending = q.sort.is_none();
        }
        let ranges: [(&str, bool); 4] = [
            ("associated_to", matches!((q.associated_from, q.associated_to), (Some(a), Some(b)) if a > b)),
            ("spend_max", matches!((q.spend_min, q.spend_max), (Some(a), Some(b)) if a > b)),
            ("expiry_to", matches!((q.expiry_from, q.expiry_to), (Some(a), Some(b)) if a > b)),
            ("budget_usage_max", matches!((q.usage_min, q.usage_max), (Some(a), Some(b)) if a > b)),
        ];
        for (field, inverted) in ranges {
            if inverted {
                d.error(p(field), Code::OutOfRange, "The end of the range is before its start.");
            }
        }
        let mut bound: Vec<&(String, String)> = pairs.iter().filter(|(k, _)| k != "cursor" && k != "limit").collect();
        crate::sorting::sort(&mut bound);
        q.filter_key = bound.iter().map(|(k, v)| format!("{k}\u{1f}{v}\u{1e}")).collect();
        if let Some(c) = cursor_text {
            match decode_cursor(&c, &q) {
                Some(cur) => q.cursor = Some(cur),
                None => d.error(
                    p("cursor"),
                    Code::InvalidFormat,
                    "This cursor is malformed or belongs to another query or sort.",
                ),
            }
        }
        d.finish(Some(q))
    }
}

#[cfg(test)]
mod tests;
