-- Vietnam's two-level administrative units in force since 1 July 2025 (SPEC §2).
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE provinces (
    code      text PRIMARY KEY CHECK (code ~ '^[0-9]{2}$'),
    name      text NOT NULL,
    full_name text NOT NULL,
    name_en   text NOT NULL,
    unit_type text NOT NULL,
    -- Shipping zones (same region / other region) are priced from this.
    region    text NOT NULL CHECK (region IN ('north', 'central', 'south'))
);

CREATE TABLE communes (
    code          text PRIMARY KEY CHECK (code ~ '^[0-9]{5}$'),
    province_code text NOT NULL REFERENCES provinces (code),
    name          text NOT NULL,
    full_name     text NOT NULL,
    name_en       text NOT NULL,
    unit_type     text NOT NULL,
    lat           double precision CHECK (lat BETWEEN -90 AND 90),
    lon           double precision CHECK (lon BETWEEN -180 AND 180)
);
CREATE INDEX communes_province_idx ON communes (province_code, code);
