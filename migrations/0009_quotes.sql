-- Quotes: a priced draft whose price holds for 15 minutes; an order will cite one (issue 5).
CREATE TABLE quotes (
  id              TEXT PRIMARY KEY,
  partner_id      TEXT NOT NULL REFERENCES partners(id),
  user_id         TEXT NOT NULL,
  customer_id     TEXT NOT NULL REFERENCES customers(id),
  -- The draft without the login password (never stored), and the hash of the draft as received.
  draft           TEXT NOT NULL,
  draft_sha256    TEXT NOT NULL,
  quote           TEXT NOT NULL,
  total_minor     INTEGER NOT NULL,
  currency        TEXT NOT NULL,
  catalog_version TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  expires_at      TEXT NOT NULL
);
CREATE INDEX quotes_partner_customer ON quotes(partner_id, customer_id, created_at);
