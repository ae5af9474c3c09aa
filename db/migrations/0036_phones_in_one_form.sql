-- Issue 20: a phone number is stored in one form, the national one (`0905123456`), however it was
-- typed (`+84 905 123 456`, `84905123456`, `0905.123.456`); the service canonicalises before writing
-- (Kernel `VietnamesePhone`, which also refuses numbers no network issues). Rows written in the
-- `+84…` form before are rewritten, and the checks now allow only the national form: 10 digits for
-- a mobile, 11 for a landline (02x area codes).

UPDATE users SET phone = '0' || substr(phone, 4) WHERE phone LIKE '+84%';
UPDATE registration_requests SET phone = '0' || substr(phone, 4) WHERE phone LIKE '+84%';
UPDATE suppliers SET phone = '0' || substr(phone, 4) WHERE phone LIKE '+84%';
UPDATE post_offices SET phone = '0' || substr(phone, 4) WHERE phone LIKE '+84%';
UPDATE orders SET phone = '0' || substr(phone, 4) WHERE phone LIKE '+84%';
UPDATE schedule_stops SET phone = '0' || substr(phone, 4) WHERE phone LIKE '+84%';

ALTER TABLE suppliers DROP CONSTRAINT IF EXISTS suppliers_phone_check,
    ADD CONSTRAINT suppliers_phone_national CHECK (phone ~ '^0[1-9][0-9]{8,9}$');
ALTER TABLE post_offices DROP CONSTRAINT IF EXISTS post_offices_phone_check,
    ADD CONSTRAINT post_offices_phone_national CHECK (phone ~ '^0[1-9][0-9]{8,9}$');
ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_phone_check,
    ADD CONSTRAINT orders_phone_national CHECK (phone ~ '^0[1-9][0-9]{8,9}$');
