-- Huawei Cloud for real (issue 12): the partner's access key, the customer's account and agency,
-- the temporary credentials of switch-role sessions, and the requests the tracker follows.

-- The partner's own Huawei Cloud access key. The secret is sealed (AES-256-GCM under VAULT_KEY,
-- bound to the partner's id) and never returned; `version` counts rotations.
CREATE TABLE partner_huawei_keys (
  partner_id     TEXT PRIMARY KEY REFERENCES partners(id),
  access_key_id  TEXT NOT NULL,
  secret_sealed  TEXT NOT NULL,
  -- The partner's own Huawei account name: what a customer names as the delegated account of its agency.
  account_name   TEXT,
  set_by         TEXT NOT NULL,
  set_at         TEXT NOT NULL,
  version        INTEGER NOT NULL
) WITHOUT ROWID;

-- The customer's Huawei account (domain) name and the agency it created in IAM for its partner.
ALTER TABLE customers ADD COLUMN huawei_domain_name TEXT;
ALTER TABLE customers ADD COLUMN huawei_agency_name TEXT;

-- A session's temporary credential from the assumed agency (sealed, bound to the session id), used
-- until a minute before it expires, and the customer's project ids found with it, by region.
CREATE TABLE session_credentials (
  session_id  TEXT PRIMARY KEY REFERENCES sessions(id),
  sealed      TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  projects    TEXT NOT NULL DEFAULT '{}'
) WITHOUT ROWID;

-- Create requests sent to Huawei that are still running (a job, an auto-paid order) or in doubt (sent,
-- no answer): the tracker (Queue consumer, Cron Trigger) follows each to succeeded or failed. `id` is
-- the X-Client-Token. The request is sealed (an ECS request may carry the login password).
CREATE TABLE upstream_tracking (
  id               TEXT PRIMARY KEY,
  partner_id       TEXT NOT NULL REFERENCES partners(id),
  customer_id      TEXT NOT NULL REFERENCES customers(id),
  session_id       TEXT NOT NULL,
  placed_by        TEXT NOT NULL,
  permission_id    TEXT,
  authorization_id TEXT,
  quote_id         TEXT,
  idempotency_key  TEXT NOT NULL,
  region           TEXT NOT NULL,
  project_id       TEXT NOT NULL,
  path             TEXT NOT NULL,
  paid             INTEGER NOT NULL,
  amount_minor     INTEGER NOT NULL,
  currency         TEXT NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('in_doubt', 'running', 'succeeded', 'failed')),
  watch            TEXT,
  order_id         TEXT,
  draft            TEXT NOT NULL,
  request_sealed   TEXT NOT NULL,
  answer           TEXT,
  error_code       TEXT,
  reason           TEXT,
  checks           INTEGER NOT NULL DEFAULT 0,
  next_check_at    TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  calls            TEXT NOT NULL DEFAULT '[]',
  UNIQUE (partner_id, customer_id, idempotency_key)
);
CREATE INDEX upstream_tracking_open ON upstream_tracking(next_check_at) WHERE state IN ('in_doubt', 'running');
CREATE INDEX upstream_tracking_order ON upstream_tracking(order_id);
