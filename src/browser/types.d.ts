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
  /** When Huawei's directory stopped listing the customer as the partner's: not served on behalf. */
  gone_since?: Timestamp | null;
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

/** Customer Management query parameters: the names of `GET /v1/customers`; arrays repeat a parameter (tags). */
export interface CustomerQueryParams {
  auto_frozen?: boolean | "true" | "false";
  frozen?: boolean | "true" | "false";
  association_type?: "1" | "3";
  associated_from?: Timestamp;
  associated_to?: Timestamp;
  customer_name?: string;
  account_name?: string;
  customer_id?: string;
  account_manager?: string;
  spend_min?: number | string;
  spend_max?: number | string;
  expiry_from?: Timestamp;
  expiry_to?: Timestamp;
  mobile?: string;
  budget_usage_min?: number | string;
  budget_usage_max?: number | string;
  tag?: string | string[];
  can_order?: boolean | "true" | "false";
  authorization?: "none" | "pending" | "active";
  authorization_expiring_before?: Timestamp;
  reseller_id?: string;
  sort?: "associated_on" | "mtd_spend" | "earliest_expiry" | "budget_usage" | "account_manager" | "customer_id";
  order?: "asc" | "desc";
  limit?: number | string;
  cursor?: string;
}

/** One row of `GET /v1/customers` (sensitive fields masked). */
export interface CustomerListItem {
  id: string;
  account_name: string;
  real_name: string;
  mobile: { country_code: string; number: string };
  email: string;
  masked: string[];
  association: { partner_id: string; partner_distributor_id: string | null; type: "1" | "3"; associated_on: Timestamp };
  account_manager: string | null;
  verified_status: number;
  customer_type: number;
  level: string;
  frozen: { frozen: boolean; auto: boolean; reason: string | null };
  budget: { type: "monthly" | "one_time"; amount: Money; used: Money; auto_freeze: boolean; usage_percent: number } | null;
  month_to_date_spend: Money;
  earliest_expiry: Timestamp | null;
  tags: string[];
  gone_since: Timestamp | null;
  can_order: boolean;
  blocking: string[];
  authorization: { state: "none" | "pending" | "active"; expires_at: Timestamp | null };
  budget_level: 0 | 75 | 90 | 100 | null;
}

export interface FilterResult {
  ids: string[];
  server_only: ("customer_name" | "account_name" | "mobile")[];
}

// --- catalog, order drafts, Huawei payloads, quotes ------------------------------------------------

/** Prices are integers in the currency's minor unit x 10^4 (0.0480 USD = 4.80 cents = 48000). */
export interface Catalog {
  version: string;
  currency: string;
  notes: string;
  yearly_billed_months: number;
  hours_per_month: number;
  regions: { id: string; name: string; zones: string[] }[];
  flavors: { id: string; family: string; family_name: string; vcpus: number; memory_gib: number;
    zones: Record<string, string[]>; prices: Record<string, { month_minor_e4: number; hour_minor_e4: number }> }[];
  images: { id: string; name: string; os_type: "linux" | "windows"; min_disk_gb: number }[];
  disk_types: { id: string; name: string; system_size_gb: [number, number]; data_size_gb: [number, number]; yearly_monthly: boolean;
    zones: Record<string, string[]>; prices: Record<string, { month_minor_e4?: number; hour_minor_e4: number; iops_hour_minor_e4?: number; throughput_hour_minor_e4?: number }>;
    iops?: [number, number]; throughput_mib_s?: [number, number] }[];
  eip: { region: string; types: string[]; bandwidth_tiers: { up_to_mbit: number; month_minor_e4: number; hour_minor_e4: number }[];
    traffic_gb_minor_e4: number; ip_hour_minor_e4: number; ip_month_minor_e4: number }[];
}

export type Billing =
  | { mode: "yearly_monthly"; period_type: "month" | "year"; period_num: number; auto_renew?: boolean; auto_pay?: boolean }
  | { mode: "pay_per_use" };

/** A disk: `size` may be omitted on a system disk (the image's minimum); `iops`/`throughput` only for GPSSD2/ESSD2, pay-per-use. */
export interface DiskDraft {
  type: string;
  size?: number;
  shareable?: boolean;
  iops?: number;
  throughput?: number;
}

/** PER: a dedicated bandwidth (`size`, `charge_by`, and `name` for a standalone EIP); WHOLE: join the shared bandwidth `id`. */
export interface BandwidthDraft {
  share_type: "PER" | "WHOLE";
  size?: number;
  name?: string;
  charge_by?: "bandwidth" | "traffic";
  id?: string;
}

export interface EipDraft {
  type: string;
  /** Standalone EIPs only. */
  alias?: string;
  bandwidth: BandwidthDraft;
}

export interface EcsDraft {
  name: string;
  count?: number;
  flavor: string;
  image: string;
  vpc_id: string;
  subnet_id: string;
  security_group_ids?: string[];
  root_disk: DiskDraft;
  data_disks?: DiskDraft[];
  eip?: EipDraft;
  /** Exactly one of the two. */
  login: { key_name?: string; password?: string };
  /** `op_svc_userid` is required for key-pair login when yearly/monthly. */
  metadata?: Record<string, string>;
  tags?: { key: string; value: string }[];
}

export interface EvsDraft extends DiskDraft {
  name: string;
  count?: number;
}

/** An order draft: the section named by `service` is required, the others must be absent. */
export interface OrderDraft {
  customer_id: string;
  region: string;
  /** Required for ECS and EVS. */
  availability_zone?: string;
  service: "ecs" | "evs" | "eip";
  billing: Billing;
  ecs?: EcsDraft;
  evs?: EvsDraft;
  eip?: EipDraft;
}

/** The exact Huawei Cloud request. */
export interface HuaweiRequest {
  method: "POST";
  path: string;
  body: Record<string, unknown>;
}

export interface UnitPrice {
  minor_e4: number;
  currency: string;
  per: "month" | "hour" | "GB";
}

export interface QuoteLine {
  code: string;
  description: string;
  unit_price: UnitPrice;
  quantity: number;
  unit: string;
  periods: number;
  period_unit: "month" | "hour";
  amount: Money;
}

export interface UsagePrice {
  code: string;
  description: string;
  unit_price: UnitPrice;
}

export interface BudgetImpact {
  amount: Money;
  used: Money;
  remaining: Money;
  used_after: Money;
  usage_after_percent: number;
  level: 75 | 90 | 100 | null;
  blocked: boolean;
}

export interface Quote {
  customer_id: string;
  service: "ecs" | "evs" | "eip";
  region: string;
  billing: "yearly_monthly" | "pay_per_use";
  period: { type: "month" | "year"; num: number; billed_months: number } | null;
  currency: string;
  lines: QuoteLine[];
  usage_based: UsagePrice[];
  total: Money;
  hourly: UnitPrice | null;
  estimated_month: Money | null;
  budget: BudgetImpact | null;
  catalog_version: string;
  /** What priced `total`: the embedded catalog, or Huawei Cloud's price inquiry (ordering in Huawei Cloud). */
  price_source: 'catalog' | 'huawei';
}

/** The customer a quote is for: `budget` as `GET /v1/customers/{id}` returns it. */
export interface QuoteCustomer {
  id: string;
  budget?: (Budget & { usage_percent?: number }) | null;
}

export interface PreparedOrder {
  payload: HuaweiRequest;
  quote: Quote;
}
/** The grants a session relied on. */
export interface ReliedOn {
  distributor_permission: string | null;
  authorization: string | null;
}
/** An order placed on behalf, as every order route of the API returns it. */
export interface Order {
  order_id: string;
  customer_id: string;
  partner_id: string;
  service_type_code: string;
  region: string;
  source_type: 2;
  source: "placed by partner";
  status: 3 | 4 | 5 | 6;
  amount: Money;
  period_type: "month" | "year";
  period_num: number;
  placed_by: string;
  session_id: string;
  relied_on: ReliedOn;
  quote_id: string | null;
  created_at: Timestamp;
  payment_time: Timestamp | null;
}
/** A resource provisioned on behalf (View Resources). */
export interface Resource {
  resource_id: string;
  customer_id: string;
  resource_name: string;
  region_code: string;
  availability_zone_code: string | null;
  service_type_code: string;
  resource_type_code: string;
  resource_spec_code: string;
  billing: "pay_per_use" | "yearly_monthly";
  order_id: string | null;
  effective_time: Timestamp;
  expire_time: Timestamp | null;
  status: number;
  placed_by: string;
  session_id: string;
}
/** What `POST /v1/orders` answers (201 done; 202 while Huawei Cloud runs it or when in doubt). */
export interface OrderPlaced {
  order: Order | null;
  resources: Resource[];
  quote: Quote;
  request: HuaweiRequest;
  upstream: unknown;
  tracking: Placement | null;
}
/** A request sent to Huawei Cloud, followed to its end (`GET /v1/placements/{id}`). */
export interface Placement {
  id: string;
  state: 'in_doubt' | 'running' | 'succeeded' | 'failed';
  customer_id: string;
  order_id: string | null;
  region: string;
  watch: { kind: 'job'; service: string; job_id: string } | { kind: 'order'; order_id: string } | { kind: 'nothing' } | null;
  error_code: string | null;
  reason: string | null;
  checks: number;
  next_check_at: string;
  created_at: string;
  updated_at: string;
  calls: { call: string; status: number | null; request_id: string | null; at: string }[];
}
