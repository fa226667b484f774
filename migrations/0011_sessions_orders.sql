-- Switch-role sessions, idempotency keys, orders placed on behalf and provisioned resources.
CREATE TABLE sessions (
  id               TEXT PRIMARY KEY,
  customer_id      TEXT NOT NULL REFERENCES customers(id),
  partner_id       TEXT NOT NULL REFERENCES partners(id),
  source_user_id   TEXT NOT NULL REFERENCES partner_users(id),
  source_role      TEXT NOT NULL,
  permission_id    TEXT,
  authorization_id TEXT,
  started_at       TEXT NOT NULL,
  expires_at       TEXT NOT NULL,
  ended_at         TEXT,
  end_reason       TEXT
);
CREATE INDEX sessions_partner ON sessions(partner_id, started_at);

-- One row per (partner, customer, key): the first request inserts it `in_flight`; the batch that
-- writes the order marks it `done` with the answer to replay.
CREATE TABLE idempotency_keys (
  partner_id   TEXT NOT NULL,
  customer_id  TEXT NOT NULL,
  key          TEXT NOT NULL,
  fingerprint  TEXT NOT NULL,
  state        TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
  status       INTEGER,
  body         TEXT,
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  PRIMARY KEY (partner_id, customer_id, key)
) WITHOUT ROWID;

CREATE TABLE orders (
  order_id          TEXT PRIMARY KEY,
  customer_id       TEXT NOT NULL REFERENCES customers(id),
  partner_id        TEXT NOT NULL REFERENCES partners(id),
  service_type_code TEXT NOT NULL,
  region            TEXT NOT NULL,
  status            INTEGER NOT NULL CHECK (status IN (3, 4, 5, 6)),
  amount_minor      INTEGER NOT NULL,
  currency          TEXT NOT NULL,
  period_type       TEXT NOT NULL,
  period_num        INTEGER NOT NULL,
  placed_by         TEXT NOT NULL,
  session_id        TEXT NOT NULL REFERENCES sessions(id),
  permission_id     TEXT,
  authorization_id  TEXT,
  quote_id          TEXT,
  idempotency_key   TEXT NOT NULL,
  created_at        TEXT NOT NULL,
  payment_time      TEXT,
  -- The draft (login password removed), the exact request sent upstream and its answer.
  draft             TEXT NOT NULL,
  request           TEXT NOT NULL,
  upstream          TEXT NOT NULL,
  -- The database itself holds one key to one order, whatever the interleaving.
  UNIQUE (partner_id, customer_id, idempotency_key)
);
CREATE INDEX orders_partner_created ON orders(partner_id, created_at);
CREATE INDEX orders_customer_created ON orders(customer_id, created_at);

CREATE TABLE resources (
  resource_id            TEXT PRIMARY KEY,
  customer_id            TEXT NOT NULL REFERENCES customers(id),
  partner_id             TEXT NOT NULL REFERENCES partners(id),
  resource_name          TEXT NOT NULL,
  region_code            TEXT NOT NULL,
  availability_zone_code TEXT,
  service_type_code      TEXT NOT NULL,
  resource_type_code     TEXT NOT NULL,
  resource_spec_code     TEXT NOT NULL,
  billing                TEXT NOT NULL CHECK (billing IN ('pay_per_use', 'yearly_monthly')),
  order_id               TEXT,
  effective_time         TEXT NOT NULL,
  expire_time            TEXT,
  status                 INTEGER NOT NULL,
  placed_by              TEXT NOT NULL,
  session_id             TEXT NOT NULL,
  idempotency_key        TEXT NOT NULL
);
CREATE INDEX resources_customer ON resources(customer_id, billing, effective_time);

-- A write batch inserts one row here to assert a condition (e.g. the budget still has room): the
-- CHECK fails the statement, and with it the whole batch, when the condition is false. The batch's
-- last statement deletes the row.
CREATE TABLE guards (ok INTEGER NOT NULL CHECK (ok = 1));
