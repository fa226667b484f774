-- Tag + name at 100k: a name filter and a tag filter each matched thousands of customers and the
-- query intersected them row by row. Put the customer's tags in the trigram index too, as
-- "|tag|" tokens (the bars make a phrase match an exact tag), so FTS5 intersects both in its index.
ALTER TABLE customers ADD COLUMN tag_text TEXT NOT NULL DEFAULT '';
UPDATE customers SET tag_text = coalesce((SELECT group_concat('|' || tag || '|', ' ') FROM (SELECT tag FROM customer_tags t WHERE t.customer_id = customers.id ORDER BY tag)), '');
CREATE TRIGGER customer_tags_text_ai AFTER INSERT ON customer_tags BEGIN
  UPDATE customers SET tag_text = coalesce((SELECT group_concat('|' || tag || '|', ' ') FROM (SELECT tag FROM customer_tags t WHERE t.customer_id = NEW.customer_id ORDER BY tag)), '') WHERE id = NEW.customer_id;
END;
CREATE TRIGGER customer_tags_text_ad AFTER DELETE ON customer_tags BEGIN
  UPDATE customers SET tag_text = coalesce((SELECT group_concat('|' || tag || '|', ' ') FROM (SELECT tag FROM customer_tags t WHERE t.customer_id = OLD.customer_id ORDER BY tag)), '') WHERE id = OLD.customer_id;
END;

DROP TRIGGER customers_search_ai;
DROP TRIGGER customers_search_ad;
DROP TRIGGER customers_search_au;
DROP TABLE customer_search;
CREATE VIRTUAL TABLE customer_search USING fts5(
  real_fold, account_fold, tag_text,
  content = 'customers', content_rowid = 'rowid', tokenize = 'trigram case_sensitive 1');
INSERT INTO customer_search(customer_search) VALUES ('rebuild');
CREATE TRIGGER customers_search_ai AFTER INSERT ON customers BEGIN
  INSERT INTO customer_search(rowid, real_fold, account_fold, tag_text) VALUES (new.rowid, new.real_fold, new.account_fold, new.tag_text);
END;
CREATE TRIGGER customers_search_ad AFTER DELETE ON customers BEGIN
  INSERT INTO customer_search(customer_search, rowid, real_fold, account_fold, tag_text) VALUES ('delete', old.rowid, old.real_fold, old.account_fold, old.tag_text);
END;
CREATE TRIGGER customers_search_au AFTER UPDATE OF real_fold, account_fold, tag_text ON customers BEGIN
  INSERT INTO customer_search(customer_search, rowid, real_fold, account_fold, tag_text) VALUES ('delete', old.rowid, old.real_fold, old.account_fold, old.tag_text);
  INSERT INTO customer_search(rowid, real_fold, account_fold, tag_text) VALUES (new.rowid, new.real_fold, new.account_fold, new.tag_text);
END;
