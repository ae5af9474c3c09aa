-- Issue 20 (SPEC §5, complaints): after delivery, within a window set by category (3 days for food and
-- drinks, 7 for the rest, as Vietnamese marketplaces publish), the buyer complains about a package or some
-- of its lines. The producer accepts (a refund, with or without the goods coming back) or disputes; a clerk
-- of the delivering office decides a dispute, and may find that transport caused it. A refund is owed to
-- the buyer through the books: from the seller's payable (`complaint_refund`, netted from the next
-- remittance even when that leaves the seller short for a while) or from the delivering post office
-- (`transport_claim`). Goods coming back travel as their own parcel with an S10 number from the prepaid
-- series, scanned like any parcel: picked up from the buyer, then delivered to the seller.

ALTER TABLE categories ADD COLUMN complaint_window_days integer CHECK (complaint_window_days BETWEEN 1 AND 60);
UPDATE categories SET complaint_window_days = CASE WHEN code IN ('food', 'beverages') THEN 3 ELSE 7 END
WHERE parent_code IS NULL;

CREATE SEQUENCE complaint_number_seq;

CREATE TABLE complaints (
    id                  uuid PRIMARY KEY,
    number              text NOT NULL UNIQUE,
    -- One complaint per package: the buyer names every line that went wrong in it.
    package_id          uuid NOT NULL UNIQUE REFERENCES packages (id),
    order_id            uuid NOT NULL REFERENCES orders (id),
    buyer_id            uuid NOT NULL REFERENCES users (id),
    supplier_id         uuid NOT NULL REFERENCES suppliers (id),
    -- The delivering office: its clerks decide a dispute, its couriers fetch goods coming back.
    post_office_id      uuid NOT NULL REFERENCES post_offices (id),
    -- The seller's office: its couriers bring the goods back to the seller.
    seller_office_id    uuid NOT NULL REFERENCES post_offices (id),
    reason              text NOT NULL CHECK (reason IN ('damaged', 'spoiled', 'wrong_item', 'missing_item')),
    description         text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
    photo_urls          text[] NOT NULL DEFAULT '{}' CHECK (cardinality(photo_urls) <= 6),
    claimed_vnd         bigint NOT NULL CHECK (claimed_vnd > 0),
    refund_bank_bin     text,
    refund_account_no   text,
    refund_account_name text,
    status              text NOT NULL DEFAULT 'open' CHECK (status IN (
        'open', 'disputed', 'awaiting_return', 'refunded', 'rejected')),
    respond_by          timestamptz NOT NULL,
    answer              text CHECK (answer IN ('accepted', 'disputed', 'accepted_by_deadline')),
    answer_note         text,
    answered_by         uuid REFERENCES users (id),
    answered_at         timestamptz,
    decision            text CHECK (decision IN ('refund', 'reject')),
    liable              text CHECK (liable IN ('seller', 'post_office')),
    decision_note       text,
    decided_by          uuid REFERENCES users (id),
    decided_at          timestamptz,
    return_goods        boolean NOT NULL DEFAULT false,
    return_tracking_no  text UNIQUE,
    return_status       text CHECK (return_status IN ('awaiting_pickup', 'picked_up', 'delivered')),
    refund_vnd          bigint CHECK (refund_vnd > 0),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT complaints_return_parcel CHECK ((return_tracking_no IS NULL) = (return_status IS NULL)),
    CONSTRAINT complaints_return_from_seller CHECK (NOT return_goods OR liable = 'seller'),
    CONSTRAINT complaints_refund_liable CHECK ((status IN ('awaiting_return', 'refunded')) = (liable IS NOT NULL)),
    CONSTRAINT complaints_refund_account CHECK (
        (refund_bank_bin IS NULL) = (refund_account_no IS NULL) AND (refund_account_no IS NULL) = (refund_account_name IS NULL))
);
CREATE INDEX complaints_buyer_idx ON complaints (buyer_id, created_at DESC, id DESC);
CREATE INDEX complaints_supplier_idx ON complaints (supplier_id, created_at DESC, id DESC);
CREATE INDEX complaints_office_idx ON complaints (post_office_id, created_at DESC, id DESC);
CREATE INDEX complaints_seller_office_idx ON complaints (seller_office_id) WHERE return_status IS NOT NULL;
CREATE INDEX complaints_due_idx ON complaints (respond_by) WHERE status = 'open';

CREATE TABLE complaint_lines (
    complaint_id   uuid NOT NULL REFERENCES complaints (id),
    order_line_id  uuid NOT NULL REFERENCES order_lines (id),
    quantity       integer NOT NULL CHECK (quantity BETWEEN 1 AND 999),
    amount_vnd     bigint NOT NULL CHECK (amount_vnd > 0),
    PRIMARY KEY (complaint_id, order_line_id)
);

-- A return parcel's scans: append-only, idempotent on the device's event id like a parcel's.
CREATE TABLE complaint_return_events (
    id               uuid PRIMARY KEY,
    complaint_id     uuid NOT NULL REFERENCES complaints (id),
    client_event_id  uuid NOT NULL UNIQUE,
    type             text NOT NULL CHECK (type IN ('picked_up', 'delivered')),
    occurred_at      timestamptz NOT NULL,
    received_at      timestamptz NOT NULL DEFAULT now(),
    post_office_id   uuid REFERENCES post_offices (id),
    recorded_by      uuid REFERENCES users (id),
    UNIQUE (complaint_id, type)
);
CREATE TRIGGER complaint_return_events_append_only BEFORE UPDATE OR DELETE ON complaint_return_events
    FOR EACH ROW EXECUTE FUNCTION shipment_events_append_only();

ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check CHECK (kind IN ('courier_cash',
    'post_office_cash', 'seller_payable', 'platform_commission', 'cod_fee_revenue', 'shipping_revenue',
    'payouts_in_transit', 'bank_clearing', 'buyer_prepayments', 'refunds_payable', 'cod_discrepancies',
    'unapplied_receipts', 'transport_claims'));
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_owner;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_owner CHECK (
    (kind IN ('courier_cash', 'post_office_cash', 'seller_payable', 'transport_claims')) = (owner_id IS NOT NULL));
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_kind_check;
ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_kind_check CHECK (kind IN ('cod_collection',
    'prepaid_delivery', 'prepayment', 'refund_owed', 'refund_paid', 'return_charge', 'handover', 'remittance_sent',
    'remittance_paid', 'counter_paid', 'remittance_failed', 'adjustment', 'reversal', 'receipt_held',
    'receipt_applied', 'receipt_refund_owed', 'complaint_refund', 'transport_claim'));
-- A complaint's refund is owed once, whoever pays it.
CREATE UNIQUE INDEX ledger_one_refund_per_complaint ON ledger_transactions (reference_id)
    WHERE kind IN ('complaint_refund', 'transport_claim');

-- What a seller owes back for complaints is netted in a remittance like a parcel's return charge: each
-- charge is settled by one line, once.
CREATE TABLE remittance_charges (
    transaction_id  uuid PRIMARY KEY REFERENCES ledger_transactions (id),
    line_id         uuid NOT NULL REFERENCES remittance_lines (id),
    net_vnd         bigint NOT NULL
);
CREATE INDEX remittance_charges_line_idx ON remittance_charges (line_id);
