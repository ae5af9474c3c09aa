-- Shipping tariff (SPEC §4, issue 4): weight steps by zone and a COD fee rule, versioned by the day
-- a version takes effect (Asia/Ho_Chi_Minh). Admins add versions; an order is priced with the version
-- in force on the day it is placed, and the package keeps which one it was.
CREATE TABLE shipping_tariffs (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    effective_from  date NOT NULL UNIQUE,
    -- COD fee: basis points of the amount collected, rounded half up, never below the minimum.
    cod_fee_bps     integer NOT NULL CHECK (cod_fee_bps BETWEEN 0 AND 10000),
    cod_fee_min_vnd bigint NOT NULL CHECK (cod_fee_min_vnd >= 0),
    note            text NOT NULL DEFAULT '',
    created_by      uuid REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- Zones, from the sender's commune to the recipient's: same commune, same province, another province
-- of the same region (north / central / south), another region.
CREATE TABLE shipping_rates (
    tariff_id       uuid NOT NULL REFERENCES shipping_tariffs (id),
    zone            text NOT NULL CHECK (zone IN ('same_commune', 'same_province', 'same_region', 'other_region')),
    first_grams     integer NOT NULL CHECK (first_grams BETWEEN 1 AND 100000),
    first_fee_vnd   bigint NOT NULL CHECK (first_fee_vnd >= 0),
    step_grams      integer NOT NULL CHECK (step_grams BETWEEN 1 AND 100000),
    step_fee_vnd    bigint NOT NULL CHECK (step_fee_vnd >= 0),
    PRIMARY KEY (tariff_id, zone)
);

-- Tariffs are history: a version in use is never changed, a new one is added instead.
CREATE OR REPLACE FUNCTION shipping_tariff_is_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'shipping tariffs are never changed; add a version with a later effective_from';
END $$;
CREATE TRIGGER shipping_tariffs_history BEFORE UPDATE OR DELETE ON shipping_tariffs
    FOR EACH ROW EXECUTE FUNCTION shipping_tariff_is_history();
CREATE TRIGGER shipping_rates_history BEFORE UPDATE OR DELETE ON shipping_rates
    FOR EACH ROW EXECUTE FUNCTION shipping_tariff_is_history();

-- The launch tariff, in force since the administrative reform of 1 July 2025.
INSERT INTO shipping_tariffs (id, effective_from, cod_fee_bps, cod_fee_min_vnd, note)
VALUES ('7a41ff00-0000-4000-8000-000000000001', '2025-07-01', 80, 8000, 'Biểu phí ra mắt');
INSERT INTO shipping_rates (tariff_id, zone, first_grams, first_fee_vnd, step_grams, step_fee_vnd) VALUES
    ('7a41ff00-0000-4000-8000-000000000001', 'same_commune', 500, 15000, 500, 2500),
    ('7a41ff00-0000-4000-8000-000000000001', 'same_province', 500, 18000, 500, 3000),
    ('7a41ff00-0000-4000-8000-000000000001', 'same_region', 500, 25000, 500, 5000),
    ('7a41ff00-0000-4000-8000-000000000001', 'other_region', 500, 32000, 500, 6000);
