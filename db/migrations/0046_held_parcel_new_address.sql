-- Issue 20 (SPEC §5): while a parcel is held after a failed attempt, its buyer or seller may send it to
-- another address or phone. The order keeps the address it was placed with (what was bought, and where,
-- stays on record); the package carries its own destination from then on, read wherever a parcel is
-- delivered (the delivery pool, the round's stops, the delivery code's SMS). A new commune may be served by
-- another post office (the parcel then travels there) and priced in another zone: the fee difference is
-- collected with the COD (or refunded from it), and the order's totals follow.
ALTER TABLE packages
    ADD COLUMN dest_recipient_name text CHECK (char_length(dest_recipient_name) BETWEEN 1 AND 100),
    ADD COLUMN dest_phone          text CHECK (dest_phone ~ '^0[1-9][0-9]{8,9}$'),
    ADD COLUMN dest_province_code  text REFERENCES provinces (code),
    ADD COLUMN dest_commune_code   text REFERENCES communes (code),
    ADD COLUMN dest_address_line   text CHECK (char_length(dest_address_line) BETWEEN 1 AND 200),
    ADD CONSTRAINT packages_destination_whole CHECK (
        (dest_recipient_name IS NULL) = (dest_phone IS NULL) AND (dest_phone IS NULL) = (dest_province_code IS NULL)
        AND (dest_province_code IS NULL) = (dest_commune_code IS NULL)
        AND (dest_commune_code IS NULL) = (dest_address_line IS NULL));
