-- onbehalf schema v1. Times are RFC 3339 UTC text ("2026-11-26T04:54:28Z"), which sorts correctly
-- as text. Money is integer minor units with a currency column.

CREATE TABLE partners (
  id              TEXT PRIMARY KEY,                       -- 32 lowercase hex
  kind            TEXT NOT NULL CHECK (kind IN ('distributor', 'reseller')),
  name            TEXT NOT NULL,
  distributor_id  TEXT REFERENCES partners(id),           -- set for resellers only
  created_at      TEXT NOT NULL,
  CHECK ((kind = 'reseller') = (distributor_id IS NOT NULL))
);
CREATE INDEX partners_distributor ON partners(distributor_id);

CREATE TABLE partner_users (
  id          TEXT PRIMARY KEY,                           -- usr_ + 24 hex
  partner_id  TEXT NOT NULL REFERENCES partners(id),
  name        TEXT NOT NULL,
  email       TEXT NOT NULL,
  role        TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
  created_at  TEXT NOT NULL
);
CREATE INDEX partner_users_partner ON partner_users(partner_id);

CREATE TABLE api_keys (
  id          TEXT PRIMARY KEY,                           -- key_ + 24 hex (public)
  user_id     TEXT NOT NULL REFERENCES partner_users(id),
  key_hash    TEXT NOT NULL UNIQUE,                       -- hex SHA-256 of the secret; the secret is never stored
  label       TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  revoked_at  TEXT
);
CREATE INDEX api_keys_user ON api_keys(user_id);

CREATE TABLE customers (
  id                    TEXT PRIMARY KEY,                 -- 32 lowercase hex (Huawei customer_id)
  partner_id            TEXT NOT NULL REFERENCES partners(id),
  association_type      TEXT NOT NULL CHECK (association_type IN ('1', '3')),
  associated_on         TEXT NOT NULL,
  account_name          TEXT NOT NULL,
  real_name             TEXT NOT NULL,
  mobile_country_code   TEXT NOT NULL,
  mobile                TEXT NOT NULL,
  email                 TEXT NOT NULL,
  account_manager       TEXT,
  verified_status       INTEGER NOT NULL CHECK (verified_status BETWEEN -1 AND 3),
  customer_type         INTEGER NOT NULL CHECK (customer_type BETWEEN -1 AND 1),
  level                 TEXT NOT NULL,
  frozen                INTEGER NOT NULL DEFAULT 0 CHECK (frozen IN (0, 1)),
  auto_frozen           INTEGER NOT NULL DEFAULT 0 CHECK (auto_frozen IN (0, 1)),
  frozen_reason         TEXT,
  currency              TEXT NOT NULL,
  budget_type           TEXT CHECK (budget_type IN ('monthly', 'one_time')),
  budget_amount_minor   INTEGER,
  budget_used_minor     INTEGER,
  budget_auto_freeze    INTEGER NOT NULL DEFAULT 0 CHECK (budget_auto_freeze IN (0, 1)),
  mtd_spend_minor       INTEGER NOT NULL DEFAULT 0,
  earliest_expiry       TEXT,
  created_at            TEXT NOT NULL,
  CHECK ((budget_type IS NULL) = (budget_amount_minor IS NULL)),
  CHECK (auto_frozen = 0 OR frozen = 1)
);
CREATE INDEX customers_partner ON customers(partner_id, associated_on);

CREATE TABLE customer_tags (
  customer_id  TEXT NOT NULL REFERENCES customers(id),
  tag          TEXT NOT NULL,
  PRIMARY KEY (customer_id, tag)
) WITHOUT ROWID;
CREATE INDEX customer_tags_tag ON customer_tags(tag);

-- A distributor's permission for a reseller; customer_id NULL = all the reseller's reseller-mode customers.
-- Immutable once granted except for revocation.
CREATE TABLE distributor_permissions (
  id              TEXT PRIMARY KEY,                       -- perm_ + 24 hex
  distributor_id  TEXT NOT NULL REFERENCES partners(id),
  reseller_id     TEXT NOT NULL REFERENCES partners(id),
  customer_id     TEXT REFERENCES customers(id),
  capabilities    TEXT NOT NULL,                          -- "order,om"
  granted_by      TEXT REFERENCES partner_users(id),
  granted_at      TEXT NOT NULL,
  valid_until     TEXT,
  revoked_at      TEXT,
  revoked_by      TEXT REFERENCES partner_users(id),
  revoke_reason   TEXT
);
CREATE INDEX distributor_permissions_reseller ON distributor_permissions(reseller_id, customer_id);
CREATE INDEX distributor_permissions_distributor ON distributor_permissions(distributor_id, granted_at);

-- A customer's authorization of a partner, from request to decision (and revocation).
CREATE TABLE authorizations (
  id                  TEXT PRIMARY KEY,                   -- auth_ + 24 hex
  partner_id          TEXT NOT NULL REFERENCES partners(id),
  customer_id         TEXT NOT NULL REFERENCES customers(id),
  capabilities        TEXT NOT NULL,
  requested_by        TEXT REFERENCES partner_users(id),
  requested_at        TEXT NOT NULL,
  valid_days          INTEGER NOT NULL CHECK (valid_days BETWEEN 1 AND 365),
  status              TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn', 'revoked')),
  decided_at          TEXT,
  expires_at          TEXT,
  revoked_at          TEXT,
  reason              TEXT,
  consent_token_hash  TEXT NOT NULL UNIQUE,
  code_hash           TEXT NOT NULL,
  code_expires_at     TEXT NOT NULL,
  code_attempts       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX authorizations_customer ON authorizations(customer_id, partner_id, requested_at);
-- At most one pending request per partner and customer, enforced by the database as well.
CREATE UNIQUE INDEX authorizations_one_pending ON authorizations(partner_id, customer_id) WHERE status = 'pending';

CREATE TABLE outbox (
  id           TEXT PRIMARY KEY,                          -- msg_ + 24 hex
  created_at   TEXT NOT NULL,
  customer_id  TEXT REFERENCES customers(id),
  channel      TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  recipient    TEXT NOT NULL,
  subject      TEXT NOT NULL,
  body         TEXT NOT NULL,
  request_id   TEXT NOT NULL
);
CREATE INDEX outbox_customer ON outbox(customer_id, created_at);

CREATE TABLE audit_events (
  seq            INTEGER PRIMARY KEY AUTOINCREMENT,
  at             TEXT NOT NULL,
  request_id     TEXT NOT NULL,
  actor_kind     TEXT NOT NULL CHECK (actor_kind IN ('partner_user', 'customer')),
  actor_user_id  TEXT,
  partner_id     TEXT,
  customer_id    TEXT,
  action         TEXT NOT NULL,
  target_id      TEXT,
  detail         TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_partner ON audit_events(partner_id, seq);
CREATE INDEX audit_events_customer ON audit_events(customer_id, seq);
