-- Customer Management at 100k: two cases still read every match to answer (measured with make bench).
--
-- 1. The unfiltered list's total counted every customer in scope (75k for a distributor): keep a
--    count per partner, maintained by triggers, and sum the few partners in scope instead.
CREATE TABLE customer_counts (
  partner_id TEXT PRIMARY KEY,
  n          INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO customer_counts (partner_id, n) SELECT partner_id, count(*) FROM customers GROUP BY partner_id;
CREATE TRIGGER customers_count_ai AFTER INSERT ON customers BEGIN
  INSERT INTO customer_counts (partner_id, n) VALUES (NEW.partner_id, 1)
    ON CONFLICT (partner_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER customers_count_ad AFTER DELETE ON customers BEGIN
  UPDATE customer_counts SET n = n - 1 WHERE partner_id = OLD.partner_id;
END;
CREATE TRIGGER customers_count_au AFTER UPDATE OF partner_id ON customers WHEN OLD.partner_id <> NEW.partner_id BEGIN
  UPDATE customer_counts SET n = n - 1 WHERE partner_id = OLD.partner_id;
  INSERT INTO customer_counts (partner_id, n) VALUES (NEW.partner_id, 1)
    ON CONFLICT (partner_id) DO UPDATE SET n = n + 1;
END;

-- 2. A tag filter probed the customers table once per tagged customer (13.5k for a common tag) for the
--    total and again for the page. Copy the scope and the default sort key onto each tag row, so that
--    a tag-only query is answered from one index: the total without reading a customer, the first page
--    in associated_on order.
ALTER TABLE customer_tags ADD COLUMN partner_id TEXT;
ALTER TABLE customer_tags ADD COLUMN associated_on TEXT;
UPDATE customer_tags SET
  partner_id = (SELECT c.partner_id FROM customers c WHERE c.id = customer_tags.customer_id),
  associated_on = (SELECT c.associated_on FROM customers c WHERE c.id = customer_tags.customer_id);
CREATE TRIGGER customer_tags_scope_ai AFTER INSERT ON customer_tags BEGIN
  UPDATE customer_tags SET
    partner_id = (SELECT c.partner_id FROM customers c WHERE c.id = NEW.customer_id),
    associated_on = (SELECT c.associated_on FROM customers c WHERE c.id = NEW.customer_id)
  WHERE customer_id = NEW.customer_id AND tag = NEW.tag;
END;
CREATE TRIGGER customers_tag_scope_au AFTER UPDATE OF partner_id, associated_on ON customers BEGIN
  UPDATE customer_tags SET partner_id = NEW.partner_id, associated_on = NEW.associated_on WHERE customer_id = NEW.id;
END;
CREATE INDEX customer_tags_scope ON customer_tags(tag, partner_id, associated_on, customer_id);
