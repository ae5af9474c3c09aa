-- page
WITH m AS MATERIALIZED (SELECT p.id, p.title, p.category_code, p.origin_province_code, p.images[1] AS image, p.min_price_vnd,
    p.is_regional_specialty, p.created_at, p.supplier_id,
    CASE WHEN p.ocop_expires_on > vn_today() THEN p.ocop_stars END AS ocop_stars,
    p.ocop_expires_on::text AS ocop_expires_on,
    round(ts_rank_cd(p.search_doc, plainto_tsquery('simple'::regconfig, vn_search_norm($1)))::numeric, 6) AS score,
    true AS in_category, true AS in_province, true AS in_stars FROM products p WHERE p.status = 'active' AND p.supplier_active AND p.min_price_vnd IS NOT NULL AND p.search_doc @@ plainto_tsquery('simple'::regconfig, vn_search_norm($1))),
f AS (
    SELECT (SELECT count(*) FROM m) AS matched,
        COALESCE(json_agg(json_build_array(g, category_code, origin_province_code, ocop_stars, n)), '[]')::text
        AS facets
    FROM (SELECT GROUPING(category_code, origin_province_code, ocop_stars)::int AS g,
            category_code, origin_province_code, ocop_stars,
            CASE GROUPING(category_code, origin_province_code, ocop_stars)
                WHEN 3 THEN count(*) FILTER (WHERE in_province AND in_stars)
                WHEN 5 THEN count(*) FILTER (WHERE in_category AND in_stars)
                ELSE count(*) FILTER (WHERE in_category AND in_province) END AS n
        FROM m GROUP BY GROUPING SETS ((category_code), (origin_province_code), (ocop_stars))) x
    WHERE n > 0
)
SELECT f.matched, f.facets, h.* FROM f LEFT JOIN (
SELECT h.*,
    EXISTS (SELECT 1 FROM product_variants v
        WHERE v.product_id = h.id AND v.is_active AND v.stock_on_hand > 0) AS in_stock,
    s.name AS supplier_name, s.kind AS supplier_kind,
    s.province_code AS supplier_province, s.commune_code AS supplier_commune FROM (SELECT * FROM m h WHERE h.in_category AND h.in_province AND h.in_stars ORDER BY h.score DESC, h.id LIMIT $2) h JOIN suppliers s ON s.id = h.supplier_id) h ON true
ORDER BY h.score DESC, h.id
