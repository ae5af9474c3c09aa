-- Issue 20 (SPEC §5: "Parcels have a chargeable weight, a declared value with an insurance fee"): what the
-- seller packed, measured when the package is marked ready, as a carrier's shop declares weight, size and
-- value when it books a parcel. The buyer's price was fixed when the order was placed (SPEC §4) and stays:
-- when the packed parcel costs more than that quote (heavier, bulkier, or declared for more than its goods),
-- the seller pays the difference (`seller_surcharge_vnd`, taken from the seller's share and booked as
-- shipping revenue when the parcel is delivered, as carriers charge the sender for a re-weighed parcel);
-- when it costs less, the quote stands. A return then costs the outbound fee actually owed plus the leg.
ALTER TABLE packages
    ADD COLUMN packed_weight_grams integer CHECK (packed_weight_grams BETWEEN 1 AND 100000),
    ADD COLUMN length_cm integer CHECK (length_cm BETWEEN 1 AND 300),
    ADD COLUMN width_cm integer CHECK (width_cm BETWEEN 1 AND 300),
    ADD COLUMN height_cm integer CHECK (height_cm BETWEEN 1 AND 300),
    ADD CONSTRAINT packages_dimensions_together CHECK (
        (length_cm IS NULL) = (width_cm IS NULL) AND (width_cm IS NULL) = (height_cm IS NULL)),
    ADD COLUMN seller_surcharge_vnd bigint NOT NULL DEFAULT 0 CHECK (seller_surcharge_vnd >= 0),
    -- A declared value is never below the goods' value: the buyer paid for that cover.
    ADD CONSTRAINT packages_declared_covers_goods CHECK (declared_value_vnd IS NULL OR declared_value_vnd >= items_total_vnd);
