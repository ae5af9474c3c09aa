-- Issue 20: the most cash a courier collects for one parcel, per tariff version. GHN publishes
-- 5,000,000 đ; the post office takes the same: its couriers ride rural communes by motorbike with the
-- day's cash, and an OCOP order above it is rare and better paid by bank transfer. Unlike a price it
-- changes no placed order (an order above it is refused before it exists), so the launch tariff gets
-- it too; a new version may set another ceiling, or 0 for none.
ALTER TABLE shipping_tariffs
    ADD COLUMN cod_ceiling_vnd bigint NOT NULL DEFAULT 5000000 CHECK (cod_ceiling_vnd BETWEEN 0 AND 1000000000);
