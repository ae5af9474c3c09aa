-- Search, second version: weighted words and one index for words plus the equality filters.

-- Title words weigh more than description words (weights A and D), so ts_rank orders title
-- matches first; ranking by rank is several times cheaper per row than trigram similarity.
ALTER TABLE products DROP COLUMN search_doc;
ALTER TABLE products ADD COLUMN search_doc tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple'::regconfig, vn_search_norm(title)), 'A')
    || setweight(to_tsvector('simple'::regconfig, vn_search_norm(description)), 'D')) STORED;

-- btree_gin lets a GIN index hold plain columns beside the tsvector, and a multicolumn GIN index
-- serves any subset of its columns, so "words AND province" or "words AND category group" is
-- answered by intersecting postings inside the index instead of fetching every product that has
-- the words and filtering afterwards.
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE INDEX products_listed_search_idx ON products
    USING gin (search_doc, origin_province_code, category_code, category_group)
    WHERE status = 'active' AND supplier_active;

-- Common words ("mật", "ong") cover a large share of a catalog; a larger sample gives the planner
-- usable estimates for them.
ALTER TABLE products ALTER COLUMN search_doc SET STATISTICS 1000;
