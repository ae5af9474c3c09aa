-- COD money (SPEC §6, issue 6): fee terms fixed when an order is placed, a double-entry ledger that
-- PostgreSQL keeps balanced, courier cash handovers, discrepancies, remittance batches and bank
-- statement imports.

-- Commission: a rate per category (a sub-group without one uses its group's), overridable per
-- supplier, 5 % when neither says. Copied onto each order line when the order is placed, so later
-- changes never alter old parcels; the return charge (the shipping fee again) likewise.
ALTER TABLE categories ADD COLUMN commission_bps integer CHECK (commission_bps BETWEEN 0 AND 10000);
ALTER TABLE suppliers ADD COLUMN commission_bps integer CHECK (commission_bps BETWEEN 0 AND 10000);
UPDATE categories SET commission_bps = CASE code WHEN 'handicrafts' THEN 800 WHEN 'tourism' THEN 1000 ELSE 500 END
WHERE parent_code IS NULL;
ALTER TABLE order_lines ADD COLUMN commission_bps integer NOT NULL DEFAULT 0
    CHECK (commission_bps BETWEEN 0 AND 10000);
ALTER TABLE packages ADD COLUMN return_charge_vnd bigint NOT NULL DEFAULT 0 CHECK (return_charge_vnd >= 0);
UPDATE packages SET return_charge_vnd = shipping_fee_vnd;

CREATE FUNCTION order_line_commission() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.commission_bps := COALESCE(
        (SELECT s.commission_bps FROM packages p JOIN suppliers s ON s.id = p.supplier_id WHERE p.id = NEW.package_id),
        (SELECT COALESCE(c.commission_bps, g.commission_bps) FROM products pr
            JOIN categories c ON c.code = pr.category_code JOIN categories g ON g.code = pr.category_group
         WHERE pr.id = NEW.product_id),
        500);
    RETURN NEW;
END $$;
CREATE TRIGGER order_lines_commission BEFORE INSERT ON order_lines
    FOR EACH ROW EXECUTE FUNCTION order_line_commission();

CREATE FUNCTION package_return_charge() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.return_charge_vnd = 0 THEN NEW.return_charge_vnd := NEW.shipping_fee_vnd; END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER packages_return_charge BEFORE INSERT ON packages
    FOR EACH ROW EXECUTE FUNCTION package_return_charge();

-- Accounts: one per kind, or per owner (courier, post office, supplier) for the kinds that have one.
-- The balance is kept by the entries' trigger, so reading it is one row.
CREATE TABLE ledger_accounts (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('courier_cash', 'post_office_cash', 'seller_payable',
        'platform_commission', 'cod_fee_revenue', 'shipping_revenue', 'payouts_in_transit', 'bank_clearing',
        'buyer_prepayments', 'refunds_payable', 'cod_discrepancies')),
    owner_id    uuid,
    balance_vnd bigint NOT NULL DEFAULT 0,
    CONSTRAINT ledger_accounts_owner CHECK (
        (kind IN ('courier_cash', 'post_office_cash', 'seller_payable')) = (owner_id IS NOT NULL)),
    UNIQUE NULLS NOT DISTINCT (kind, owner_id)
);

CREATE TABLE ledger_transactions (
    id           uuid PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('cod_collection', 'prepaid_delivery', 'prepayment', 'refund_owed',
        'return_charge', 'handover', 'remittance_sent', 'remittance_paid', 'counter_paid', 'remittance_failed',
        'adjustment', 'reversal')),
    package_id   uuid REFERENCES packages (id),
    order_id     uuid REFERENCES orders (id),
    reference_id uuid,
    reverses     uuid REFERENCES ledger_transactions (id),
    memo         text NOT NULL DEFAULT '',
    created_by   uuid REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now()
);
-- Money moves once per parcel: one collection (or prepaid delivery), one return charge.
CREATE UNIQUE INDEX ledger_one_delivery_per_parcel ON ledger_transactions (package_id)
    WHERE kind IN ('cod_collection', 'prepaid_delivery');
CREATE UNIQUE INDEX ledger_one_return_per_parcel ON ledger_transactions (package_id) WHERE kind = 'return_charge';
CREATE UNIQUE INDEX ledger_one_refund_per_parcel ON ledger_transactions (package_id) WHERE kind = 'refund_owed';
CREATE UNIQUE INDEX ledger_one_prepayment_per_order ON ledger_transactions (order_id) WHERE kind = 'prepayment';
CREATE UNIQUE INDEX ledger_one_reversal ON ledger_transactions (reverses) WHERE reverses IS NOT NULL;
CREATE INDEX ledger_transactions_package_idx ON ledger_transactions (package_id);

CREATE TABLE ledger_entries (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id  uuid NOT NULL REFERENCES ledger_transactions (id),
    account_id      bigint NOT NULL REFERENCES ledger_accounts (id),
    -- Debits are positive, credits negative.
    amount_vnd      bigint NOT NULL CHECK (amount_vnd <> 0)
);
CREATE INDEX ledger_entries_transaction_idx ON ledger_entries (transaction_id);
CREATE INDEX ledger_entries_account_idx ON ledger_entries (account_id);

-- Balances follow entries in the same transaction.
CREATE FUNCTION ledger_entry_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE ledger_accounts SET balance_vnd = balance_vnd + NEW.amount_vnd WHERE id = NEW.account_id;
    RETURN NEW;
END $$;
CREATE TRIGGER ledger_entries_balance AFTER INSERT ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_balance();

-- Every transaction sums to zero, checked at commit (entries are inserted one by one).
CREATE FUNCTION ledger_transaction_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    total bigint;
    lines integer;
BEGIN
    SELECT COALESCE(sum(amount_vnd), 0), count(*) INTO total, lines
    FROM ledger_entries WHERE transaction_id = NEW.transaction_id;
    IF total <> 0 OR lines < 2 THEN
        RAISE EXCEPTION 'ledger transaction % does not balance (sum %, % entries)', NEW.transaction_id, total, lines
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transaction_balanced();

-- Posted is posted: corrections are new (reversing or adjusting) transactions.
CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only' USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

-- A courier's cash handed to the counter: which parcels' cash (each once), what was counted.
CREATE TABLE cod_handovers (
    id              uuid PRIMARY KEY,
    courier_id      uuid NOT NULL REFERENCES users (id),
    post_office_id  uuid NOT NULL REFERENCES post_offices (id),
    received_by     uuid NOT NULL REFERENCES users (id),
    business_day    date NOT NULL,
    expected_vnd    bigint NOT NULL CHECK (expected_vnd >= 0),
    counted_vnd     bigint NOT NULL CHECK (counted_vnd >= 0),
    transaction_id  uuid REFERENCES ledger_transactions (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cod_handovers_courier_idx ON cod_handovers (courier_id, business_day);
CREATE TABLE handover_parcels (
    package_id   uuid PRIMARY KEY REFERENCES packages (id),
    handover_id  uuid NOT NULL REFERENCES cod_handovers (id)
);
CREATE INDEX handover_parcels_handover_idx ON handover_parcels (handover_id);

-- Money that is not where it should be: a parcel collected short or over, or a handover that did
-- not match. Finance comments and resolves each with an adjusting transaction.
CREATE TABLE cod_discrepancies (
    id              uuid PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('collection', 'handover')),
    courier_id      uuid REFERENCES users (id),
    post_office_id  uuid REFERENCES post_offices (id),
    package_id      uuid REFERENCES packages (id),
    handover_id     uuid REFERENCES cod_handovers (id),
    business_day    date NOT NULL,
    -- Positive: more money than expected; negative: short.
    amount_vnd      bigint NOT NULL CHECK (amount_vnd <> 0),
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolution      text,
    resolved_by     uuid REFERENCES users (id),
    resolved_at     timestamptz,
    resolution_transaction_id uuid REFERENCES ledger_transactions (id),
    opened_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT cod_discrepancies_resolved CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);
CREATE UNIQUE INDEX cod_discrepancies_one_per_parcel ON cod_discrepancies (package_id) WHERE kind = 'collection';
CREATE INDEX cod_discrepancies_open_idx ON cod_discrepancies (opened_at, id) WHERE status = 'open';
CREATE TABLE discrepancy_comments (
    id              uuid PRIMARY KEY,
    discrepancy_id  uuid NOT NULL REFERENCES cod_discrepancies (id),
    author_id       uuid NOT NULL REFERENCES users (id),
    body            text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 2000),
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- Remittance: a batch per run, a line per supplier, and which parcels each line pays. The
-- primary key of remittance_parcels is what keeps a parcel out of two batches.
CREATE SEQUENCE remittance_batch_seq;
CREATE TABLE remittance_batches (
    id          uuid PRIMARY KEY,
    number      text NOT NULL UNIQUE,
    cutoff_at   timestamptz NOT NULL,
    created_by  uuid REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE remittance_lines (
    id              uuid PRIMARY KEY,
    batch_id        uuid NOT NULL REFERENCES remittance_batches (id),
    line_no         integer NOT NULL CHECK (line_no >= 1),
    supplier_id     uuid NOT NULL REFERENCES suppliers (id),
    payout_method   text NOT NULL CHECK (payout_method IN ('bank_transfer', 'counter_cash')),
    bank_bin        text,
    account_no      text,
    account_name    text,
    amount_vnd      bigint NOT NULL CHECK (amount_vnd > 0),
    parcel_count    integer NOT NULL CHECK (parcel_count > 0),
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'failed')),
    bank_reference  text,
    failure_reason  text,
    settled_at      timestamptz,
    settled_by      uuid REFERENCES users (id),
    UNIQUE (batch_id, line_no)
);
CREATE UNIQUE INDEX remittance_lines_bank_reference ON remittance_lines (bank_reference)
    WHERE bank_reference IS NOT NULL;
CREATE INDEX remittance_lines_supplier_idx ON remittance_lines (supplier_id, batch_id);
CREATE TABLE remittance_parcels (
    package_id  uuid PRIMARY KEY REFERENCES packages (id),
    line_id     uuid NOT NULL REFERENCES remittance_lines (id),
    net_vnd     bigint NOT NULL
);
CREATE INDEX remittance_parcels_line_idx ON remittance_parcels (line_id);

-- Bank statements: a file imports once (by its digest); each row is matched to a paid line.
CREATE TABLE bank_statements (
    id           uuid PRIMARY KEY,
    digest       text NOT NULL UNIQUE,
    imported_by  uuid REFERENCES users (id),
    imported_at  timestamptz NOT NULL DEFAULT now(),
    row_count    integer NOT NULL
);
CREATE TABLE bank_statement_rows (
    statement_id    uuid NOT NULL REFERENCES bank_statements (id),
    row_no          integer NOT NULL,
    bank_reference  text NOT NULL,
    amount_vnd      bigint NOT NULL,
    value_on        date NOT NULL,
    description     text NOT NULL DEFAULT '',
    outcome         text NOT NULL CHECK (outcome IN ('matched', 'amount_mismatch', 'unmatched', 'duplicate')),
    line_id         uuid REFERENCES remittance_lines (id),
    PRIMARY KEY (statement_id, row_no)
);
CREATE UNIQUE INDEX bank_statement_rows_one_match ON bank_statement_rows (line_id) WHERE outcome = 'matched';

-- Delivered parcels by day, for remittance cut-offs and reconciliation.
CREATE INDEX packages_delivered_idx ON packages (delivered_at) WHERE status = 'delivered';
