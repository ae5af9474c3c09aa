-- Issue 17: "common spelling variants (i/y as in "kĩ"/"kỹ") count as exact". After a consonant, a
-- syllable's final i and y are two spellings of one sound in Vietnamese ("kĩ thuật" / "kỹ thuật", "lí do" /
-- "lý do", "mĩ nghệ" / "mỹ nghệ", "quí" / "quý", "hi vọng" / "hy vọng"); a vowel before the y makes
-- another word ("tuy", "thủy", "cây"), and so does y alone ("y tế"). Both search texts write such a y as
-- i: the folded one (`vn_search_norm`: words and trigrams, so "mi nghe" finds "Mỹ nghệ") and the accented
-- one (`vn_accent_key`: "kĩ" is the exact spelling of "kỹ", with its tone). The query is folded by the same
-- functions, so both sides agree. The stored columns are computed again (dropped and added, with their
-- indexes, as PostgreSQL 15 cannot change a generated column's expression in place).

-- The onsets a syllable may start with (longest first), then y at the end of a word.
CREATE OR REPLACE FUNCTION vn_search_norm(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN regexp_replace(
        lower(public.unaccent('public.unaccent'::regdictionary, normalize(value, NFC))),
        '(^|[^a-z0-9])(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])y(?=[^a-z0-9]|$)', '\1\2i', 'g');

-- The accented key is padded with spaces and has punctuation as spaces, so a word ends at a space.
CREATE FUNCTION vn_i_for_y(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(value,
        '( (?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx]))y(?= )', '\1i', 'g'),
        '( (?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx]))ý(?= )', '\1í', 'g'),
        '( (?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx]))ỳ(?= )', '\1ì', 'g'),
        '( (?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx]))ỷ(?= )', '\1ỉ', 'g'),
        '( (?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx]))ỹ(?= )', '\1ĩ', 'g'),
        '( (?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx]))ỵ(?= )', '\1ị', 'g');

CREATE OR REPLACE FUNCTION vn_accent_key(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN vn_i_for_y(' ' || btrim(regexp_replace(regexp_replace(
        replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
        replace(replace(replace(replace(replace(lower(normalize(value, NFC)),
            'òa', 'oà'), 'óa', 'oá'), 'ỏa', 'oả'), 'õa', 'oã'), 'ọa', 'oạ'),
            'òe', 'oè'), 'óe', 'oé'), 'ỏe', 'oẻ'), 'õe', 'oẽ'), 'ọe', 'oẹ'),
            'ùy', 'uỳ'), 'úy', 'uý'), 'ủy', 'uỷ'), 'ũy', 'uỹ'), 'ụy', 'uỵ'),
        '[].,;:!?(){}"''/\\_+*&%$#@|<>=~`^…“”‘’«»–—[-]', ' ', 'g'),
        '\s+', ' ', 'g')) || ' ');

ALTER TABLE products DROP COLUMN title_accent_key, DROP COLUMN search_doc, DROP COLUMN search_title;
ALTER TABLE products
    ADD COLUMN search_title text GENERATED ALWAYS AS (vn_search_norm(title)) STORED,
    ADD COLUMN search_doc tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, vn_search_norm(title)), 'A')
        || setweight(to_tsvector('simple'::regconfig, vn_search_norm(description)), 'D')) STORED,
    ADD COLUMN title_accent_key text GENERATED ALWAYS AS (vn_accent_key(title)) STORED;
CREATE INDEX products_listed_title_trgm_idx ON products USING gin (search_title gin_trgm_ops)
    WHERE status = 'active' AND supplier_active;
CREATE INDEX products_listed_search_idx ON products
    USING gin (search_doc, origin_province_code, category_code, category_group)
    WHERE status = 'active' AND supplier_active;
ALTER TABLE products ALTER COLUMN search_doc SET STATISTICS 1000;
