-- Issue 16: the outbox is delivered. A partner's channels (Huawei Cloud SMS, an email API, its own
-- webhook), each with its secret sealed as the Huawei key is; every message gets a route (`via`), a
-- status and its attempts. Messages recorded before this migration stay in the dev outbox (`held`).
CREATE TABLE message_channels (
  partner_id     TEXT NOT NULL REFERENCES partners(id),
  kind           TEXT NOT NULL CHECK (kind IN ('sms', 'email', 'webhook')),
  config         TEXT NOT NULL,             -- JSON, no secret (crate::delivery::*Config)
  secret_sealed  TEXT NOT NULL,             -- the app secret, API key or signing secret, sealed
  secret_hint    TEXT NOT NULL,             -- its last four characters (webhook: the key id)
  version        INTEGER NOT NULL DEFAULT 1,
  set_by         TEXT NOT NULL,
  set_at         TEXT NOT NULL,
  PRIMARY KEY (partner_id, kind)
);

ALTER TABLE outbox ADD COLUMN partner_id TEXT;
ALTER TABLE outbox ADD COLUMN authorization_id TEXT;
ALTER TABLE outbox ADD COLUMN via TEXT NOT NULL DEFAULT 'dev_outbox'
  CHECK (via IN ('huawei_sms', 'email_api', 'webhook', 'dev_outbox'));
ALTER TABLE outbox ADD COLUMN status TEXT NOT NULL DEFAULT 'held'
  CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'held'));
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
-- When a queued message is due, or when a sending one's lease runs out.
ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
ALTER TABLE outbox ADD COLUMN provider_id TEXT;
ALTER TABLE outbox ADD COLUMN sent_at TEXT;
ALTER TABLE outbox ADD COLUMN delivered_at TEXT;
-- The whole message sealed for delivery (outside dev mode `body` keeps it redacted); NULL once the
-- message is sent or failed.
ALTER TABLE outbox ADD COLUMN sealed TEXT;

CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE status IN ('queued', 'sending');
CREATE INDEX outbox_authorization ON outbox(authorization_id, created_at);
