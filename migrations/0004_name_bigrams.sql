-- Two-character name search (common for Chinese names, e.g. 科技) through an index: the trigram
-- tokenizer cannot match fewer than 3 characters, so the application also stores every pair of
-- adjacent letters/digits (ASCII, CJK ideographs) as space-separated tokens.
ALTER TABLE customers ADD COLUMN real_bigrams TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN account_bigrams TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN manager_bigrams TEXT NOT NULL DEFAULT '';

CREATE VIRTUAL TABLE customer_bigrams USING fts5(
  real_bigrams, account_bigrams, manager_bigrams,
  content = 'customers', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 0');

CREATE TRIGGER customers_bigrams_ai AFTER INSERT ON customers BEGIN
  INSERT INTO customer_bigrams(rowid, real_bigrams, account_bigrams, manager_bigrams) VALUES (new.rowid, new.real_bigrams, new.account_bigrams, new.manager_bigrams);
END;
CREATE TRIGGER customers_bigrams_ad AFTER DELETE ON customers BEGIN
  INSERT INTO customer_bigrams(customer_bigrams, rowid, real_bigrams, account_bigrams, manager_bigrams) VALUES ('delete', old.rowid, old.real_bigrams, old.account_bigrams, old.manager_bigrams);
END;
CREATE TRIGGER customers_bigrams_au AFTER UPDATE OF real_bigrams, account_bigrams, manager_bigrams ON customers BEGIN
  INSERT INTO customer_bigrams(customer_bigrams, rowid, real_bigrams, account_bigrams, manager_bigrams) VALUES ('delete', old.rowid, old.real_bigrams, old.account_bigrams, old.manager_bigrams);
  INSERT INTO customer_bigrams(rowid, real_bigrams, account_bigrams, manager_bigrams) VALUES (new.rowid, new.real_bigrams, new.account_bigrams, new.manager_bigrams);
END;
