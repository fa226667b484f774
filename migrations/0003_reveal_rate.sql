-- Reveal rate limiting counts a user's recent reveal events.
CREATE INDEX audit_events_user_action ON audit_events(actor_user_id, action, at);

-- Sort keys alone: a distributor's scope spans several partners, and walking one of these in order
-- finds the first page without sorting every visible row.
CREATE INDEX customers_associated_on ON customers(associated_on, id);
CREATE INDEX customers_spend ON customers(mtd_spend_minor, id);
CREATE INDEX customers_expiry ON customers(earliest_expiry, id);
CREATE INDEX customers_usage ON customers(budget_usage, id);
CREATE INDEX customers_manager ON customers(account_manager, id);
-- Grants by partner and state, for "can order" and the authorization filters.
CREATE INDEX authorizations_partner_status ON authorizations(partner_id, status, customer_id);
CREATE INDEX distributor_permissions_reseller_customer ON distributor_permissions(reseller_id, distributor_id, customer_id);
-- Exact-value filters within a partner, answerable (count included) from the index alone.
CREATE INDEX customers_partner_assoc ON customers(partner_id, association_type, associated_on);
CREATE INDEX customers_partner_verified ON customers(partner_id, verified_status);
-- Membership tests by id (tags, grants) check the scope without reading the row.
CREATE INDEX customers_id_partner ON customers(id, partner_id);
