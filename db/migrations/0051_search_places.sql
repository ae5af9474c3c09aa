-- Issue 17: place names in a query match the product's origin, not only words in its text ("mật ong
-- Trà My" finds honey from the Trà My communes; "Quảng Nam" finds products of the former province).
-- Data, not code: a phrase here (folded as the query is: no tone marks, đ → d, lower case, words
-- separated by one space) stands for a province or one commune; the search reads the table once per
-- process. Source: the admin units of migration 0002 (vn_units.json, MIT, see
-- db/seed/vn-admin-units/LICENSE) and, for the former province, the GSO commune codes kept by the 2025
-- reform (below).
CREATE TABLE search_places (
    phrase         text NOT NULL CHECK (phrase ~ '^[a-z0-9]+( [a-z0-9]+)*$'),
    province_code  text NOT NULL REFERENCES provinces (code),
    -- NULL: the whole province.
    commune_code   text REFERENCES communes (code),
    kind           text NOT NULL CHECK (kind IN ('province', 'commune', 'former_province')),
    CHECK ((kind = 'province') = (commune_code IS NULL))
);
CREATE UNIQUE INDEX search_places_phrase_place_idx ON search_places (phrase, province_code, coalesce(commune_code, ''));

CREATE FUNCTION pg_temp.place_words(value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE
    RETURN array_remove(regexp_split_to_array(
        lower(public.unaccent('public.unaccent'::regdictionary, normalize(value, NFC))), '[^a-z0-9]+'), '');

-- A province by its name, whatever its length ("Huế", "Đà Nẵng", "Hồ Chí Minh").
INSERT INTO search_places (phrase, province_code, kind)
SELECT array_to_string(pg_temp.place_words(name), ' '), code, 'province' FROM provinces;

-- A commune by its name of two words or more (one-word names, like "Hoà", are too often other words),
-- and by that name without a trailing direction ("Hội An Đông" and "Điện Bàn Bắc" are in Hội An and
-- Điện Bàn, the former towns they were cut from) or without a leading one when two words remain ("Nam
-- Trà My" is in Trà My).
WITH named AS (
    SELECT code, province_code, pg_temp.place_words(name) AS w FROM communes
), phrases AS (
    SELECT code, province_code, w FROM named
    UNION SELECT code, province_code, w[1:cardinality(w) - 1] FROM named
        WHERE w[cardinality(w)] IN ('bac', 'nam', 'dong', 'tay', 'trung') AND cardinality(w) >= 3
    UNION SELECT code, province_code, w[2:] FROM named
        WHERE w[1] IN ('bac', 'nam', 'dong', 'tay') AND cardinality(w) >= 3
)
INSERT INTO search_places (phrase, province_code, commune_code, kind)
SELECT array_to_string(w, ' '), province_code, code, 'commune' FROM phrases WHERE cardinality(w) >= 2
ON CONFLICT DO NOTHING;

-- The former Quảng Nam, merged into Đà Nẵng (48) on 1 July 2025. The GSO numbered communes province by
-- province and each new commune kept the code of one it was formed from: in 48, the former Đà Nẵng's
-- end with Hòa Vang's Hoà Tiến (20332) and the former Quảng Nam's begin with Tam Kỳ's wards (20333 on).
-- Other former provinces are not here: the admin-unit data does not say which communes they held.
INSERT INTO search_places (phrase, province_code, commune_code, kind)
SELECT 'quang nam', province_code, code, 'former_province' FROM communes
WHERE province_code = '48' AND code >= '20333';
