import Foundation
import Kernel
import Logging
import PostgresNIO

/// The promises of SPEC §6, checked against the whole database: every transaction and the ledger
/// sum to zero, balances equal their entries, every delivered parcel's money was posted once, no
/// parcel is remitted twice, for each supplier remitted + payable = its share less charges, and every
/// bank transfer received is booked (confirmed to prepayments, anything else to suspense).
public struct LedgerCheck: Sendable {
    let db: Database
    let logger: Logger

    public init(db: Database, logger: Logger) {
        self.db = db
        self.logger = logger
    }

    public struct Finding: Sendable, Equatable {
        public var check: String
        public var problems: [String]
    }

    public func run() async throws -> [Finding] {
        try await db.withConnection { connection in
            var findings: [Finding] = []
            func check(_ name: String, _ query: PostgresQuery) async throws {
                let rows = try await connection.query(query, logger: logger).collect().decode(String.self)
                findings.append(Finding(check: name, problems: rows))
            }
            try await check(
                "every transaction sums to zero",
                """
                SELECT 'transaction ' || t.id || ' (' || t.kind || ') sums to ' || COALESCE(sum(e.amount_vnd), 0)
                FROM ledger_transactions t LEFT JOIN ledger_entries e ON e.transaction_id = t.id
                GROUP BY t.id HAVING COALESCE(sum(e.amount_vnd), 0) <> 0 OR count(e.id) < 2
                """)
            try await check(
                "the ledger sums to zero",
                """
                SELECT 'all entries sum to ' || sum(amount_vnd) FROM ledger_entries HAVING sum(amount_vnd) <> 0
                """)
            try await check(
                "balances equal their entries",
                """
                SELECT a.kind || ' ' || COALESCE(a.owner_id::text, '') || ': balance ' || a.balance_vnd
                    || ', entries ' || COALESCE(sum(e.amount_vnd), 0)
                FROM ledger_accounts a LEFT JOIN ledger_entries e ON e.account_id = a.id
                GROUP BY a.id HAVING a.balance_vnd <> COALESCE(sum(e.amount_vnd), 0)
                """)
            try await check(
                "every delivered parcel's money is posted once",
                """
                SELECT 'parcel ' || COALESCE(p.tracking_no, p.id::text) || ' delivered with ' || count(t.id)
                    || ' delivery postings'
                FROM packages p LEFT JOIN ledger_transactions t
                    ON t.package_id = p.id AND t.kind IN ('cod_collection', 'prepaid_delivery')
                WHERE p.status = 'delivered' AND EXISTS (
                    SELECT 1 FROM shipment_events s WHERE s.package_id = p.id AND s.type = 'delivered' AND s.applied)
                GROUP BY p.id HAVING count(t.id) <> 1
                """)
            try await check(
                "remittance lines cover exactly their parcels",
                """
                SELECT 'line ' || l.id || ': amount ' || l.amount_vnd || ', parcels ' || COALESCE(sum(r.net_vnd), 0)
                    || ', charges ' || COALESCE((SELECT sum(c.net_vnd) FROM remittance_charges c WHERE c.line_id = l.id), 0)
                FROM remittance_lines l LEFT JOIN remittance_parcels r ON r.line_id = l.id
                WHERE l.status <> 'failed'
                GROUP BY l.id
                HAVING l.amount_vnd <> COALESCE(sum(r.net_vnd), 0)
                        + COALESCE((SELECT sum(c.net_vnd) FROM remittance_charges c WHERE c.line_id = l.id), 0)
                    OR l.parcel_count <> count(r.package_id)
                """)
            try await check(
                "for each supplier, remitted + payable = share less charges",
                """
                WITH share AS (
                    SELECT a.owner_id AS supplier, -sum(e.amount_vnd) AS amount
                    FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id AND a.kind = 'seller_payable'
                        JOIN ledger_transactions t ON t.id = e.transaction_id
                    WHERE t.kind IN ('cod_collection', 'prepaid_delivery', 'return_charge', 'complaint_refund')
                    GROUP BY a.owner_id
                ), remitted AS (
                    SELECT supplier_id AS supplier, sum(amount_vnd) AS amount FROM remittance_lines
                    WHERE status <> 'failed' GROUP BY supplier_id
                )
                SELECT 'supplier ' || a.owner_id || ': share ' || COALESCE(s.amount, 0) || ', remitted '
                    || COALESCE(r.amount, 0) || ', payable ' || -a.balance_vnd
                FROM ledger_accounts a LEFT JOIN share s ON s.supplier = a.owner_id
                    LEFT JOIN remitted r ON r.supplier = a.owner_id
                WHERE a.kind = 'seller_payable'
                    AND COALESCE(r.amount, 0) + -a.balance_vnd <> COALESCE(s.amount, 0)
                """)
            try await check(
                "every granted complaint's refund is owed once, by whoever pays it",
                """
                SELECT 'complaint ' || c.number || ' (' || c.status || '): ' || count(t.id) || ' refund postings of '
                    || COALESCE(sum(-e.amount_vnd), 0) || ', granted ' || COALESCE(c.refund_vnd, 0)
                FROM complaints c LEFT JOIN ledger_transactions t ON t.reference_id = c.id
                        AND t.kind = CASE c.liable WHEN 'post_office' THEN 'transport_claim' ELSE 'complaint_refund' END
                    LEFT JOIN ledger_entries e ON e.transaction_id = t.id
                        AND e.account_id = (SELECT id FROM ledger_accounts WHERE kind = 'refunds_payable')
                GROUP BY c.id
                HAVING count(t.id) <> (CASE WHEN c.status = 'refunded' THEN 1 ELSE 0 END)
                    OR COALESCE(sum(-e.amount_vnd), 0) <> COALESCE(c.refund_vnd, 0)
                    OR (SELECT count(*) FROM ledger_transactions x WHERE x.reference_id = c.id
                        AND x.kind IN ('complaint_refund', 'transport_claim')) <> count(t.id)
                """)
            try await check(
                "every received transfer is on the books",
                """
                WITH cleared AS (
                    SELECT t.kind, t.reference_id, t.order_id, e.amount_vnd
                    FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
                        JOIN ledger_accounts a ON a.id = e.account_id AND a.kind = 'bank_clearing'
                    WHERE t.kind IN ('receipt_held', 'prepayment')
                ), booked AS (
                    SELECT n.event_id, n.outcome, n.amount_vnd AS received,
                        CASE WHEN n.outcome = 'confirmed'
                            THEN (SELECT sum(c.amount_vnd) FROM cleared c
                                  WHERE c.kind = 'prepayment' AND c.order_id = n.order_id)
                            ELSE (SELECT sum(c.amount_vnd) FROM cleared c
                                  WHERE c.kind = 'receipt_held' AND c.reference_id = n.id)
                        END AS booked
                    FROM payment_notifications n
                )
                SELECT 'transfer ' || event_id || ' (' || outcome || '): received ' || received || ', booked '
                    || COALESCE(booked, 0)
                FROM booked WHERE received <> COALESCE(booked, 0)
                """)
            try await check(
                "unapplied receipts hold exactly the open transfers",
                """
                SELECT 'unapplied receipts: balance ' || COALESCE((SELECT -balance_vnd FROM ledger_accounts
                        WHERE kind = 'unapplied_receipts'), 0)
                    || ', open transfers ' || open.amount
                FROM (SELECT COALESCE(sum(amount_vnd), 0) AS amount FROM payment_notifications
                      WHERE outcome <> 'confirmed' AND resolution IS NULL) open
                WHERE open.amount <> COALESCE((SELECT -balance_vnd FROM ledger_accounts
                    WHERE kind = 'unapplied_receipts'), 0)
                """)
            return findings
        }
    }
}
