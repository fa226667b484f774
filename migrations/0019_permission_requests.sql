-- A reseller's requests to its distributor for order placement / O&M permission (the remedy behind
-- "ask your distributor"). At most one open request per reseller and customer (or "all customers",
-- customer_id NULL): the insert itself holds it (INSERT … WHERE NOT EXISTS), this index is the backstop.
CREATE TABLE permission_requests (
  id TEXT PRIMARY KEY,
  reseller_id TEXT NOT NULL REFERENCES partners(id),
  distributor_id TEXT NOT NULL REFERENCES partners(id),
  customer_id TEXT REFERENCES customers(id),
  capabilities TEXT NOT NULL,
  note TEXT,
  requested_by TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'granted', 'declined', 'withdrawn')),
  decided_at TEXT,
  decided_by TEXT,
  reason TEXT,
  permission_id TEXT -- the grant that answered it (written in the same batch as that grant)
);
CREATE UNIQUE INDEX permission_requests_one_open ON permission_requests (reseller_id, COALESCE(customer_id, '*')) WHERE status = 'open';
CREATE INDEX permission_requests_distributor ON permission_requests (distributor_id, status, requested_at);
