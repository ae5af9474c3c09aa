-- Issue 21: the outbox delivered as Standard Webhooks (https://www.standardwebhooks.com) to endpoints
-- registered by an admin (any event) or by a producer (its supplier's events).

CREATE TABLE webhook_endpoints (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    url             text NOT NULL CHECK (url ~ '^https?://' AND char_length(url) <= 2000),
    description     text NOT NULL DEFAULT '' CHECK (char_length(description) <= 200),
    -- The topics it receives (`package.delivered`, …); '*' for every one (admins only).
    event_types     text[] NOT NULL CHECK (cardinality(event_types) BETWEEN 1 AND 50),
    -- A producer's endpoint receives its supplier's events only; NULL is an admin's, for everything.
    supplier_id     uuid REFERENCES suppliers (id),
    owner_id        uuid NOT NULL REFERENCES users (id),
    -- `whsec_` + base64 of the key. Kept in clear: every delivery is signed with it (as every
    -- Standard Webhooks sender does); it is shown to its owner at creation and rotation only.
    secret          text NOT NULL,
    -- After a rotation the old secret signs too, for a day, so receivers can switch without a gap.
    previous_secret text,
    previous_secret_until timestamptz,
    enabled         boolean NOT NULL DEFAULT true,
    disabled_reason text,
    -- Set by the first failure after a success; three days of failures disable the endpoint.
    failing_since   timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (supplier_id IS NULL OR NOT ('*' = ANY (event_types)))
);
CREATE INDEX webhook_endpoints_supplier_idx ON webhook_endpoints (supplier_id) WHERE enabled;

-- One row per event and endpoint: the body is fixed when the event fans out, so every retry sends
-- (and signs) the same bytes under the same `webhook-id`.
CREATE TABLE webhook_deliveries (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    endpoint_id      uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id         bigint NOT NULL,
    event_type       text NOT NULL,
    aggregate_id     uuid NOT NULL,
    -- The event before this one of the same aggregate sent to the same endpoint (NULL: none). The
    -- delivery waits while that one is pending: in order per aggregate, checked with one index lookup.
    prev_event_id    bigint,
    body             text NOT NULL,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_status_code integer,
    last_error       text,
    last_duration_ms integer,
    last_attempt_at  timestamptz,
    delivered_at     timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (endpoint_id, event_id)
);
-- An endpoint's pending deliveries in event order (what a delivery loop claims from).
CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (endpoint_id, event_id) WHERE status = 'pending';
-- The last event of an aggregate already fanned out to an endpoint (the next one's `prev_event_id`).
CREATE INDEX webhook_deliveries_aggregate_idx ON webhook_deliveries (endpoint_id, aggregate_id, event_id);
CREATE INDEX webhook_deliveries_list_idx ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);

-- Events written before webhooks existed are not sent now.
UPDATE outbox SET published_at = now() WHERE published_at IS NULL;
