import Foundation
import Kernel
import Logging
import Orders
import PostgresNIO

/// Money owed back to a buyer, for one package of a paid order or for a held transfer finance chose to
/// pay back, and whether finance has paid it.
public struct Refund: Sendable, Equatable {
    /// Set for a package's refund.
    public var packageID: UUID?
    /// Set for a held transfer's refund (paid through the receipts' own operation).
    public var receiptID: UUID?
    public var orderNumber: String
    public var trackingNo: String?
    public var amountVND: Int64
    public var owedAt: Date
    public var paidAt: Date?
    public var bankReference: String?
    /// Set for a complaint's refund: its number, and where a cash buyer asked the money to go.
    public var complaintNumber: String? = nil
    public var refundAccount: RefundAccount? = nil
}

/// Refunds are owed by the books (`refund_owed`, posted when a paid package is cancelled, rejected
/// or returned; `complaint_refund` or `transport_claim` when a complaint about a delivered package is
/// granted) and tracked until finance pays them: one `refund_paid` per package, by unique index (a
/// package has one complaint, and a delivered one was never refunded before).
public struct RefundService: Sendable {
    let db: Database
    let logger: Logger

    public init(db: Database, logger: Logger) {
        self.db = db
        self.logger = logger
    }

    static let select = """
        SELECT o.package_id, NULL::uuid AS receipt_id, ord.number, p.tracking_no, -e.amount_vnd AS amount, o.created_at AS owed_at,
            paid.created_at AS paid_at, paid.memo AS reference, c.number AS complaint_number,
            c.refund_bank_bin, c.refund_account_no, c.refund_account_name
        FROM ledger_transactions o
            JOIN ledger_entries e ON e.transaction_id = o.id
            JOIN ledger_accounts a ON a.id = e.account_id AND a.kind = 'refunds_payable'
            JOIN packages p ON p.id = o.package_id JOIN orders ord ON ord.id = p.order_id
            LEFT JOIN ledger_transactions paid ON paid.package_id = o.package_id AND paid.kind = 'refund_paid'
            LEFT JOIN complaints c ON c.id = o.reference_id AND o.kind IN ('complaint_refund', 'transport_claim')
        WHERE o.kind IN ('refund_owed', 'complaint_refund', 'transport_claim')
        """

    /// Held transfers owed back, in the same shape.
    static let selectReceipts = """
        SELECT NULL::uuid AS package_id, n.id AS receipt_id, n.order_number AS number, NULL::text AS tracking_no,
            n.amount_vnd AS amount, n.resolved_at AS owed_at, paid.created_at AS paid_at, paid.memo AS reference,
            NULL::text AS complaint_number, NULL::text AS refund_bank_bin, NULL::text AS refund_account_no,
            NULL::text AS refund_account_name
        FROM payment_notifications n
            LEFT JOIN ledger_transactions paid
                ON paid.reference_id = n.id AND paid.kind = 'refund_paid' AND paid.package_id IS NULL
        WHERE n.resolution = 'refund'
        """

    /// Oldest first; `paid` nil for all.
    public func list(paid: Bool?, caller: Caller) async throws -> [Refund] {
        let principal = try caller.signedIn()
        try principal.require(.finance)
        return try await db.withConnection { connection in
            try await connection.query(
                """
                SELECT * FROM (
                    \(unescaped: Self.select) AND (\(paid)::boolean IS NULL OR (paid.id IS NOT NULL) = \(paid))
                    UNION ALL
                    \(unescaped: Self.selectReceipts) AND (\(paid)::boolean IS NULL OR (paid.id IS NOT NULL) = \(paid))
                ) refunds
                ORDER BY owed_at, package_id, receipt_id LIMIT 1000
                """,
                logger: logger
            ).collect().map(Self.refund)
        }
    }

    /// Finance paid the buyer back (bank reference required): refunds payable → bank clearing, once.
    public func markPaid(package id: UUID, reference: String, caller: Caller) async throws -> Refund {
        let principal = try caller.signedIn()
        try principal.require(.finance)
        var v = Validator()
        v.text(reference, "bank_reference", max: 64)
        try v.done()
        do {
            return try await db.withTransaction(logger: logger) { connection in
                let owed = try await connection.query(
                    "\(unescaped: Self.select) AND o.package_id = \(id)", logger: logger
                ).collect().map(Self.refund)
                guard let refund = owed.first else { throw DomainError.notFound("No refund is owed for this package.") }
                guard refund.paidAt == nil else {
                    throw DomainError.conflict(
                        kind: "invalid-transition", detail: "This refund is already paid.", currentState: "paid")
                }
                try await LedgerWriter(logger: logger).post(
                    Postings.refundPaid(amount: refund.amountVND),
                    .init(packageID: id, memo: reference, by: principal.userID), on: connection)
                try await AuditEntry(
                    actorID: principal.userID, action: "refund.paid", entityType: "package", entityID: id.uuidString,
                    requestID: caller.requestID, details: ["bank_reference": reference]
                ).record(on: connection, logger: logger)
                try await Outbox.add(
                    topic: "refund.paid", aggregateType: "package", id: id,
                    payload: ["amount_vnd": String(refund.amountVND)], on: connection, logger: logger)
                return try await connection.query(
                    "\(unescaped: Self.select) AND o.package_id = \(id)", logger: logger
                ).collect().map(Self.refund).first ?? refund
            }
        } catch let error as PSQLError where error.sqlState == "23505" {
            throw DomainError.conflict(
                kind: "invalid-transition", detail: "This refund is already paid.", currentState: "paid")
        }
    }

    static func refund(_ row: PostgresRow) throws -> Refund {
        let r = row.columns
        return Refund(
            packageID: try r.get("package_id"), receiptID: try r.get("receipt_id"), orderNumber: try r.get("number"),
            trackingNo: try r.get("tracking_no"),
            amountVND: try r.get("amount"), owedAt: try r.get("owed_at"), paidAt: try r.get("paid_at"),
            bankReference: try r.get("reference"), complaintNumber: try r.get("complaint_number"),
            refundAccount: try account(r))
    }

    private static func account(_ r: PostgresRandomAccessRow) throws -> RefundAccount? {
        guard let bin = try r.get("refund_bank_bin", as: String?.self),
            let number = try r.get("refund_account_no", as: String?.self),
            let name = try r.get("refund_account_name", as: String?.self)
        else { return nil }
        return RefundAccount(bankBIN: bin, accountNo: number, accountName: name)
    }
}

/// An account's balance as the books hold it (debit positive).
public struct AccountBalance: Sendable, Equatable {
    public var kind: AccountKind
    public var ownerID: UUID?
    public var balanceVND: Int64
}

extension RefundService {
    /// Every account's balance, by kind then owner (finance). Balances are kept by the entries'
    /// trigger, so this reads one row per account.
    public func balances(kind: AccountKind?, caller: Caller) async throws -> [AccountBalance] {
        let principal = try caller.signedIn()
        try principal.require(.finance)
        return try await db.withConnection { connection in
            try await connection.query(
                """
                SELECT kind, owner_id, balance_vnd FROM ledger_accounts
                WHERE \(kind?.rawValue)::text IS NULL OR kind = \(kind?.rawValue)
                ORDER BY kind, owner_id NULLS FIRST LIMIT 10000
                """,
                logger: logger
            ).collect().decode((String, UUID?, Int64).self).compactMap { row in
                AccountKind(rawValue: row.0).map { AccountBalance(kind: $0, ownerID: row.1, balanceVND: row.2) }
            }
        }
    }
}
