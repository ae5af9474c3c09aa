-- products.min_price_vnd after inserting variants: once per statement instead of once per row.
-- A COPY of 20,000 variants used to rewrite their products' rows (and every search index entry)
-- once per variant; now each product is updated once per statement. Updates keep the row-level
-- trigger, because PostgreSQL does not allow transition tables on a trigger with a column list and
-- price changes come one at a time anyway.
DROP TRIGGER variants_min_price_insert ON product_variants;

CREATE OR REPLACE FUNCTION variants_refresh_min_price_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE products p SET min_price_vnd = m.price
    FROM (SELECT v.product_id, min(v.price_vnd) FILTER (WHERE v.is_active) AS price
          FROM product_variants v
          WHERE v.product_id IN (SELECT DISTINCT product_id FROM inserted)
          GROUP BY v.product_id) m
    WHERE p.id = m.product_id AND p.min_price_vnd IS DISTINCT FROM m.price;
    RETURN NULL;
END $$;

CREATE TRIGGER variants_min_price_insert AFTER INSERT ON product_variants
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION variants_refresh_min_price_inserted();
