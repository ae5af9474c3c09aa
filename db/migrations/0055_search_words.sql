-- Issue 17: typos corrected word by word. When a query's words match nothing, the typo fallback compared
-- the query with every title by trigram similarity: the trigram index must read the postings of each of
-- the query's trigrams, and common ones ("cha", "ong") are in hundreds of thousands of titles (1.5 s for
-- "chaai" at a million products). The catalog's words are far fewer than its products (915 at a million
-- generated products; tens of thousands in a real one): the store first replaces each word it does not
-- know by the nearest one it knows (`search_correct_words`), and searches those words as any query, in the
-- index. The title comparison stays as the last fallback, for a typo that makes another known word.
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

-- The folded words of products' titles and descriptions (letters only, two or more), as `search_doc` has
-- them, with how many products' texts have had them (`n`: added to as texts are written, never taken
-- from; a spelling checker's sense of which word is common). A word stays when its products go: a
-- correction to it finds nothing, and the title comparison runs then.
CREATE TABLE search_words (
    word text PRIMARY KEY,
    n    bigint NOT NULL
);
CREATE INDEX search_words_trgm_idx ON search_words USING gin (word gin_trgm_ops);

INSERT INTO search_words
SELECT word, ndoc FROM ts_stat('SELECT search_doc FROM products')
WHERE word ~ '^[a-z]{2,}$';

-- New and changed texts add their words (a statement's rows at once, words in order so that two
-- statements take their rows' locks in the same order; an update that leaves the text as it was adds
-- nothing).
CREATE FUNCTION products_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO search_words AS s
        SELECT w, count(*) FROM words_new n, unnest(tsvector_to_array(n.search_doc)) w
        WHERE w ~ '^[a-z]{2,}$'
        GROUP BY w ORDER BY w
        ON CONFLICT (word) DO UPDATE SET n = s.n + excluded.n;
    ELSE
        INSERT INTO search_words AS s
        SELECT w, count(*) FROM words_new n JOIN words_old o ON o.id = n.id, unnest(tsvector_to_array(n.search_doc)) w
        WHERE n.search_doc IS DISTINCT FROM o.search_doc AND w ~ '^[a-z]{2,}$'
            AND NOT (w = ANY (tsvector_to_array(o.search_doc)))
        GROUP BY w ORDER BY w
        ON CONFLICT (word) DO UPDATE SET n = s.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER products_words_insert AFTER INSERT ON products
    REFERENCING NEW TABLE AS words_new FOR EACH STATEMENT EXECUTE FUNCTION products_search_words();
CREATE TRIGGER products_words_update AFTER UPDATE ON products
    REFERENCING OLD TABLE AS words_old NEW TABLE AS words_new FOR EACH STATEMENT EXECUTE FUNCTION products_search_words();

-- The query folded as the search folds it, each word the catalog does not know replaced by the nearest
-- one it does: fewest edits, then the same length ("ngok" is "ngoc", not "ngo"), then the commonest ("thnah"
-- is "thanh", not "thach"), then the most trigrams in common, then alphabetically (so the answer does not
-- depend on the plan). NULL when nothing changed.
-- Candidates share a fifth of their trigrams with the word (pg_trgm's default, 0.3, misses a swap of two
-- letters in a short word: "thnah" and "thanh" share 2 of 10).
CREATE FUNCTION search_correct_words(query text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
SET pg_trgm.similarity_threshold = 0.2 AS $$
    WITH q AS (
        SELECT w, n FROM regexp_split_to_table(vn_search_norm(query), '[^a-z0-9]+') WITH ORDINALITY AS t(w, n)
        WHERE w <> ''
    ),
    fixed AS (
        SELECT q.n, q.w, (
            SELECT s.word FROM search_words s
            WHERE q.w ~ '^[a-z]{2,}$' AND NOT EXISTS (SELECT 1 FROM search_words k WHERE k.word = q.w)
                AND s.word % q.w
            ORDER BY levenshtein(s.word, q.w), abs(length(s.word) - length(q.w)), s.n DESC,
                similarity(s.word, q.w) DESC, s.word
            LIMIT 1) AS fix
        FROM q
    )
    SELECT CASE WHEN bool_or(fix IS NOT NULL) THEN string_agg(coalesce(fix, w), ' ' ORDER BY n) END FROM fixed
$$;
