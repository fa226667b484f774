-- The first page of a filtered list sorts (associated_on, id) over the matches; with id in the index
-- the whole inner page query reads no table rows (D1's plans showed a row read per match otherwise).
DROP INDEX customers_partner_usage;
CREATE INDEX customers_partner_usage ON customers(partner_id, usage_pct, associated_on, id);
DROP INDEX customers_partner_spend;
CREATE INDEX customers_partner_spend ON customers(partner_id, mtd_spend_minor, associated_on, id);
DROP INDEX customers_partner_expiry;
CREATE INDEX customers_partner_expiry ON customers(partner_id, earliest_expiry, associated_on, id);
DROP INDEX customers_partner_assoc;
CREATE INDEX customers_partner_assoc ON customers(partner_id, association_type, frozen, usage_pct, associated_on, id);
DROP INDEX customers_partner_frozen;
CREATE INDEX customers_partner_frozen ON customers(partner_id, frozen, auto_frozen, associated_on, id);
