-- Customer Management filtered by association type (referral or reseller mode), in the default order
-- (association time): the page walks this index in order and stops after a page, the partner scope
-- read from the index itself. Without it a distributor's page read every customer of the type in each
-- of its partners (15,000 at 100k customers) and sorted them: 2-4 ms of SQL in workerd's SQLite,
-- 0-1 ms with it (EXPLAIN QUERY PLAN and meta.duration through `wrangler d1 execute`, docs/scale.md).
CREATE INDEX customers_type_by_association ON customers (association_type, associated_on, id, partner_id);
