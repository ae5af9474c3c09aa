-- Issue 20: S10 numbers come from the block VNPost allocates to the post office, set in the service's
-- configuration (S10_SERIES_COD, S10_SERIES_PREPAID), instead of EC/EP from serial 1, which would
-- collide with real parcels. Each series has a purpose (what the number says about payment) and a
-- serial range; the service puts the configured ones in force at start (S10SeriesStore). The launch
-- series keep their purpose and the whole range until configured.
ALTER TABLE s10_series
    ADD COLUMN purpose text CHECK (purpose IN ('cod', 'prepaid')),
    ADD COLUMN first_serial integer NOT NULL DEFAULT 0 CHECK (first_serial BETWEEN 0 AND 99999999),
    ADD COLUMN last_serial integer NOT NULL DEFAULT 99999999 CHECK (last_serial BETWEEN 0 AND 99999999),
    ADD CONSTRAINT s10_series_range CHECK (first_serial <= last_serial);
UPDATE s10_series SET purpose = CASE service WHEN 'EC' THEN 'cod' WHEN 'EP' THEN 'prepaid' END;
CREATE UNIQUE INDEX s10_series_one_per_purpose ON s10_series (purpose) WHERE purpose IS NOT NULL;
