-- Orders (SPEC §4, issue 4): an order per checkout, one package per supplier, lines with the prices
-- copied at the time of the order, idempotency keys, and the outbox of state changes.

CREATE SEQUENCE order_number_seq;

CREATE TABLE orders (
    id                  uuid PRIMARY KEY,
    -- Short and human: DH + the day (YYMMDD, Asia/Ho_Chi_Minh) + a serial that never repeats.
    number              text NOT NULL UNIQUE,
    buyer_id            uuid NOT NULL REFERENCES users (id),
    status              text NOT NULL
        CHECK (status IN ('awaiting_payment', 'placed', 'in_progress', 'completed', 'cancelled', 'expired')),
    payment_method      text NOT NULL CHECK (payment_method IN ('cod', 'bank_transfer')),
    recipient_name      text NOT NULL CHECK (char_length(recipient_name) BETWEEN 1 AND 100),
    phone               text NOT NULL CHECK (phone ~ '^(\+84|0)[1-9][0-9]{8,9}$'),
    province_code       text NOT NULL REFERENCES provinces (code),
    commune_code        text NOT NULL REFERENCES communes (code),
    address_line        text NOT NULL CHECK (char_length(address_line) BETWEEN 1 AND 200),
    items_total_vnd     bigint NOT NULL CHECK (items_total_vnd > 0),
    shipping_total_vnd  bigint NOT NULL CHECK (shipping_total_vnd >= 0),
    grand_total_vnd     bigint NOT NULL,
    tariff_id           uuid NOT NULL REFERENCES shipping_tariffs (id),
    -- The one-time code the buyer gives the courier as proof of delivery.
    delivery_code       text NOT NULL CHECK (delivery_code ~ '^[0-9]{6}$'),
    payment_due_at      timestamptz,
    paid_at             timestamptz,
    cancel_reason       text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orders_grand_total CHECK (grand_total_vnd = items_total_vnd + shipping_total_vnd)
);
CREATE INDEX orders_buyer_idx ON orders (buyer_id, created_at DESC, id DESC);
CREATE INDEX orders_unpaid_idx ON orders (payment_due_at) WHERE status = 'awaiting_payment';

CREATE TABLE packages (
    id                uuid PRIMARY KEY,
    order_id          uuid NOT NULL REFERENCES orders (id),
    supplier_id       uuid NOT NULL REFERENCES suppliers (id),
    number            text NOT NULL UNIQUE,
    status            text NOT NULL CHECK (status IN (
        'awaiting_payment', 'new', 'accepted', 'ready_for_pickup', 'rejected', 'cancelled', 'expired',
        'picked_up', 'in_transit', 'out_for_delivery', 'delivered', 'returning', 'returned')),
    items_total_vnd   bigint NOT NULL CHECK (items_total_vnd > 0),
    weight_grams      integer NOT NULL CHECK (weight_grams > 0),
    zone              text NOT NULL CHECK (zone IN ('same_commune', 'same_province', 'same_region', 'other_region')),
    shipping_fee_vnd  bigint NOT NULL CHECK (shipping_fee_vnd >= 0),
    -- What the courier collects (0 when prepaid), and the COD fee rule as it stood when ordered:
    -- later tariff changes never alter an old parcel.
    cod_amount_vnd    bigint NOT NULL CHECK (cod_amount_vnd >= 0),
    cod_fee_vnd       bigint NOT NULL CHECK (cod_fee_vnd >= 0),
    cod_fee_bps       integer NOT NULL,
    cod_fee_min_vnd   bigint NOT NULL,
    reject_reason     text,
    tracking_no       text UNIQUE,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (order_id, supplier_id)
);
CREATE INDEX packages_order_idx ON packages (order_id);
CREATE INDEX packages_supplier_idx ON packages (supplier_id, status, created_at DESC, id DESC);

CREATE TABLE order_lines (
    id              uuid PRIMARY KEY,
    order_id        uuid NOT NULL REFERENCES orders (id),
    package_id      uuid NOT NULL REFERENCES packages (id),
    variant_id      uuid NOT NULL REFERENCES product_variants (id),
    product_id      uuid NOT NULL REFERENCES products (id),
    sku             text NOT NULL,
    title           text NOT NULL,
    variant_name    text NOT NULL,
    unit_price_vnd  bigint NOT NULL CHECK (unit_price_vnd > 0),
    quantity        integer NOT NULL CHECK (quantity BETWEEN 1 AND 999),
    line_total_vnd  bigint NOT NULL,
    weight_grams    integer NOT NULL,
    position        integer NOT NULL,
    CONSTRAINT order_lines_total CHECK (line_total_vnd = unit_price_vnd * quantity)
);
CREATE INDEX order_lines_package_idx ON order_lines (package_id, position);

-- One row per (buyer, Idempotency-Key): the request's digest and, once the order is committed, the
-- response to replay. The primary key is what makes concurrent retries wait for the first one.
CREATE TABLE idempotency_keys (
    user_id         uuid NOT NULL REFERENCES users (id),
    key             text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
    request_hash    text NOT NULL,
    response_status integer NOT NULL,
    response_body   text NOT NULL,
    order_id        uuid REFERENCES orders (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- Every order and package state change, written in the change's transaction; logistics and
-- webhooks consume it later.
CREATE TABLE outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic           text NOT NULL,
    aggregate_type  text NOT NULL,
    aggregate_id    uuid NOT NULL,
    payload         jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    published_at    timestamptz
);
CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
