-- page
WITH m AS MATERIALIZED (SELECT p.id, p.title, p.category_code, p.origin_province_code, p.images[1] AS image, p.min_price_vnd,
    p.is_regional_specialty, p.created_at, p.supplier_id,
    CASE WHEN p.ocop_expires_on > vn_today() THEN p.ocop_stars END AS ocop_stars,
    p.ocop_expires_on::text AS ocop_expires_on,
    round(ts_rank_cd(p.search_doc, plainto_tsquery('simple'::regconfig, vn_search_norm($1)))::numeric, 6) AS score FROM products p WHERE p.status = 'active' AND p.supplier_active AND p.min_price_vnd IS NOT NULL AND p.search_doc @@ plainto_tsquery('simple'::regconfig, vn_search_norm($1))),
f AS (
    SELECT COALESCE(json_agg(json_build_array(g, category_code, origin_province_code, ocop_stars, n)), '[]')::text
        AS facets
    FROM (SELECT GROUPING(category_code, origin_province_code, ocop_stars)::int AS g,
            category_code, origin_province_code, ocop_stars, count(*) AS n
        FROM m GROUP BY GROUPING SETS ((category_code), (origin_province_code), (ocop_stars))) x
)
SELECT h.*,
    EXISTS (SELECT 1 FROM product_variants v
        WHERE v.product_id = h.id AND v.is_active AND v.stock_on_hand > 0) AS in_stock,
    s.name AS supplier_name, s.kind AS supplier_kind,
    s.province_code AS supplier_province, s.commune_code AS supplier_commune,
    (SELECT facets FROM f) AS facets
FROM (SELECT * FROM m h WHERE true ORDER BY h.score DESC, h.id LIMIT $2) h JOIN suppliers s ON s.id = h.supplier_id
ORDER BY h.score DESC, h.id
