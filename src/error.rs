//! Errors are data: one table of stable machine codes, shared by the worker and the browser module.
//!
//! Every code below appears in README's error table with its HTTP status. The worker maps a code to
//! a status with [`Code::http_status`]; the browser module returns the same [`ApiError`] object.

use serde::Serialize;
use std::fmt;

/// Declares [`Code`] with its wire string, HTTP status and default message in one place.
macro_rules! codes {
    ($( $variant:ident => ($wire:literal, $status:literal, $msg:literal), )*) => {
        /// A stable machine code. The wire string never changes once released.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $( $variant, )* }

        impl Code {
            /// Every code, in table order (used to render and test the documented table).
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The stable wire string, e.g. `"customer_frozen"`.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $wire, )* }
            }

            /// The HTTP status the worker answers with when this code ends a request.
            pub fn http_status(self) -> u16 {
                match self { $( Code::$variant => $status, )* }
            }

            /// A human default message; callers may give a more specific one.
            pub fn default_message(self) -> &'static str {
                match self { $( Code::$variant => $msg, )* }
            }

            /// Looks a code up by its wire string.
            pub fn parse(s: &str) -> Option<Code> {
                match s { $( $wire => Some(Code::$variant), )* _ => None }
            }
        }
    };
}

codes! {
    // --- request and authentication -------------------------------------------------------------
    Unauthenticated => ("unauthenticated", 401, "Missing, malformed, unknown or revoked API key."),
    ForbiddenRole => ("forbidden_role", 403, "Your role does not allow this action."),
    ForbiddenCredential => ("forbidden_credential", 403, "A portal token may not do this; use the partner's API key on its server."),
    OriginNotAllowed => ("origin_not_allowed", 403, "This browser origin is not in the partner's allowed origins."),
    ForbiddenPartnerKind => ("forbidden_partner_kind", 403, "This action is for another kind of partner."),
    NotFound => ("not_found", 404, "No such resource, or it is not visible to you."),
    RouteNotFound => ("route_not_found", 404, "No such route."),
    MethodNotAllowed => ("method_not_allowed", 405, "This route does not accept that method."),
    MalformedJson => ("malformed_json", 400, "The request body is not valid JSON."),
    UnsupportedMediaType => ("unsupported_media_type", 415, "Send the body as application/json."),
    PayloadTooLarge => ("payload_too_large", 413, "The request body is too large."),
    ValidationFailed => ("validation_failed", 400, "The request has invalid fields; see details."),
    RateLimited => ("rate_limited", 429, "Too many requests; retry later."),
    SessionInvalid => ("session_invalid", 401, "Missing, malformed or tampered session token."),
    SessionExpired => ("session_expired", 401, "The session has expired; switch to the customer again."),
    SessionEnded => ("session_ended", 401, "The session was ended (Switch Role); switch to the customer again."),
    Internal => ("internal", 500, "Something went wrong on our side; the request id identifies it."),
    // --- field errors (inside `details`) ---------------------------------------------------------
    Required => ("required", 400, "This field is required."),
    UnknownField => ("unknown_field", 400, "This field is not part of the contract."),
    InvalidType => ("invalid_type", 400, "This field has the wrong type."),
    InvalidFormat => ("invalid_format", 400, "This field is not in the expected format."),
    InvalidValue => ("invalid_value", 400, "This value is not one of the allowed values."),
    OutOfRange => ("out_of_range", 400, "This value is outside the allowed range."),
    Duplicate => ("duplicate", 400, "This value appears more than once."),
    // --- order draft rules (inside `details`) ----------------------------------------------------
    UnavailableInRegion => ("unavailable_in_region", 400, "Not sold in the chosen region."),
    UnavailableInZone => ("unavailable_in_zone", 400, "Not sold in the chosen availability zone."),
    BelowImageMinimum => ("below_image_minimum", 400, "The system disk is smaller than the image's minimum disk size."),
    BandwidthStep => ("bandwidth_step", 400, "Bandwidth goes in steps of 1 Mbit/s up to 300, 50 up to 1000, 500 above."),
    WeakPassword => ("weak_password", 400, "The password does not meet the complexity rules."),
    PayPerUseOnly => ("pay_per_use_only", 400, "Only available pay-per-use."),
    NotApplicable => ("not_applicable", 400, "This field does not apply to the rest of the draft."),
    CurrencyMismatch => ("currency_mismatch", 422, "The customer's budget is in another currency than the catalog's prices."),
    // --- ordering ---------------------------------------------------------------------------------
    IdempotencyKeyRequired => ("idempotency_key_required", 400, "Send an Idempotency-Key header (1-255 visible ASCII characters) to create an order."),
    IdempotencyKeyReused => ("idempotency_key_reused", 422, "This Idempotency-Key was used with another request body."),
    IdempotencyKeyInFlight => ("idempotency_key_in_flight", 409, "A request with this Idempotency-Key is still being processed; retry later."),
    BudgetWouldBeExceeded => ("budget_would_be_exceeded", 403, "The order would take the customer past 100 % of its budget."),
    QuoteExpired => ("quote_expired", 409, "The quote has expired (a quote holds its price 15 minutes); ask for a new one."),
    OrderNotPendingPayment => ("order_not_pending_payment", 409, "Only an order pending payment can be paid or cancelled."),
    BudgetBelowUsage => ("budget_below_usage", 409, "The new budget is below what the customer already used; send below_usage: true to set it anyway (it is then used up)."),
    UnfreezeNeedsBudget => ("unfreeze_needs_budget", 409, "The customer was frozen automatically because its budget is used up: raise the budget or turn auto-freeze off first."),
    // --- the upstream (Huawei Cloud) ----------------------------------------------------------------
    UpstreamNotConfigured => ("upstream_not_configured", 409, "Ordering in Huawei Cloud needs the partner's Huawei access key and the customer's account and agency names; see data.missing."),
    UpstreamCredentialsInvalid => ("upstream_credentials_invalid", 409, "Huawei Cloud refused the partner's access key; a partner admin must set a valid one."),
    AgencyNotFound => ("agency_not_found", 409, "Huawei Cloud found no agency of that name in the customer's account trusting your partner account."),
    UpstreamRejected => ("upstream_rejected", 422, "Huawei Cloud rejected the request; its code and message are in data."),
    UpstreamUnavailable => ("upstream_unavailable", 503, "Huawei Cloud did not answer or is overloaded; nothing was ordered. Retry after Retry-After seconds."),
    // --- state conflicts -------------------------------------------------------------------------
    AuthorizationRequestPending => ("authorization_request_pending", 409, "An authorization request for this customer is already pending."),
    AuthorizationNotPending => ("authorization_not_pending", 409, "The authorization request is no longer pending."),
    NoMessageChannel => ("no_message_channel", 409, "No channel is configured to send the customer the consent link and the verification code; a partner admin configures one (see data.missing)."),
    AuthorizationNotActive => ("authorization_not_active", 409, "The authorization is not active."),
    PermissionAlreadyRevoked => ("permission_already_revoked", 409, "The permission was already revoked."),
    PermissionRequestOpen => ("permission_request_open", 409, "A request to your distributor for this customer (or for all your customers) is already open."),
    PermissionRequestNotOpen => ("permission_request_not_open", 409, "The permission request was already answered or withdrawn."),
    ApiKeyAlreadyRevoked => ("api_key_already_revoked", 409, "The API key was already revoked."),
    CredentialAlreadyRevoked => ("credential_already_revoked", 409, "The portal token was already revoked."),
    ConsentAlreadyDecided => ("consent_already_decided", 409, "This consent link was already used to decide."),
    ConsentExpired => ("consent_expired", 410, "This consent link has expired; ask the partner for a new request."),
    ConsentLocked => ("consent_locked", 410, "This request is locked (too many wrong verification codes, or no codes left to send); ask the partner for a new request."),
    VerificationCodeInvalid => ("verification_code_invalid", 422, "The verification code is wrong."),
    VerificationCodeExpired => ("verification_code_expired", 422, "The verification code has expired; request a new one."),
    VerificationCodeLocked => ("verification_code_locked", 429, "Too many wrong codes; request a new code."),
    CustomerNotResellerMode => ("customer_not_reseller_mode", 422, "The customer is not associated in reseller mode."),
    ResellerNotUnderDistributor => ("reseller_not_under_distributor", 422, "That reseller is not one of your resellers."),
    CustomerNotOfReseller => ("customer_not_of_reseller", 422, "That customer is not a reseller-mode customer of that reseller."),
    // --- prerequisite checks (in a report's `checks[].code`) --------------------------------------
    CustomerNotAssociated => ("customer_not_associated", 403, "The customer is not associated with your partner account."),
    AssociationNotResellerMode => ("association_not_reseller_mode", 403, "Ordering on behalf needs a customer associated in reseller mode."),
    RoleCannotOrder => ("role_cannot_order", 403, "Your role may not place orders on behalf."),
    DistributorPermissionMissing => ("distributor_permission_missing", 403, "Your distributor has not granted you order placement for this customer."),
    DistributorPermissionExpired => ("distributor_permission_expired", 403, "Your distributor's permission for this customer has expired."),
    DistributorPermissionRevoked => ("distributor_permission_revoked", 403, "Your distributor revoked its permission for this customer."),
    DistributorPermissionLacksOrder => ("distributor_permission_lacks_order", 403, "Your distributor's permission does not include order placement."),
    AuthorizationMissing => ("authorization_missing", 403, "The customer has not authorized you."),
    AuthorizationPending => ("authorization_pending", 403, "The customer has not yet answered your authorization request."),
    AuthorizationRejected => ("authorization_rejected", 403, "The customer rejected your authorization request."),
    AuthorizationExpired => ("authorization_expired", 403, "The customer's authorization has expired."),
    AuthorizationRevoked => ("authorization_revoked", 403, "The customer revoked your authorization."),
    AuthorizationLacksOrder => ("authorization_lacks_order", 403, "The customer's authorization does not include order placement."),
    CustomerFrozen => ("customer_frozen", 403, "The customer's account is frozen."),
    CustomerAutoFrozen => ("customer_auto_frozen", 403, "The customer's account was frozen automatically (budget used up)."),
    CustomerNotVerified => ("customer_not_verified", 403, "The customer has not completed real-name verification."),
    BudgetExhausted => ("budget_exhausted", 403, "The customer's budget is used up."),
    BudgetWarning => ("budget_warning", 200, "The customer's budget is nearly used up."),
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One step of a path into a JSON document: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PathSeg {
    /// A key; borrowed when it is a contract field name (no allocation per field read).
    Key(std::borrow::Cow<'static, str>),
    Index(usize),
}

/// A path into the input, rendered as a JSON array: `["capabilities", 1]`.
pub type Path = Vec<PathSeg>;

/// Builds a path from string keys, e.g. `path(&["customer", "id"])`.
pub fn path(keys: &[&str]) -> Path {
    keys.iter().map(|k| PathSeg::Key((*k).to_string().into())).collect()
}

/// One invalid field: where, which code, and a human message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub path: Path,
    pub code: Code,
    pub message: String,
}

impl FieldError {
    /// A field error with an explicit message.
    pub fn new(path: Path, code: Code, message: impl Into<String>) -> Self {
        FieldError { path, code, message: message.into() }
    }
}

/// The error object of every failed request and every failed browser call:
/// `{"error": {"code", "message", "details": [...]}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: Code,
    pub message: String,
    pub details: Vec<FieldError>,
    /// Extra machine-readable data (e.g. a prerequisite report); `null` when absent. Boxed so that
    /// an `ApiError` stays small: it is the `Err` of nearly every function, moved on every `?`.
    pub data: Option<Box<serde_json::Value>>,
}

impl ApiError {
    /// An error with the code's default message and no details.
    pub fn new(code: Code) -> Self {
        ApiError { code, message: code.default_message().to_string(), details: Vec::new(), data: None }
    }

    /// An error with a specific message.
    pub fn with_message(code: Code, message: impl Into<String>) -> Self {
        ApiError { code, message: message.into(), details: Vec::new(), data: None }
    }

    /// `validation_failed` carrying every field error found.
    pub fn validation(details: Vec<FieldError>) -> Self {
        let n = details.len();
        let message = if n == 1 {
            format!("1 field is invalid: {}", details[0].message)
        } else {
            format!("{n} fields are invalid; see details.")
        };
        ApiError { code: Code::ValidationFailed, message, details, data: None }
    }

    /// Attaches machine-readable data under `error.data`.
    pub fn with_data(mut self, data: serde_json::Value) -> Self {
        self.data = Some(Box::new(data));
        self
    }

    /// The HTTP status for this error.
    pub fn http_status(&self) -> u16 {
        self.code.http_status()
    }

    /// The wire body: `{"error": {...}}`.
    pub fn to_body(&self) -> serde_json::Value {
        let mut e = serde_json::json!({
            "code": self.code,
            "message": self.message,
            "details": self.details,
        });
        if let (Some(d), Some(obj)) = (&self.data, e.as_object_mut()) {
            obj.insert("data".into(), (**d).clone());
        }
        serde_json::json!({ "error": e })
    }
}

/// `None` as an error: `option.or_not_found()?`, `option.or_code(Code::SessionInvalid)?`.
pub trait OrCode<T> {
    /// The value, or an error with `code` and its default message.
    fn or_code(self, code: Code) -> Result<T, ApiError>;
    /// The value, or `not_found`.
    fn or_not_found(self) -> Result<T, ApiError>;
}

impl<T> OrCode<T> for Option<T> {
    fn or_code(self, code: Code) -> Result<T, ApiError> {
        self.ok_or_else(|| ApiError::new(code))
    }
    fn or_not_found(self) -> Result<T, ApiError> {
        self.or_code(Code::NotFound)
    }
}

impl From<Vec<FieldError>> for ApiError {
    fn from(details: Vec<FieldError>) -> Self {
        ApiError::validation(details)
    }
}

#[cfg(test)]
mod tests;
