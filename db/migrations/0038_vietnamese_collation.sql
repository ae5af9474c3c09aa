-- Issue 20: names sort in Vietnamese order wherever a list is sorted by name (A Ă Â B C D Đ E Ê … O Ô Ơ …
-- U Ư … Y, tones as tie-breaks): under the database's C.UTF-8 locale "Ánh" and "Đặng" sorted after "Zô".
-- One collation of our own name, from ICU's Vietnamese rules; a PostgreSQL built without ICU (rare:
-- Debian's, the official images and the managed services all have it) gets the byte order instead and
-- says so, so the service still starts.
DO $$
BEGIN
    CREATE COLLATION IF NOT EXISTS vietnamese (provider = icu, locale = 'vi');
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value OR undefined_object THEN
    RAISE WARNING 'ICU is not available: names sort in byte order (collation "vietnamese" = "C")';
    CREATE COLLATION IF NOT EXISTS vietnamese FROM "C";
END
$$;
