-- Logistics (SPEC §5, issue 5): couriers and their capacity, S10 series, pickup and delivery
-- schedules with their stops, and the append-only scan log.

ALTER TABLE post_offices
    ADD COLUMN is_active boolean NOT NULL DEFAULT true,
    ADD COLUMN phone text CHECK (phone ~ '^(\+84|0)[1-9][0-9]{8,9}$'),
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
    ADD CONSTRAINT post_offices_code_format CHECK (code ~ '^[A-Z0-9-]{2,20}$'),
    ADD CONSTRAINT post_offices_lat CHECK (lat BETWEEN -90 AND 90),
    ADD CONSTRAINT post_offices_lon CHECK (lon BETWEEN -180 AND 180);

-- A courier is a user with a courier grant for the post office; what one shift can carry.
CREATE TABLE couriers (
    user_id         uuid PRIMARY KEY REFERENCES users (id),
    post_office_id  uuid NOT NULL REFERENCES post_offices (id),
    max_stops       integer NOT NULL CHECK (max_stops BETWEEN 0 AND 500),
    max_grams       integer NOT NULL CHECK (max_grams BETWEEN 0 AND 2000000),
    is_active       boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX couriers_office_idx ON couriers (post_office_id) WHERE is_active;

-- One row per S10 service indicator: the next serial to hand out. Taking it with UPDATE … RETURNING
-- in the package's own transaction makes numbers gapless (a rollback gives the number back) and
-- never reused.
CREATE TABLE s10_series (
    service      text PRIMARY KEY CHECK (service ~ '^[A-Z]{2}$'),
    next_serial  integer NOT NULL CHECK (next_serial BETWEEN 0 AND 100000000)
);
INSERT INTO s10_series (service, next_serial) VALUES ('EC', 1), ('EP', 1);

ALTER TABLE packages
    -- The office serving the supplier's commune (pickups) and the recipient's (deliveries).
    ADD COLUMN pickup_post_office_id    uuid REFERENCES post_offices (id),
    ADD COLUMN delivery_post_office_id  uuid REFERENCES post_offices (id),
    -- Where the parcel is now, from the last hub scan.
    ADD COLUMN at_post_office_id        uuid REFERENCES post_offices (id),
    ADD COLUMN ready_at                 timestamptz,
    ADD COLUMN delivery_attempts        integer NOT NULL DEFAULT 0 CHECK (delivery_attempts >= 0),
    ADD COLUMN delivered_at             timestamptz,
    ADD COLUMN cod_collected_vnd        bigint CHECK (cod_collected_vnd >= 0),
    ADD CONSTRAINT packages_tracking_no_format CHECK (tracking_no ~ '^[A-Z]{2}[0-9]{9}VN$');
CREATE INDEX packages_pickup_pool_idx ON packages (pickup_post_office_id, ready_at)
    WHERE status = 'ready_for_pickup';
CREATE INDEX packages_delivery_pool_idx ON packages (delivery_post_office_id)
    WHERE status = 'in_transit';

-- A plan for one post office, day, shift and kind. The row is what concurrent schedulers lock, so
-- one plans at a time and the other finds its result.
CREATE TABLE schedules (
    id              uuid PRIMARY KEY,
    post_office_id  uuid NOT NULL REFERENCES post_offices (id),
    service_on      date NOT NULL,
    shift           text NOT NULL CHECK (shift IN ('morning', 'afternoon')),
    kind            text NOT NULL CHECK (kind IN ('pickup', 'delivery')),
    planned_at      timestamptz NOT NULL DEFAULT now(),
    planned_by      uuid REFERENCES users (id),
    revision        integer NOT NULL DEFAULT 0,
    UNIQUE (post_office_id, service_on, shift, kind)
);

-- A stop is a supplier (pickup) or a recipient address (delivery) on one courier's route. Its id is
-- derived from the schedule and the stop key, so re-planning keeps the same stops.
CREATE TABLE schedule_stops (
    id             uuid PRIMARY KEY,
    schedule_id    uuid NOT NULL REFERENCES schedules (id),
    stop_key       uuid NOT NULL,
    courier_id     uuid NOT NULL REFERENCES couriers (user_id),
    sequence       integer NOT NULL CHECK (sequence >= 1),
    supplier_id    uuid REFERENCES suppliers (id),
    name           text NOT NULL,
    phone          text NOT NULL,
    address_line   text NOT NULL,
    commune_code   text NOT NULL REFERENCES communes (code),
    lat            double precision NOT NULL,
    lon            double precision NOT NULL,
    grams          integer NOT NULL CHECK (grams >= 0),
    UNIQUE (schedule_id, stop_key)
);
CREATE INDEX schedule_stops_courier_idx ON schedule_stops (courier_id, schedule_id, sequence);

-- Which parcels a stop covers. A parcel is on at most one pickup stop and one delivery stop at a
-- time (the primary key); re-planning moves it, never copies it.
CREATE TABLE stop_parcels (
    package_id  uuid NOT NULL REFERENCES packages (id),
    kind        text NOT NULL CHECK (kind IN ('pickup', 'delivery')),
    stop_id     uuid NOT NULL REFERENCES schedule_stops (id),
    PRIMARY KEY (package_id, kind)
);
CREATE INDEX stop_parcels_stop_idx ON stop_parcels (stop_id);

-- What did not fit a schedule: listed with it, and pooled again for the next shift.
CREATE TABLE schedule_overflow (
    schedule_id  uuid NOT NULL REFERENCES schedules (id),
    package_id   uuid NOT NULL REFERENCES packages (id),
    PRIMARY KEY (schedule_id, package_id)
);

-- Scans, append-only. Applied in occurred_at order: an event that does not fit yet (an earlier
-- one is still on an offline device) waits, unapplied, until the history around it makes it fit.
CREATE TABLE shipment_events (
    id                 uuid PRIMARY KEY,
    client_event_id    uuid NOT NULL UNIQUE,
    package_id         uuid NOT NULL REFERENCES packages (id),
    type               text NOT NULL CHECK (type IN (
        'picked_up', 'arrived_at_hub', 'out_for_delivery', 'delivered', 'delivery_failed', 'returned_to_sender')),
    occurred_at        timestamptz NOT NULL,
    received_at        timestamptz NOT NULL DEFAULT now(),
    recorded_by        uuid NOT NULL REFERENCES users (id),
    post_office_id     uuid REFERENCES post_offices (id),
    reason             text,
    cod_collected_vnd  bigint CHECK (cod_collected_vnd >= 0),
    recipient_name     text,
    request_hash       text NOT NULL,
    applied            boolean NOT NULL DEFAULT false,
    applied_at         timestamptz,
    CONSTRAINT shipment_events_delivered CHECK (
        type <> 'delivered' OR (cod_collected_vnd IS NOT NULL AND recipient_name IS NOT NULL)),
    CONSTRAINT shipment_events_failed CHECK (type <> 'delivery_failed' OR reason IS NOT NULL)
);
CREATE INDEX shipment_events_package_idx ON shipment_events (package_id, occurred_at, received_at);

-- Events are history: never rewritten, never removed. Only the applied flag may go from false to
-- true, once.
CREATE FUNCTION shipment_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'shipment events are append-only' USING ERRCODE = 'restrict_violation';
    END IF;
    IF (to_jsonb(NEW) - 'applied' - 'applied_at') <> (to_jsonb(OLD) - 'applied' - 'applied_at')
        OR (OLD.applied AND NOT NEW.applied) THEN
        RAISE EXCEPTION 'shipment events are append-only' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER shipment_events_append_only BEFORE UPDATE OR DELETE ON shipment_events
    FOR EACH ROW EXECUTE FUNCTION shipment_events_append_only();

-- Granting the courier role enrols the courier at that office with a default shift capacity (40
-- stops, 150 kg) that its clerks then adjust; grants made before this migration are enrolled now.
CREATE FUNCTION enrol_courier() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.role = 'courier' THEN
        INSERT INTO couriers (user_id, post_office_id, max_stops, max_grams)
        VALUES (NEW.user_id, NEW.post_office_id, 40, 150000)
        ON CONFLICT (user_id) DO NOTHING;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER role_grants_enrol_courier AFTER INSERT ON role_grants
    FOR EACH ROW EXECUTE FUNCTION enrol_courier();
INSERT INTO couriers (user_id, post_office_id, max_stops, max_grams)
SELECT DISTINCT ON (user_id) user_id, post_office_id, 40, 150000 FROM role_grants
WHERE role = 'courier' ORDER BY user_id, granted_at
ON CONFLICT (user_id) DO NOTHING;
