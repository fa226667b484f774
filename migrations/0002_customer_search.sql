-- Customer Management search: folded text for "contains", mobile search keys (never the number),
-- budget usage as a column, and the indexes the 12 filters and the sorts use.

-- Lowercased (Unicode) copies written by the application with the same fold() the browser uses.
ALTER TABLE customers ADD COLUMN real_fold TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN account_fold TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN manager_fold TEXT;
-- Hex SHA-256 of the national digits, and of country code + national digits.
ALTER TABLE customers ADD COLUMN mobile_key TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN mobile_full_key TEXT NOT NULL DEFAULT '';
-- Whole percent, rounded down; a zero budget is 100 %; NULL without a budget (as Budget::usage_percent).
ALTER TABLE customers ADD COLUMN budget_usage INTEGER GENERATED ALWAYS AS (
  CASE WHEN budget_amount_minor IS NULL THEN NULL
       WHEN budget_amount_minor <= 0 THEN 100
       ELSE COALESCE(budget_used_minor, 0) * 100 / budget_amount_minor END) VIRTUAL;

CREATE INDEX customers_mobile_key ON customers(mobile_key);
CREATE INDEX customers_mobile_full_key ON customers(mobile_full_key);
CREATE INDEX customers_partner_spend ON customers(partner_id, mtd_spend_minor);
CREATE INDEX customers_partner_expiry ON customers(partner_id, earliest_expiry);
CREATE INDEX customers_partner_usage ON customers(partner_id, budget_usage);
CREATE INDEX customers_partner_manager ON customers(partner_id, account_manager);
CREATE INDEX customers_partner_frozen ON customers(partner_id, frozen, auto_frozen);

-- Substring search on the folded names: the trigram tokenizer answers MATCH on 3+ characters
-- through its index instead of scanning every row. Kept in sync by triggers.
CREATE VIRTUAL TABLE customer_search USING fts5(
  real_fold, account_fold, manager_fold,
  content = 'customers', content_rowid = 'rowid', tokenize = 'trigram case_sensitive 1');

CREATE TRIGGER customers_search_ai AFTER INSERT ON customers BEGIN
  INSERT INTO customer_search(rowid, real_fold, account_fold, manager_fold) VALUES (new.rowid, new.real_fold, new.account_fold, new.manager_fold);
END;
CREATE TRIGGER customers_search_ad AFTER DELETE ON customers BEGIN
  INSERT INTO customer_search(customer_search, rowid, real_fold, account_fold, manager_fold) VALUES ('delete', old.rowid, old.real_fold, old.account_fold, old.manager_fold);
END;
CREATE TRIGGER customers_search_au AFTER UPDATE OF real_fold, account_fold, manager_fold ON customers BEGIN
  INSERT INTO customer_search(customer_search, rowid, real_fold, account_fold, manager_fold) VALUES ('delete', old.rowid, old.real_fold, old.account_fold, old.manager_fold);
  INSERT INTO customer_search(rowid, real_fold, account_fold, manager_fold) VALUES (new.rowid, new.real_fold, new.account_fold, new.manager_fold);
END;
