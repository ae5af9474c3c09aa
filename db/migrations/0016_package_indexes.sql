-- Fewer index entries per order (each order writes one package per seller):
-- * `packages_order_idx (order_id)` repeats the leading column of the unique (order_id, supplier_id)
--   index, which serves the same lookups;
-- * a package has no tracking number until it is ready for pickup, and a unique constraint indexes
--   every NULL too: a partial unique index keeps the rule and skips the new packages.
DROP INDEX packages_order_idx;
ALTER TABLE packages DROP CONSTRAINT packages_tracking_no_key;
CREATE UNIQUE INDEX packages_tracking_no_key ON packages (tracking_no) WHERE tracking_no IS NOT NULL;
