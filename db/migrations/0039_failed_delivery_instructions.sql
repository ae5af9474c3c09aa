-- Issue 20 (SPEC §5, failed deliveries): a failed attempt carries a reason code; a refusal sends the
-- parcel back at once, any other failure holds it (`waiting_for_instruction`) until `hold_until` for
-- the buyer or the seller to ask for another attempt (on a day, `deliver_on`) or for its return. The
-- instructions join the parcel's event history, so late and out-of-order scans replay with them. An
-- order whose packages all came back is `returned`.

ALTER TABLE packages DROP CONSTRAINT packages_status_check,
    ADD CONSTRAINT packages_status_check CHECK (status IN (
        'awaiting_payment', 'new', 'accepted', 'ready_for_pickup', 'rejected', 'cancelled', 'expired', 'picked_up',
        'in_transit', 'out_for_delivery', 'waiting_for_instruction', 'delivered', 'returning', 'returned')),
    ADD COLUMN hold_until timestamptz,
    ADD COLUMN deliver_on date;

ALTER TABLE orders DROP CONSTRAINT orders_status_check,
    ADD CONSTRAINT orders_status_check CHECK (status IN (
        'awaiting_payment', 'placed', 'in_progress', 'completed', 'returned', 'cancelled', 'expired'));

ALTER TABLE shipment_events DROP CONSTRAINT shipment_events_type_check,
    ADD CONSTRAINT shipment_events_type_check CHECK (type IN (
        'picked_up', 'arrived_at_hub', 'out_for_delivery', 'delivered', 'delivery_failed', 'returned_to_sender',
        'redelivery_requested', 'return_requested')),
    ADD COLUMN reason_code text CHECK (reason_code IN (
        'recipient_absent', 'phone_unreachable', 'wrong_address', 'refused', 'postponed', 'unsafe', 'other'));
