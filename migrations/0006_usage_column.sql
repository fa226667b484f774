-- Budget usage as a stored column kept by triggers: D1's SQLite reads the table row for an index on a
-- VIRTUAL generated column, so counting "usage >= 90 %" visited every match. Same formula as
-- Budget::usage_percent: whole percent rounded down, a zero budget is 100 %, NULL without a budget.
DROP INDEX customers_partner_usage;
DROP INDEX customers_usage;
ALTER TABLE customers ADD COLUMN usage_pct INTEGER;
UPDATE customers SET usage_pct = budget_usage;
CREATE TRIGGER customers_usage_ai AFTER INSERT ON customers BEGIN
  UPDATE customers SET usage_pct = new.budget_usage WHERE rowid = new.rowid;
END;
CREATE TRIGGER customers_usage_au AFTER UPDATE OF budget_amount_minor, budget_used_minor ON customers BEGIN
  UPDATE customers SET usage_pct = new.budget_usage WHERE rowid = new.rowid;
END;
CREATE INDEX customers_partner_usage ON customers(partner_id, usage_pct, associated_on);
CREATE INDEX customers_usage ON customers(usage_pct, id);
-- Range filters also carry the default sort key, so the first page needs no table reads.
DROP INDEX customers_partner_spend;
CREATE INDEX customers_partner_spend ON customers(partner_id, mtd_spend_minor, associated_on);
DROP INDEX customers_partner_expiry;
CREATE INDEX customers_partner_expiry ON customers(partner_id, earliest_expiry, associated_on);
