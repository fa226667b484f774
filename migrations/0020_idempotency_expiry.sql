-- The retention sweep (Cron Trigger, src/sql/retention.rs) deletes Idempotency-Key rows past their
-- retention a chunk at a time: by this index, never by scanning the keys.
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
