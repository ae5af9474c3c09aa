-- Bank-transfer payment notifications (SPEC §4): every signed notification is kept once per provider
-- event id, with what it did. A replay finds its event id taken and changes nothing.
CREATE TABLE payment_notifications (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id      text NOT NULL UNIQUE CHECK (char_length(event_id) BETWEEN 1 AND 128),
    order_number  text NOT NULL,
    order_id      uuid REFERENCES orders (id),
    amount_vnd    bigint NOT NULL,
    sent_at       timestamptz NOT NULL,
    bank_reference text,
    -- confirmed: the order is paid; amount_mismatch: recorded and flagged, not confirmed;
    -- not_awaiting_payment: the order was paid, cancelled or expired already (a refund may be owed);
    -- unknown_order: no such order number.
    outcome       text NOT NULL
        CHECK (outcome IN ('confirmed', 'amount_mismatch', 'not_awaiting_payment', 'unknown_order')),
    received_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_notifications_order_idx ON payment_notifications (order_id);
CREATE INDEX payment_notifications_flagged_idx ON payment_notifications (received_at)
    WHERE outcome <> 'confirmed';
