-- page
SELECT h.*,
    EXISTS (SELECT 1 FROM product_variants v
        WHERE v.product_id = h.id AND v.is_active AND v.stock_on_hand > 0) AS in_stock,
    s.name AS supplier_name, s.kind AS supplier_kind,
    s.province_code AS supplier_province, s.commune_code AS supplier_commune
FROM (SELECT p.id, p.title, p.category_code, p.origin_province_code, p.images[1] AS image, p.min_price_vnd,
    p.is_regional_specialty, p.created_at, p.supplier_id,
    CASE WHEN p.ocop_expires_on > vn_today() THEN p.ocop_stars END AS ocop_stars,
    p.ocop_expires_on::text AS ocop_expires_on,
    0::numeric AS score FROM products p WHERE p.status = 'active' AND p.supplier_active AND p.min_price_vnd IS NOT NULL AND p.min_price_vnd >= $1 AND p.min_price_vnd <= $2 AND EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND v.is_active AND v.stock_on_hand > 0) AND (p.category_code = $3 OR p.category_group = $3) AND p.origin_province_code = $4 AND (p.ocop_stars >= $5 AND p.ocop_expires_on > vn_today()) ORDER BY p.min_price_vnd, p.id LIMIT $6) h JOIN suppliers s ON s.id = h.supplier_id
ORDER BY h.min_price_vnd, h.id
-- facets
WITH b AS MATERIALIZED (
    SELECT p.category_code, p.origin_province_code,
        CASE WHEN p.ocop_expires_on > vn_today() THEN p.ocop_stars END AS stars,
        (p.category_code = $3 OR p.category_group = $3) AS in_category, p.origin_province_code = $4 AS in_province, (p.ocop_stars >= $5 AND p.ocop_expires_on > vn_today()) AS in_stars
    FROM products p WHERE p.status = 'active' AND p.supplier_active AND p.min_price_vnd IS NOT NULL AND p.min_price_vnd >= $1 AND p.min_price_vnd <= $2 AND EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND v.is_active AND v.stock_on_hand > 0)
)
SELECT 3 AS grouping, category_code, NULL::text AS origin_province_code, NULL::int2 AS stars, count(*) AS count
    FROM b WHERE in_province AND in_stars GROUP BY category_code
UNION ALL
SELECT 5, NULL, origin_province_code, NULL, count(*) FROM b WHERE in_category AND in_stars
    GROUP BY origin_province_code
UNION ALL
SELECT 6, NULL, NULL, stars::int2, count(*) FROM b WHERE in_category AND in_province GROUP BY stars
