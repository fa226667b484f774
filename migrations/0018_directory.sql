-- The customer directory from Huawei Cloud (issue 13): sync runs, what each customer's last sync saw,
-- customers no longer listed (marked, never deleted: their orders and audit history stay), and an
-- account manager assigned in onbehalf (kept over Huawei's).

ALTER TABLE customers ADD COLUMN seen_sync TEXT;
ALTER TABLE customers ADD COLUMN gone_at TEXT;
ALTER TABLE customers ADD COLUMN manager_set_here INTEGER NOT NULL DEFAULT 0 CHECK (manager_set_here IN (0, 1));
CREATE INDEX customers_partner_seen ON customers(partner_id, seen_sync);

-- One row per sync run. At most one running run per partner (the partial unique index): starting a
-- sync while one runs joins it. `cursor` is the next entry of Huawei's list to read; each step moves
-- it in the same batch that writes the step's customers, guarded by the cursor it started from.
CREATE TABLE directory_syncs (
  id           TEXT PRIMARY KEY,
  partner_id   TEXT NOT NULL REFERENCES partners(id),
  state        TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
  trigger      TEXT NOT NULL CHECK (trigger IN ('api', 'cron')),
  started_by   TEXT,
  cursor       INTEGER NOT NULL DEFAULT 0,
  total        INTEGER,
  added        INTEGER NOT NULL DEFAULT 0,
  changed      INTEGER NOT NULL DEFAULT 0,
  unchanged    INTEGER NOT NULL DEFAULT 0,
  unreadable   INTEGER NOT NULL DEFAULT 0,
  deferred     INTEGER NOT NULL DEFAULT 0,
  marked       INTEGER NOT NULL DEFAULT 0,
  pages        INTEGER NOT NULL DEFAULT 0,
  calls        INTEGER NOT NULL DEFAULT 0,
  failures     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT,
  marking      TEXT,
  started_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  next_at      TEXT NOT NULL,
  finished_at  TEXT
);
CREATE UNIQUE INDEX directory_syncs_running ON directory_syncs(partner_id) WHERE state = 'running';
CREATE INDEX directory_syncs_partner ON directory_syncs(partner_id, started_at);

-- The account manager index (0005) inserted with OR IGNORE, but inside an upsert's DO UPDATE the
-- outer statement's conflict handling wins and a known name aborts the write: insert only names
-- not there yet.
DROP TRIGGER customers_managers_ai;
DROP TRIGGER customers_managers_au;
CREATE TRIGGER customers_managers_ai AFTER INSERT ON customers
  WHEN new.manager_fold IS NOT NULL AND NOT EXISTS (SELECT 1 FROM account_managers WHERE name_fold = new.manager_fold) BEGIN
  INSERT OR IGNORE INTO account_managers VALUES (new.manager_fold);
END;
CREATE TRIGGER customers_managers_au AFTER UPDATE OF manager_fold ON customers
  WHEN new.manager_fold IS NOT NULL AND NOT EXISTS (SELECT 1 FROM account_managers WHERE name_fold = new.manager_fold) BEGIN
  INSERT OR IGNORE INTO account_managers VALUES (new.manager_fold);
END;
