-- Refunds owed to buyers (a paid order cancelled, rejected or returned) are paid by finance: one
-- payment per refund, posted against refunds payable (issue 6, SPEC §6 "tracked until paid").
ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_kind_check;
ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_kind_check CHECK (kind IN ('cod_collection',
    'prepaid_delivery', 'prepayment', 'refund_owed', 'refund_paid', 'return_charge', 'handover', 'remittance_sent',
    'remittance_paid', 'counter_paid', 'remittance_failed', 'adjustment', 'reversal'));
CREATE UNIQUE INDEX ledger_one_refund_payment_per_parcel ON ledger_transactions (package_id) WHERE kind = 'refund_paid';
