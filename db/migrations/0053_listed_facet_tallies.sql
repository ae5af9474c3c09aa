-- Issue 17: a browse's facet counts (no text; at most category, province and stars filters) from tallies
-- instead of the products. Each facet counts without its own filter, so a browse counts every listed
-- product: 1.3 s at a million products even from an index. The tallies hold how many listed products
-- (active, of an active supplier, with a price) share a category, origin province and certificate (stars
-- and expiry: whether a certificate is in force is judged by the query against vn_today(), so nothing
-- has to run when one expires). They change in the transaction that changes a product, by statement
-- triggers, so the counts always agree with the items of the same snapshot.
CREATE TABLE listed_facet_tallies (
    category_code         text NOT NULL,
    category_group        text,
    origin_province_code  text NOT NULL,
    ocop_stars            smallint,
    ocop_expires_on       date,
    n                     bigint NOT NULL,
    CONSTRAINT listed_facet_tallies_key UNIQUE NULLS NOT DISTINCT
        (category_code, category_group, origin_province_code, ocop_stars, ocop_expires_on)
);

INSERT INTO listed_facet_tallies
SELECT category_code, category_group, origin_province_code, ocop_stars, ocop_expires_on, count(*)
FROM products
WHERE status = 'active' AND supplier_active AND min_price_vnd IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;

-- The difference a statement made, per key, added once per key; a product whose key and listing did not
-- change (most updates: a price, a title) writes nothing, so it locks no tally. Keys in order, so two
-- statements never take the same tallies' locks in opposite orders. The trigger passes the statement's
-- differences per key (`d`: listed rows as they are now, less as they were) from its transition tables.
CREATE FUNCTION tally_listed_delta(delta jsonb) RETURNS void LANGUAGE sql AS $$
    INSERT INTO listed_facet_tallies AS t
        (category_code, category_group, origin_province_code, ocop_stars, ocop_expires_on, n)
    SELECT r.category_code, r.category_group, r.origin_province_code, r.ocop_stars, r.ocop_expires_on, sum(r.d)
    FROM jsonb_to_recordset(delta) AS r(category_code text, category_group text, origin_province_code text,
        ocop_stars smallint, ocop_expires_on date, d bigint)
    GROUP BY 1, 2, 3, 4, 5
    HAVING sum(r.d) <> 0
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ON CONSTRAINT listed_facet_tallies_key DO UPDATE SET n = t.n + EXCLUDED.n;
$$;

CREATE FUNCTION products_tally_listed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta jsonb;
BEGIN
    -- Each event has only its own transition tables; PL/pgSQL plans a statement when it first runs it.
    IF TG_OP = 'INSERT' THEN
        SELECT jsonb_agg(to_jsonb(g)) INTO delta FROM (
            SELECT category_code, category_group, origin_province_code, ocop_stars, ocop_expires_on, count(*) AS d
            FROM tally_new WHERE status = 'active' AND supplier_active AND min_price_vnd IS NOT NULL
            GROUP BY 1, 2, 3, 4, 5) g;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT jsonb_agg(to_jsonb(g)) INTO delta FROM (
            SELECT category_code, category_group, origin_province_code, ocop_stars, ocop_expires_on, -count(*) AS d
            FROM tally_old WHERE status = 'active' AND supplier_active AND min_price_vnd IS NOT NULL
            GROUP BY 1, 2, 3, 4, 5) g;
    ELSE
        SELECT jsonb_agg(to_jsonb(g)) INTO delta FROM (
            SELECT category_code, category_group, origin_province_code, ocop_stars, ocop_expires_on, sum(d) AS d
            FROM (SELECT category_code, category_group, origin_province_code, ocop_stars, ocop_expires_on, 1 AS d
                    FROM tally_new WHERE status = 'active' AND supplier_active AND min_price_vnd IS NOT NULL
                  UNION ALL
                  SELECT category_code, category_group, origin_province_code, ocop_stars, ocop_expires_on, -1
                    FROM tally_old WHERE status = 'active' AND supplier_active AND min_price_vnd IS NOT NULL) x
            GROUP BY 1, 2, 3, 4, 5 HAVING sum(d) <> 0) g;
    END IF;
    IF delta IS NOT NULL THEN PERFORM tally_listed_delta(delta); END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER products_tally_insert AFTER INSERT ON products
    REFERENCING NEW TABLE AS tally_new FOR EACH STATEMENT EXECUTE FUNCTION products_tally_listed();
CREATE TRIGGER products_tally_update AFTER UPDATE ON products
    REFERENCING OLD TABLE AS tally_old NEW TABLE AS tally_new FOR EACH STATEMENT EXECUTE FUNCTION products_tally_listed();
CREATE TRIGGER products_tally_delete AFTER DELETE ON products
    REFERENCING OLD TABLE AS tally_old FOR EACH STATEMENT EXECUTE FUNCTION products_tally_listed();
