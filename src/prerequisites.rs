//! The order-on-behalf prerequisite check: one pure function that the worker and the browser
//! module both call. It returns **every** check, never just the first failure.

use crate::customers::{AssociationType, CustomerFacts};
use crate::decode::Decoder;
use crate::error::{ApiError, Code};
use crate::grants::{Capability, CustomerAuthorization, DistributorPermission, GrantState};
use crate::ids::{AuthorizationId, CustomerId, PartnerId, PermissionId, UserId};
use crate::partners::{Ability, Actor, PartnerKind, Role};
use crate::time::Timestamp;
use serde::Serialize;
use serde_json::{json, Value};

/// The checks, in the order a report lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckName {
    /// The customer is associated with the actor's partner, or with a reseller under the actor (a distributor).
    Association,
    /// The association is in reseller mode (type "3").
    ResellerMode,
    /// The actor's role may order.
    Role,
    /// A reseller holds its distributor's permission with `order` (skipped for a distributor).
    DistributorPermission,
    /// The customer authorized the actor's partner with `order`.
    CustomerAuthorization,
    /// The customer's account is not frozen.
    NotFrozen,
    /// The customer completed real-name verification.
    RealNameVerified,
    /// The customer's budget is not used up (75 % and 90 % are passing warnings).
    Budget,
}

/// Every check name, in report order.
pub const ALL_CHECKS: [CheckName; 8] = [
    CheckName::Association,
    CheckName::ResellerMode,
    CheckName::Role,
    CheckName::DistributorPermission,
    CheckName::CustomerAuthorization,
    CheckName::NotFrozen,
    CheckName::RealNameVerified,
    CheckName::Budget,
];

/// A check's outcome. `pass`, `warn` and `skip` let an order through; `fail` blocks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Warn,
    Fail,
    /// Does not apply to this actor (e.g. distributor permission for a distributor).
    Skip,
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub check: CheckName,
    pub status: Status,
    /// Set for `fail` and `warn`.
    pub code: Option<Code>,
    pub message: String,
    /// What to do about it; set for `fail` and `warn`.
    pub remedy: Option<String>,
    /// Budget warning level (75 or 90) for a `warn`.
    pub level: Option<i64>,
}

/// The grants an order would rely on; a session records them (and re-checks them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReliedOn {
    pub distributor_permission: Option<PermissionId>,
    pub authorization: Option<AuthorizationId>,
}

/// Who asked, as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportActor {
    pub user_id: UserId,
    pub partner_id: PartnerId,
    pub partner_kind: PartnerKind,
    pub role: Role,
}

/// The answer to "can this actor order for this customer now, and if not, why not".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub can_order: bool,
    pub customer_id: CustomerId,
    pub actor: ReportActor,
    pub evaluated_at: Timestamp,
    pub checks: Vec<Check>,
    /// Codes of the failing checks, in report order.
    pub blocking: Vec<Code>,
    /// Codes of the warnings, in report order.
    pub warnings: Vec<Code>,
    pub relied_on: ReliedOn,
}

/// Everything the check reads. The worker loads it from D1; a portal passes it to the browser module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrerequisiteInput {
    pub now: Timestamp,
    pub actor: Actor,
    pub customer: CustomerFacts,
    pub distributor_permissions: Vec<DistributorPermission>,
    pub authorizations: Vec<CustomerAuthorization>,
}

impl PrerequisiteInput {
    /// Reads the input from JSON, collecting every field error (`validation_failed`).
    pub fn decode(v: &Value) -> Result<Self, ApiError> {
        Decoder::run(|d| {
            let mut o = d.object(v, vec![])?;
            let now = d.required(&mut o, "now").and_then(|(v, p)| d.timestamp(v, &p));
            let actor = d.required(&mut o, "actor").and_then(|(v, p)| Actor::decode(d, v, p));
            let customer = d.required(&mut o, "customer").and_then(|(v, p)| CustomerFacts::decode(d, v, p));
            let perms = d.optional_or(&mut o, "distributor_permissions", Vec::new(), |d, v, p| {
                d.array(v, &p, 1000, DistributorPermission::decode)
            });
            let auths = d.optional_or(&mut o, "authorizations", Vec::new(), |d, v, p| {
                d.array(v, &p, 1000, CustomerAuthorization::decode)
            });
            d.close(o);
            Some(PrerequisiteInput {
                now: now?,
                actor: actor?,
                customer: customer?,
                distributor_permissions: perms?,
                authorizations: auths?,
            })
        })
    }

    /// Runs the check on this input.
    pub fn run(&self) -> Report {
        check(&self.actor, &self.customer, &self.distributor_permissions, &self.authorizations, self.now)
    }
}

fn pass(check: CheckName, message: impl Into<String>) -> Check {
    Check { check, status: Status::Pass, code: None, message: message.into(), remedy: None, level: None }
}

fn fail(check: CheckName, code: Code, message: impl Into<String>, remedy: impl Into<String>) -> Check {
    Check {
        check,
        status: Status::Fail,
        code: Some(code),
        message: message.into(),
        remedy: Some(remedy.into()),
        level: None,
    }
}

/// The prerequisite check. Pure: same inputs, same report, in the worker and in the browser.
pub fn check(
    actor: &Actor,
    customer: &CustomerFacts,
    permissions: &[DistributorPermission],
    authorizations: &[CustomerAuthorization],
    now: Timestamp,
) -> Report {
    let (perm_check, perm_used) = distributor_permission(actor, customer, permissions, now);
    let (auth_check, auth_used) = customer_authorization(actor, customer, authorizations, now);
    let checks = vec![
        association(actor, customer),
        reseller_mode(customer),
        role(actor),
        perm_check,
        auth_check,
        not_frozen(customer),
        real_name(customer),
        budget(customer),
    ];
    let blocking: Vec<Code> = checks.iter().filter(|c| c.status == Status::Fail).filter_map(|c| c.code).collect();
    let warnings: Vec<Code> = checks.iter().filter(|c| c.status == Status::Warn).filter_map(|c| c.code).collect();
    Report {
        can_order: blocking.is_empty(),
        customer_id: customer.id.clone(),
        actor: ReportActor {
            user_id: actor.user_id.clone(),
            partner_id: actor.partner_id.clone(),
            partner_kind: actor.partner_kind,
            role: actor.role,
        },
        evaluated_at: now,
        checks,
        blocking,
        warnings,
        relied_on: ReliedOn { distributor_permission: perm_used, authorization: auth_used },
    }
}

fn association(actor: &Actor, c: &CustomerFacts) -> Check {
    if let Some(since) = c.gone_since {
        return fail(
            CheckName::Association,
            Code::CustomerNotAssociated,
            format!(
                "Huawei Cloud no longer lists this customer as associated with your partner account (since {since})."
            ),
            "Ask the customer to associate with you again in Huawei Cloud; the next directory sync restores it.",
        );
    }
    if c.partner_id == actor.partner_id {
        pass(CheckName::Association, "The customer is associated with your partner account.")
    } else if actor.sees(&c.partner_id, c.partner_distributor_id.as_ref()) {
        pass(CheckName::Association, "The customer is associated with one of your resellers.")
    } else {
        fail(
            CheckName::Association,
            Code::CustomerNotAssociated,
            Code::CustomerNotAssociated.default_message(),
            "Only customers associated with you (or, for a distributor, with your resellers) can be served on behalf.",
        )
    }
}

fn reseller_mode(c: &CustomerFacts) -> Check {
    match c.association_type {
        AssociationType::Reseller => pass(CheckName::ResellerMode, "The customer is associated in reseller mode."),
        AssociationType::Referral => fail(
            CheckName::ResellerMode,
            Code::AssociationNotResellerMode,
            "The customer is associated in referral mode; ordering on behalf needs reseller mode.",
            "Ask the customer to associate with you in reseller mode.",
        ),
    }
}

fn role(actor: &Actor) -> Check {
    if actor.role.may(Ability::PlaceOrder) {
        pass(CheckName::Role, format!("Your role ({}) may place orders on behalf.", actor.role.as_str()))
    } else {
        fail(
            CheckName::Role,
            Code::RoleCannotOrder,
            format!("Your role ({}) may not place orders on behalf.", actor.role.as_str()),
            "Ask an admin of your partner account for the operator or admin role.",
        )
    }
}

fn distributor_permission(
    actor: &Actor,
    c: &CustomerFacts,
    perms: &[DistributorPermission],
    now: Timestamp,
) -> (Check, Option<PermissionId>) {
    let name = CheckName::DistributorPermission;
    if !actor.needs_distributor_permission() {
        let skip = Check {
            check: name,
            status: Status::Skip,
            code: None,
            message: "Distributors need no distributor permission.".into(),
            remedy: None,
            level: None,
        };
        return (skip, None);
    }
    let relevant: Vec<&DistributorPermission> = perms
        .iter()
        .filter(|p| actor.distributor_id.as_ref() == Some(&p.distributor_id) && p.covers(&actor.partner_id, &c.id))
        .collect();
    let active: Vec<&&DistributorPermission> = relevant.iter().filter(|p| p.state(now) == GrantState::Active).collect();
    // Prefer a permission for this very customer over one for all customers; then the newest.
    let usable = active
        .iter()
        .filter(|p| p.capabilities.has(Capability::Order))
        .max_by_key(|p| (p.customer_id.is_some(), p.granted_at, p.id.clone()));
    if let Some(p) = usable {
        let until = p.valid_until.map(|t| format!(" until {}", t.readable())).unwrap_or_default();
        return (pass(name, format!("Your distributor permits order placement{until}.")), Some(p.id.clone()));
    }
    let remedy = "Ask your distributor to grant you order placement for this customer.";
    if !active.is_empty() {
        return (
            fail(
                name,
                Code::DistributorPermissionLacksOrder,
                Code::DistributorPermissionLacksOrder.default_message(),
                remedy,
            ),
            None,
        );
    }
    let latest = relevant.iter().max_by_key(|p| (p.granted_at, p.id.clone()));
    let check = match latest.map(|p| (p, p.state(now))) {
        Some((_, GrantState::Revoked)) => fail(
            name,
            Code::DistributorPermissionRevoked,
            "Your distributor revoked its permission.".to_string(),
            remedy,
        ),
        Some((p, _)) => fail(
            name,
            Code::DistributorPermissionExpired,
            format!(
                "Your distributor's permission expired{}.",
                p.valid_until.map(|t| format!(" on {}", t.readable())).unwrap_or_default()
            ),
            "Ask your distributor to grant a new permission.",
        ),
        None => {
            fail(name, Code::DistributorPermissionMissing, Code::DistributorPermissionMissing.default_message(), remedy)
        }
    };
    (check, None)
}

fn customer_authorization(
    actor: &Actor,
    c: &CustomerFacts,
    auths: &[CustomerAuthorization],
    now: Timestamp,
) -> (Check, Option<AuthorizationId>) {
    let name = CheckName::CustomerAuthorization;
    let relevant: Vec<&CustomerAuthorization> =
        auths.iter().filter(|a| a.partner_id == actor.partner_id && a.customer_id == c.id).collect();
    let active: Vec<&&CustomerAuthorization> = relevant.iter().filter(|a| a.state(now) == GrantState::Active).collect();
    if let Some(a) =
        active.iter().filter(|a| a.capabilities.has(Capability::Order)).max_by_key(|a| (a.decided_at, a.id.clone()))
    {
        let until = a.expires_at.map(|t| format!(" until {}", t.readable())).unwrap_or_default();
        return (pass(name, format!("The customer authorized order placement{until}.")), Some(a.id.clone()));
    }
    let request = "Request authorization from the customer (Customer Management > More > Request Authorization).";
    if !active.is_empty() {
        return (
            fail(
                name,
                Code::AuthorizationLacksOrder,
                Code::AuthorizationLacksOrder.default_message(),
                "Request a new authorization that includes order placement.",
            ),
            None,
        );
    }
    let latest = relevant.iter().max_by_key(|a| (a.requested_at, a.id.clone()));
    let check = match latest.map(|a| (a, a.state(now))) {
        Some((a, GrantState::Pending)) => fail(
            name,
            Code::AuthorizationPending,
            format!("Your request of {} awaits the customer's answer.", a.requested_at.readable()),
            "Remind the customer to open the consent link and approve with the verification code.",
        ),
        Some((a, GrantState::Rejected)) => fail(
            name,
            Code::AuthorizationRejected,
            format!("The customer rejected your request of {}.", a.requested_at.readable()),
            "Talk to the customer, then send a new request.",
        ),
        Some((a, GrantState::Expired)) => fail(
            name,
            Code::AuthorizationExpired,
            format!(
                "The customer's authorization expired{}.",
                a.expires_at.map(|t| format!(" on {}", t.readable())).unwrap_or_default()
            ),
            request,
        ),
        Some((_, GrantState::Revoked)) => fail(
            name,
            Code::AuthorizationRevoked,
            "The customer revoked the authorization.".to_string(),
            "Talk to the customer, then send a new request.",
        ),
        Some((a, GrantState::RequestExpired)) => fail(
            name,
            Code::AuthorizationMissing,
            format!("Your request of {} was never answered and lapsed.", a.requested_at.readable()),
            request,
        ),
        Some((a, GrantState::Locked)) => fail(
            name,
            Code::AuthorizationMissing,
            format!(
                "Your request of {} was locked after too many wrong verification codes.",
                a.requested_at.readable()
            ),
            request,
        ),
        _ => fail(name, Code::AuthorizationMissing, Code::AuthorizationMissing.default_message(), request),
    };
    (check, None)
}

fn not_frozen(c: &CustomerFacts) -> Check {
    let name = CheckName::NotFrozen;
    if c.auto_frozen {
        fail(
            name,
            Code::CustomerAutoFrozen,
            Code::CustomerAutoFrozen.default_message(),
            "Raise the budget and unfreeze the customer.",
        )
    } else if c.frozen {
        fail(
            name,
            Code::CustomerFrozen,
            Code::CustomerFrozen.default_message(),
            "Unfreeze the customer in Customer Management (new reseller-mode customers start frozen).",
        )
    } else {
        pass(name, "The customer's account is not frozen.")
    }
}

fn real_name(c: &CustomerFacts) -> Check {
    let name = CheckName::RealNameVerified;
    if c.verified_status.is_verified() {
        pass(name, "The customer completed real-name verification.")
    } else {
        fail(
            name,
            Code::CustomerNotVerified,
            format!("Real-name verification is {}.", c.verified_status.label()),
            "Ask the customer to complete real-name verification.",
        )
    }
}

fn budget(c: &CustomerFacts) -> Check {
    let name = CheckName::Budget;
    let Some(b) = &c.budget else {
        return pass(name, "No budget is set for this customer.");
    };
    let used = format!("{} % of the {} budget is used.", b.usage_percent(), b.budget_type.as_str().replace('_', "-"));
    let level = b.level();
    if level >= 100 {
        fail(name, Code::BudgetExhausted, used, "Raise the customer's budget before ordering.")
    } else if level > 0 {
        Check {
            check: name,
            status: Status::Warn,
            code: Some(Code::BudgetWarning),
            message: used,
            remedy: Some("Check the order amount against the remaining budget.".into()),
            level: Some(level),
        }
    } else {
        pass(name, used)
    }
}

/// The report with its input attached (`"input"`), so a client can re-run the check itself.
pub fn report_with_input(input: &PrerequisiteInput, report: &Report) -> Value {
    let mut v = serde_json::to_value(report).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.insert("input".into(), input_json(input));
    }
    v
}

/// The input as JSON, in the exact shape [`PrerequisiteInput::decode`] reads.
pub fn input_json(input: &PrerequisiteInput) -> Value {
    let c = &input.customer;
    json!({
        "now": input.now,
        "actor": input.actor,
        "customer": {
            "id": c.id, "partner_id": c.partner_id, "partner_distributor_id": c.partner_distributor_id,
            "association_type": c.association_type, "frozen": c.frozen, "auto_frozen": c.auto_frozen,
            "verified_status": c.verified_status, "budget": c.budget, "gone_since": c.gone_since,
        },
        "distributor_permissions": input.distributor_permissions,
        "authorizations": input.authorizations,
    })
}

#[cfg(test)]
mod tests;
