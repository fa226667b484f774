-- Name searches of 3+ characters at 100k customers: the trigram index kept every trigram's
-- positions so that MATCH could test a phrase ("trading" = tra, rad, adi, din, ing in a row), and a
-- common word read and merged five long position lists (tag + name sorted by spend: ~8 ms of the
-- page). Without positions (detail = column) the lists are about half as long; the query asks for a
-- few of the needle's trigrams and `instr` on the row keeps the exact matches (src/sql/customers.rs).
DROP TRIGGER customers_search_ai;
DROP TRIGGER customers_search_ad;
DROP TRIGGER customers_search_au;
DROP TABLE customer_search;
CREATE VIRTUAL TABLE customer_search USING fts5(
  real_fold, account_fold, tag_text,
  content = 'customers', content_rowid = 'rowid', tokenize = 'trigram case_sensitive 1', detail = 'column');
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
