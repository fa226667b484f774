-- Account managers are searched through account_managers (0005); their columns in the two text
-- indexes were only maintenance cost. Rebuild both indexes with the name columns alone.
DROP TRIGGER customers_search_ai;
DROP TRIGGER customers_search_ad;
DROP TRIGGER customers_search_au;
DROP TABLE customer_search;
CREATE VIRTUAL TABLE customer_search USING fts5(
  real_fold, account_fold,
  content = 'customers', content_rowid = 'rowid', tokenize = 'trigram case_sensitive 1');
INSERT INTO customer_search(customer_search) VALUES ('rebuild');
CREATE TRIGGER customers_search_ai AFTER INSERT ON customers BEGIN
  INSERT INTO customer_search(rowid, real_fold, account_fold) VALUES (new.rowid, new.real_fold, new.account_fold);
END;
CREATE TRIGGER customers_search_ad AFTER DELETE ON customers BEGIN
  INSERT INTO customer_search(customer_search, rowid, real_fold, account_fold) VALUES ('delete', old.rowid, old.real_fold, old.account_fold);
END;
CREATE TRIGGER customers_search_au AFTER UPDATE OF real_fold, account_fold ON customers BEGIN
  INSERT INTO customer_search(customer_search, rowid, real_fold, account_fold) VALUES ('delete', old.rowid, old.real_fold, old.account_fold);
  INSERT INTO customer_search(rowid, real_fold, account_fold) VALUES (new.rowid, new.real_fold, new.account_fold);
END;

DROP TRIGGER customers_bigrams_ai;
DROP TRIGGER customers_bigrams_ad;
DROP TRIGGER customers_bigrams_au;
DROP TABLE customer_bigrams;
ALTER TABLE customers DROP COLUMN manager_bigrams;
CREATE VIRTUAL TABLE customer_bigrams USING fts5(
  real_bigrams, account_bigrams,
  content = 'customers', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 0');
INSERT INTO customer_bigrams(customer_bigrams) VALUES ('rebuild');
CREATE TRIGGER customers_bigrams_ai AFTER INSERT ON customers BEGIN
  INSERT INTO customer_bigrams(rowid, real_bigrams, account_bigrams) VALUES (new.rowid, new.real_bigrams, new.account_bigrams);
END;
CREATE TRIGGER customers_bigrams_ad AFTER DELETE ON customers BEGIN
  INSERT INTO customer_bigrams(customer_bigrams, rowid, real_bigrams, account_bigrams) VALUES ('delete', old.rowid, old.real_bigrams, old.account_bigrams);
END;
CREATE TRIGGER customers_bigrams_au AFTER UPDATE OF real_bigrams, account_bigrams ON customers BEGIN
  INSERT INTO customer_bigrams(customer_bigrams, rowid, real_bigrams, account_bigrams) VALUES ('delete', old.rowid, old.real_bigrams, old.account_bigrams);
  INSERT INTO customer_bigrams(rowid, real_bigrams, account_bigrams) VALUES (new.rowid, new.real_bigrams, new.account_bigrams);
END;
