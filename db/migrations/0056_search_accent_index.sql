-- Issue 17: the titles that have a query's accents exactly, found by an index. With the RUM index the search
-- takes, besides the best matches by rank, titles holding the query with exactly its accents when the best
-- include folded matches (`ProductSearch.rankedInIndexSQL`): tested row by row, that read every folded
-- match when none had the accents (0.12 s for "Thanh Hoá" at a million products, whose 94,300 folded
-- matches name the province in their description). Trigrams of the accented title key find them instead
-- (2–30 ms); 76 MB and 9 s to build at a million products.
CREATE INDEX products_listed_accent_trgm_idx ON products USING gin (title_accent_key gin_trgm_ops)
    WHERE status = 'active' AND supplier_active;
