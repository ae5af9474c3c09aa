-- Issue 17: relevance ordered inside the index. A GIN index finds a word's matches but does not order
-- them, so ranking a common word read every match's search document before the first ten could be chosen
-- (365,423 for "túi" at a million products). The RUM index (Debian's postgresql-15-rum, Postgres Pro's
-- extension) keeps each word's positions in its postings and answers `ORDER BY search_doc <=> query
-- LIMIT k` from the index: the search takes its candidates from it and ranks only those
-- (`ProductSearch.rankedInIndex`).
--
-- RUM is not part of PostgreSQL's contrib and is missing from many managed services, and creating it
-- needs a superuser there (it is not a trusted extension). So the index is made by a function that does
-- nothing where the extension cannot be had: the service then ranks every match, as before, and says so
-- in its log and in `/readyz` (`search`). `market serve` and `market migrate` call the function on every
-- start, so a database where RUM is installed later gets the index then.
CREATE FUNCTION search_rum_index_ensure() RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
               WHERE c.relname = 'products_listed_rum_idx' AND i.indisvalid) THEN
        RETURN 'rum';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'rum') THEN
        IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum') THEN
            RETURN 'rum is not installed on the database server';
        END IF;
        BEGIN
            CREATE EXTENSION rum;
        EXCEPTION WHEN insufficient_privilege THEN
            RETURN 'rum is installed but this role may not create it (a superuser must: CREATE EXTENSION rum)';
        END;
    END IF;
    -- Left behind invalid by an interrupted build elsewhere: built again.
    DROP INDEX IF EXISTS products_listed_rum_idx;
    CREATE INDEX products_listed_rum_idx ON products USING rum (search_doc rum_tsvector_ops)
        WHERE status = 'active' AND supplier_active;
    RETURN 'rum';
END;
$$;

SELECT search_rum_index_ensure();
