/** RFC 3339 UTC time, e.g. "2026-11-26T04:54:28Z". */
export type Timestamp = string;
export type Capability = "order" | "om";
export type PartnerKind = "distributor" | "reseller";
export type Role = "admin" | "operator" | "viewer";
export interface Money { minor: number; currency: string }

export interface Actor {
  user_id: string;
  partner_id: string;
  partner_kind: PartnerKind;
  /** Required for a reseller: its distributor. */
  distributor_id?: string | null;
  role: Role;
}

export interface Budget {
  type: "monthly" | "one_time";
  amount: Money;
  used: Money;
  auto_freeze?: boolean;
}

export interface CustomerFacts {
  id: string;
  partner_id: string;
  partner_distributor_id?: string | null;
  /** "1" referral, "3" reseller. */
  association_type: "1" | "3";
  frozen: boolean;
  auto_frozen?: boolean;
  /** -1 not verified, 0 under review, 1 rejected, 2 verified, 3 failed. */
  verified_status: -1 | 0 | 1 | 2 | 3;
  budget?: Budget | null;
}

export interface DistributorPermission {
  id: string;
  distributor_id: string;
  reseller_id: string;
  /** null = all of the reseller's reseller-mode customers. */
  customer_id?: string | null;
  capabilities: Capability[];
  granted_by?: string | null;
  granted_at: Timestamp;
  valid_until?: Timestamp | null;
  revoked_at?: Timestamp | null;
  revoke_reason?: string | null;
}

export interface CustomerAuthorization {
  id: string;
  partner_id: string;
  customer_id: string;
  capabilities: Capability[];
  requested_by?: string | null;
  requested_at: Timestamp;
  valid_days: number;
  status: "pending" | "approved" | "rejected" | "withdrawn" | "revoked";
  decided_at?: Timestamp | null;
  expires_at?: Timestamp | null;
  revoked_at?: Timestamp | null;
  reason?: string | null;
}

/** What the prerequisite check reads; `GET /v1/customers/{id}/prerequisites?include=input` returns exactly this as `input`. */
export interface PrerequisiteInput {
  now: Timestamp;
  actor: Actor;
  customer: CustomerFacts;
  distributor_permissions?: DistributorPermission[];
  authorizations?: CustomerAuthorization[];
}

export type CheckName = "association" | "reseller_mode" | "role" | "distributor_permission"
  | "customer_authorization" | "not_frozen" | "real_name_verified" | "budget";

export interface Check {
  check: CheckName;
  status: "pass" | "warn" | "fail" | "skip";
  code: string | null;
  message: string;
  remedy: string | null;
  /** 75 or 90 for a budget warning. */
  level: number | null;
}

export interface PrerequisiteReport {
  can_order: boolean;
  customer_id: string;
  actor: { user_id: string; partner_id: string; partner_kind: PartnerKind; role: Role };
  evaluated_at: Timestamp;
  checks: Check[];
  blocking: string[];
  warnings: string[];
  relied_on: { distributor_permission: string | null; authorization: string | null };
}

export interface FieldError {
  path: (string | number)[];
  code: string;
  message: string;
}
/** The same error object the HTTP API returns. */
export interface OnbehalfError { error: { code: string; message: string; details: FieldError[]; data?: unknown } }

export interface ErrorCodeInfo {
  code: string;
  http_status: number;
  message: string;
}
