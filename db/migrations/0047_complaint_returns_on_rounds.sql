-- Issue 20 (SPEC §5: "a refund and any return parcel go through the same books and rounds as everything
-- else"): goods coming back for a complaint are stops on the post offices' planned rounds, as carriers put a
-- return pickup on the round that serves the buyer's street and hand the goods back on the round that calls
-- at the shop. The delivering office's delivery round collects them at the buyer's address (the same stop as
-- a parcel delivered there); the seller's office's pickup round hands them back at the supplier (the same
-- stop as its pickups). Between two offices the goods are scanned in at the seller's office
-- (`arrived_at_hub`), which is where they must be before a round can take them.

ALTER TABLE complaints ADD COLUMN return_at_office_id uuid REFERENCES post_offices (id);
UPDATE complaints SET return_at_office_id = post_office_id WHERE return_status = 'picked_up';

ALTER TABLE complaint_return_events DROP CONSTRAINT complaint_return_events_type_check;
ALTER TABLE complaint_return_events ADD CONSTRAINT complaint_return_events_type_check
    CHECK (type IN ('picked_up', 'arrived_at_hub', 'delivered'));

-- Which stop carries a complaint's goods: one collection stop (a delivery round) and one hand-back stop (a
-- pickup round) at a time, as `stop_parcels` does for packages; re-planning moves them, never copies them.
CREATE TABLE stop_returns (
    complaint_id  uuid NOT NULL REFERENCES complaints (id),
    kind          text NOT NULL CHECK (kind IN ('pickup', 'delivery')),
    stop_id       uuid NOT NULL REFERENCES schedule_stops (id),
    PRIMARY KEY (complaint_id, kind)
);
CREATE INDEX stop_returns_stop_idx ON stop_returns (stop_id);

CREATE TABLE schedule_overflow_returns (
    schedule_id   uuid NOT NULL REFERENCES schedules (id),
    complaint_id  uuid NOT NULL REFERENCES complaints (id),
    PRIMARY KEY (schedule_id, complaint_id)
);

-- The two pools' lookups.
CREATE INDEX complaints_return_collect_idx ON complaints (post_office_id) WHERE return_status = 'awaiting_pickup';
CREATE INDEX complaints_return_hand_back_idx ON complaints (return_at_office_id) WHERE return_status = 'picked_up';
