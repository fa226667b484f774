"""Bytes per row of onbehalf's tables, each with all its indexes (customers with their FTS5 name
indexes and tags), from a local D1 SQLite file (SQLite's dbstat). docs/scale.md reads these.

usage: python3 scripts/db-bytes.py .state/<worker>/d1/v3/d1/miniflare-D1DatabaseObject/<hash>.sqlite
"""
import sqlite3
import sys

path = sys.argv[1]
c = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
btrees = {}
for table, name in c.execute("SELECT tbl_name, name FROM sqlite_schema WHERE type IN ('table', 'index')"):
    btrees.setdefault(table, []).append(name)
for t in ["customers", "orders", "resources", "audit_events", "idempotency_keys", "sessions", "outbox", "authorizations"]:
    names = list(btrees.get(t, []))
    if t == "customers":
        names += [n for tt, ns in btrees.items() if tt.startswith(("customer_search", "customer_bigrams")) or tt == "customer_tags" for n in ns]
    marks = ",".join("?" * len(names))
    payload, pages = c.execute(f"SELECT sum(payload) + sum(ncell) * 8, sum(pgsize) FROM dbstat WHERE name IN ({marks})", names).fetchone()
    n = c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
    if n:
        print(f"{t:18} rows {n:7}  payload+cells {payload / n:7.0f} B/row  pages {pages / n:7.0f} B/row  ({len(names)} b-trees)")
