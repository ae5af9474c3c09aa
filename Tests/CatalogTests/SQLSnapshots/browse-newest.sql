-- page
SELECT h.*,
    EXISTS (SELECT 1 FROM product_variants v
        WHERE v.product_id = h.id AND v.is_active AND v.stock_on_hand > 0) AS in_stock,
    s.name AS supplier_name, s.kind AS supplier_kind,
    s.province_code AS supplier_province, s.commune_code AS supplier_commune FROM (SELECT p.id, p.title, p.category_code, p.origin_province_code, p.images[1] AS image, p.min_price_vnd,
    p.is_regional_specialty, p.created_at, p.supplier_id,
    CASE WHEN p.ocop_expires_on > vn_today() THEN p.ocop_stars END AS ocop_stars,
    p.ocop_expires_on::text AS ocop_expires_on,
    0::numeric AS score FROM products p WHERE p.status = 'active' AND p.supplier_active AND p.min_price_vnd IS NOT NULL ORDER BY p.created_at DESC, p.id DESC LIMIT $1) h JOIN suppliers s ON s.id = h.supplier_id
ORDER BY h.created_at DESC, h.id DESC
-- facets
SELECT grouping, category_code, origin_province_code, stars, count FROM (
    SELECT GROUPING(p.category_code, p.origin_province_code, f.stars)::int AS grouping,
        p.category_code, p.origin_province_code, f.stars,
        (CASE GROUPING(p.category_code, p.origin_province_code, f.stars)
            WHEN 3 THEN sum(p.n) FILTER (WHERE f.in_province AND f.in_stars)
            WHEN 5 THEN sum(p.n) FILTER (WHERE f.in_category AND f.in_stars)
            ELSE sum(p.n) FILTER (WHERE f.in_category AND f.in_province) END)::bigint AS count
    FROM listed_facet_tallies p
    CROSS JOIN LATERAL (SELECT CASE WHEN p.ocop_expires_on > vn_today() THEN p.ocop_stars END AS stars,
        true AS in_category, true AS in_province, true AS in_stars ) f
    WHERE p.n > 0
    GROUP BY GROUPING SETS ((p.category_code), (p.origin_province_code), (f.stars))) x
WHERE count > 0
