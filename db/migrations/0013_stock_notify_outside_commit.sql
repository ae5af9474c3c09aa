-- A NOTIFY inside a writing transaction takes a lock that serialises every such commit, WAL flush
-- included: with one `catalog_changed` per variant whose stock an order takes, order placement was
-- capped by it (measured with pgbench here: 3,900 tps for an update, 490 with a notify in it).
-- Stock-only changes therefore no longer notify from the trigger: order placement announces them
-- right after its commit, and the other code paths that move stock (returns, cancellations, stock
-- adjustments) notify in their own transaction (they are rare). A lost announcement (a crash
-- between commit and announce) is bounded by the product cache's maximum age.
DROP TRIGGER product_variants_notify ON product_variants;
CREATE TRIGGER product_variants_notify_insert AFTER INSERT ON product_variants
    FOR EACH ROW EXECUTE FUNCTION catalog_notify_variant();
CREATE TRIGGER product_variants_notify_update AFTER UPDATE ON product_variants
    FOR EACH ROW
    WHEN ((OLD.product_id, OLD.supplier_id, OLD.sku, OLD.name, OLD.price_vnd, OLD.weight_grams, OLD.is_active,
           OLD.position)
          IS DISTINCT FROM
          (NEW.product_id, NEW.supplier_id, NEW.sku, NEW.name, NEW.price_vnd, NEW.weight_grams, NEW.is_active,
           NEW.position))
    EXECUTE FUNCTION catalog_notify_variant();
