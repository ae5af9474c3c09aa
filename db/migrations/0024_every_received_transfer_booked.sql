-- Issue 16, SPEC §6: money that arrives is on the books the moment it arrives. A signed transfer
-- notification that does not confirm its order (wrong amount, order no longer awaiting payment, no
-- such order) used to be stored and nothing more. Now it is booked at once against a suspense
-- account (bank clearing Dr, unapplied receipts Cr, `receipt_held`), and finance resolves it: applied
-- to its order once the transfers add up to the total (`receipt_applied`, to buyer prepayments), or
-- owed back to the buyer (`receipt_refund_owed`, to refunds payable, then `refund_paid` once paid).
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check CHECK (kind IN ('courier_cash',
    'post_office_cash', 'seller_payable', 'platform_commission', 'cod_fee_revenue', 'shipping_revenue',
    'payouts_in_transit', 'bank_clearing', 'buyer_prepayments', 'refunds_payable', 'cod_discrepancies',
    'unapplied_receipts'));
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_kind_check;
ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_kind_check CHECK (kind IN ('cod_collection',
    'prepaid_delivery', 'prepayment', 'refund_owed', 'refund_paid', 'return_charge', 'handover', 'remittance_sent',
    'remittance_paid', 'counter_paid', 'remittance_failed', 'adjustment', 'reversal', 'receipt_held',
    'receipt_applied', 'receipt_refund_owed'));
-- Each held receipt is booked once, resolved once, and its refund paid once.
CREATE UNIQUE INDEX ledger_one_booking_per_receipt ON ledger_transactions (reference_id)
    WHERE kind IN ('receipt_held');
CREATE UNIQUE INDEX ledger_one_resolution_per_receipt ON ledger_transactions (reference_id)
    WHERE kind IN ('receipt_applied', 'receipt_refund_owed');
CREATE UNIQUE INDEX ledger_one_refund_payment_per_receipt ON ledger_transactions (reference_id)
    WHERE kind = 'refund_paid' AND package_id IS NULL;

ALTER TABLE payment_notifications
    ADD COLUMN resolution text CHECK (resolution IN ('applied', 'refund')),
    ADD COLUMN resolved_at timestamptz,
    ADD COLUMN resolved_by uuid REFERENCES users (id),
    ADD COLUMN resolution_note text,
    ADD CONSTRAINT payment_notifications_resolved CHECK ((resolution IS NULL) = (resolved_at IS NULL)),
    ADD CONSTRAINT payment_notifications_confirmed_unresolved CHECK (outcome <> 'confirmed' OR resolution IS NULL);
CREATE INDEX payment_notifications_open_idx ON payment_notifications (received_at)
    WHERE outcome <> 'confirmed' AND resolution IS NULL;

-- Transfers received before this migration and only stored: book them now, as they would have been.
INSERT INTO ledger_accounts (kind, owner_id) VALUES ('bank_clearing', NULL), ('unapplied_receipts', NULL)
    ON CONFLICT (kind, owner_id) DO NOTHING;
CREATE TEMPORARY TABLE held_before_0024 ON COMMIT DROP AS
    SELECT gen_random_uuid() AS transaction_id, n.id, n.order_id, n.amount_vnd FROM payment_notifications n
    WHERE n.outcome <> 'confirmed' AND n.amount_vnd > 0;
INSERT INTO ledger_transactions (id, kind, order_id, reference_id, memo)
    SELECT transaction_id, 'receipt_held', order_id, id, 'booked by migration 0024' FROM held_before_0024;
INSERT INTO ledger_entries (transaction_id, account_id, amount_vnd)
    SELECT h.transaction_id, a.id, CASE a.kind WHEN 'bank_clearing' THEN h.amount_vnd ELSE -h.amount_vnd END
    FROM held_before_0024 h CROSS JOIN ledger_accounts a
    WHERE a.kind IN ('bank_clearing', 'unapplied_receipts') AND a.owner_id IS NULL
    ORDER BY a.id;
