-- Wrong delivery codes are counted per parcel: after `DeliveryCode.maxWrongTries` (5) a `delivered` scan
-- is refused until the buyer has a new code (`POST /v1/orders/{order_id}/delivery-code`), so the
-- 10^6 codes cannot be tried one after another. Each wrong code is also in the audit trail.
ALTER TABLE packages ADD COLUMN delivery_code_failures integer NOT NULL DEFAULT 0
    CHECK (delivery_code_failures >= 0);
