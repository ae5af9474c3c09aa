-- Issue 17: search that understands Vietnamese.
--
-- A title's words as typed with their accents, for "accents matter when the buyer types them": lower
-- case, NFC, one tone-mark placement (the old "hoà" and the new "hòa" are one word), punctuation as
-- spaces, padded with spaces so that a phrase is found by whole words. Stored, so ranking compares
-- strings instead of normalising every matched title per query.
CREATE FUNCTION vn_accent_key(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN ' ' || btrim(regexp_replace(regexp_replace(
        replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
        replace(replace(replace(replace(replace(lower(normalize(value, NFC)),
            'òa', 'oà'), 'óa', 'oá'), 'ỏa', 'oả'), 'õa', 'oã'), 'ọa', 'oạ'),
            'òe', 'oè'), 'óe', 'oé'), 'ỏe', 'oẻ'), 'õe', 'oẽ'), 'ọe', 'oẹ'),
            'ùy', 'uỳ'), 'úy', 'uý'), 'ủy', 'uỷ'), 'ũy', 'uỹ'), 'ụy', 'uỵ'),
        '[].,;:!?(){}"''/\\_+*&%$#@|<>=~`^…“”‘’«»–—[-]', ' ', 'g'),
        '\s+', ' ', 'g')) || ' ';

ALTER TABLE products ADD COLUMN title_accent_key text GENERATED ALWAYS AS (vn_accent_key(title)) STORED;

-- Words that say what the buyer wants rather than what the product is called: "đặc sản" asks for
-- regional specialities, "ocop 4 sao" for products with a certificate of at least 4 stars in force.
-- Data, not code: a phrase here (folded as vn_search_norm folds, words separated by one space) becomes
-- the filter of its kind, and the rest of the query is searched as words.
CREATE TABLE search_intents (
    phrase     text PRIMARY KEY CHECK (phrase = lower(phrase) AND phrase ~ '^[a-z0-9]+( [a-z0-9]+)*$'),
    kind       text NOT NULL CHECK (kind IN ('regional_specialty', 'ocop')),
    min_stars  smallint CHECK (min_stars BETWEEN 3 AND 5),
    CHECK ((kind = 'ocop') = (min_stars IS NOT NULL))
);
INSERT INTO search_intents (phrase, kind, min_stars) VALUES
    ('dac san', 'regional_specialty', NULL),
    ('dac san vung mien', 'regional_specialty', NULL),
    ('dac san dia phuong', 'regional_specialty', NULL),
    ('dac san que', 'regional_specialty', NULL),
    ('ocop', 'ocop', 3),
    ('san pham ocop', 'ocop', 3),
    ('ocop 3 sao', 'ocop', 3),
    ('ocop 4 sao', 'ocop', 4),
    ('ocop 5 sao', 'ocop', 5),
    ('3 sao ocop', 'ocop', 3),
    ('4 sao ocop', 'ocop', 4),
    ('5 sao ocop', 'ocop', 5);
