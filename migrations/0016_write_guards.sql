-- Preconditions enforced by the write itself (issue: state changes under concurrency).
--
-- 1. Guards name what failed. A write batch inserts one row per precondition, (code, ok); a false
--    condition fails its named CHECK, and with it the whole batch (D1 batches are transactions).
--    The error text carries the constraint's name ("CHECK constraint failed: <code>"), which the
--    worker turns back into that error code. The batch's last statement empties the table.
DROP TABLE guards;
CREATE TABLE guards (
  code TEXT NOT NULL,
  ok   INTEGER NOT NULL,
  CONSTRAINT budget_would_be_exceeded       CHECK (code <> 'budget_would_be_exceeded' OR ok = 1),
  CONSTRAINT order_not_pending_payment      CHECK (code <> 'order_not_pending_payment' OR ok = 1),
  CONSTRAINT session_ended                  CHECK (code <> 'session_ended' OR ok = 1),
  CONSTRAINT unauthenticated                CHECK (code <> 'unauthenticated' OR ok = 1),
  CONSTRAINT customer_auto_frozen           CHECK (code <> 'customer_auto_frozen' OR ok = 1),
  CONSTRAINT customer_frozen                CHECK (code <> 'customer_frozen' OR ok = 1),
  CONSTRAINT distributor_permission_revoked CHECK (code <> 'distributor_permission_revoked' OR ok = 1),
  CONSTRAINT authorization_revoked          CHECK (code <> 'authorization_revoked' OR ok = 1),
  CONSTRAINT rate_limited                   CHECK (code <> 'rate_limited' OR ok = 1),
  CONSTRAINT guard_failed                   CHECK (ok = 1)
);

-- 2. A session remembers the credential that started it (an API key or a portal token); revoking
--    that credential ends the session in the same batch (end_reason 'credential_revoked').
ALTER TABLE sessions ADD COLUMN credential_kind TEXT;
ALTER TABLE sessions ADD COLUMN credential_id TEXT;
CREATE INDEX sessions_credential ON sessions(credential_id) WHERE ended_at IS NULL;

-- 3. Portal tokens remember the API key that minted them (revoking the key stops them) and can be
--    revoked on their own.
ALTER TABLE portal_tokens ADD COLUMN api_key_id TEXT;
ALTER TABLE portal_tokens ADD COLUMN revoked_at TEXT;
CREATE INDEX portal_tokens_key ON portal_tokens(api_key_id);

-- 4. Consent codes: every guess is claimed (counted) before it is compared, per code and over the
--    request's life; a request can send at most a few codes; too many wrong guesses lock it
--    (status 'locked', the partner must ask again). The status CHECK gains 'locked', so the table is
--    rebuilt (nothing references it by foreign key).
CREATE TABLE authorizations_next (
  id                  TEXT PRIMARY KEY,
  partner_id          TEXT NOT NULL REFERENCES partners(id),
  customer_id         TEXT NOT NULL REFERENCES customers(id),
  capabilities        TEXT NOT NULL,
  requested_by        TEXT REFERENCES partner_users(id),
  requested_at        TEXT NOT NULL,
  valid_days          INTEGER NOT NULL CHECK (valid_days BETWEEN 1 AND 365),
  status              TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn', 'revoked', 'locked')),
  decided_at          TEXT,
  expires_at          TEXT,
  revoked_at          TEXT,
  reason              TEXT,
  consent_token_hash  TEXT NOT NULL UNIQUE,
  code_hash           TEXT NOT NULL,
  code_expires_at     TEXT NOT NULL,
  code_attempts       INTEGER NOT NULL DEFAULT 0,   -- guesses claimed against the current code
  codes_sent          INTEGER NOT NULL DEFAULT 1,   -- codes sent for this request (the first included)
  guesses             INTEGER NOT NULL DEFAULT 0,   -- guesses claimed over the request's life
  wrong_guesses       INTEGER NOT NULL DEFAULT 0    -- of which wrong
);
INSERT INTO authorizations_next (id, partner_id, customer_id, capabilities, requested_by, requested_at, valid_days, status, decided_at, expires_at,
  revoked_at, reason, consent_token_hash, code_hash, code_expires_at, code_attempts, codes_sent, guesses, wrong_guesses)
SELECT id, partner_id, customer_id, capabilities, requested_by, requested_at, valid_days, status, decided_at, expires_at,
  revoked_at, reason, consent_token_hash, code_hash, code_expires_at, code_attempts, 1, code_attempts, code_attempts
FROM authorizations;
DROP TABLE authorizations;
ALTER TABLE authorizations_next RENAME TO authorizations;
CREATE INDEX authorizations_customer ON authorizations(customer_id, partner_id, requested_at);
CREATE UNIQUE INDEX authorizations_one_pending ON authorizations(partner_id, customer_id) WHERE status = 'pending';
CREATE INDEX authorizations_partner_status ON authorizations(partner_id, status, customer_id);
