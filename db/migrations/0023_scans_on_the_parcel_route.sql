-- Issue 16: a courier of an office a parcel never passes through recorded a hub scan on it. A hub scan
-- is now accepted at the parcel's pickup office, its delivery office, or a sorting centre (trung tâm
-- khai thác) that an admin marks as one: the offices any parcel may be routed through.
ALTER TABLE post_offices ADD COLUMN is_sorting_hub boolean NOT NULL DEFAULT false;
