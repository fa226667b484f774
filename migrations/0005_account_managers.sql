-- Account manager search: few distinct managers serve many customers, so "contains" first finds the
-- matching names in this small table, then walks (partner_id, manager_fold) for exactly those names.
CREATE TABLE account_managers (name_fold TEXT PRIMARY KEY) WITHOUT ROWID;
INSERT OR IGNORE INTO account_managers SELECT DISTINCT manager_fold FROM customers WHERE manager_fold IS NOT NULL;
CREATE TRIGGER customers_managers_ai AFTER INSERT ON customers WHEN new.manager_fold IS NOT NULL BEGIN
  INSERT OR IGNORE INTO account_managers VALUES (new.manager_fold);
END;
CREATE TRIGGER customers_managers_au AFTER UPDATE OF manager_fold ON customers WHEN new.manager_fold IS NOT NULL BEGIN
  INSERT OR IGNORE INTO account_managers VALUES (new.manager_fold);
END;
CREATE INDEX customers_partner_manager_fold ON customers(partner_id, manager_fold);

-- Membership tests by id (tags) also read the scope and the default sort key from the index alone.
DROP INDEX customers_id_partner;
CREATE INDEX customers_id_partner ON customers(id, partner_id, associated_on);
