-- Issue 17: a browse's facet counts (no text) read, of every listed product, its category and group,
-- origin province and certificate; with each facet counted without its own filter, a browse filtered by
-- a province counts every province, so every listed product. This index holds exactly those columns for
-- exactly the listed products, so the count is an index-only scan of it instead of a scan of the
-- products' heap (titles, descriptions, search documents: most of the table's size).
CREATE INDEX products_listed_facets_idx ON products
    (origin_province_code, category_code, category_group, ocop_stars, ocop_expires_on)
    WHERE status = 'active' AND supplier_active AND min_price_vnd IS NOT NULL;
