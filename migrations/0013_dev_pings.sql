-- Rows written by the dev-only POST /v1/dev/ping: the "trivial D1 insert" that make bench sets the
-- ordering throughput against.
CREATE TABLE dev_pings (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  at         TEXT NOT NULL,
  request_id TEXT NOT NULL
);
