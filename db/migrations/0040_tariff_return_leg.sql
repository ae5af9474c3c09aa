-- Issue 20 (SPEC §5): a return costs the seller what carriers charge, the outbound fee plus a return
-- leg from the tariff version: a fixed amount when the parcel never left the province (same commune,
-- same province) and a share of the outbound fee beyond it (GHN's and GHTK's published terms have
-- the same shape). Versions are history (0007): existing ones get no return leg, a new version sets
-- it. The charge is fixed on the package when it is ordered, as the COD fee is.
ALTER TABLE shipping_tariffs
    ADD COLUMN return_in_province_vnd bigint NOT NULL DEFAULT 0
        CHECK (return_in_province_vnd BETWEEN 0 AND 10000000),
    ADD COLUMN return_beyond_bps integer NOT NULL DEFAULT 0 CHECK (return_beyond_bps BETWEEN 0 AND 10000);

-- The outbound fee and the return leg of a package priced with `tariff` (basis points rounded half up,
-- as `Money.basisPoints`; `Tariff.returnCharge` is the same rule in Swift).
CREATE FUNCTION package_return_charge_vnd(tariff uuid, zone text, shipping bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT shipping + COALESCE((
        SELECT CASE WHEN zone IN ('same_commune', 'same_province') THEN t.return_in_province_vnd
                    ELSE (shipping * t.return_beyond_bps + 5000) / 10000 END
        FROM shipping_tariffs t WHERE t.id = tariff), 0)
$$;

-- Writers other than order placement (which sets the charge itself) get the same rule.
CREATE OR REPLACE FUNCTION package_return_charge() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.return_charge_vnd = 0 THEN
        NEW.return_charge_vnd := package_return_charge_vnd(
            (SELECT tariff_id FROM orders WHERE id = NEW.order_id), NEW.zone, NEW.shipping_fee_vnd);
    END IF;
    RETURN NEW;
END $$;
