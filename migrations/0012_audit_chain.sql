-- The audit trail as a hash chain: each event stores the previous event's hash and its own,
-- hex(SHA-256(prev_hash + "\n" + JSON of its columns)) (audit::link_hash). Events are sealed in seq
-- order right after the request that wrote them; GET /v1/audit/verify recomputes the chain.
ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_events ADD COLUMN hash TEXT;
CREATE INDEX audit_events_unsealed ON audit_events(hash, seq);
