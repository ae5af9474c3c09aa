import Foundation
import Kernel
import Logging
import Orders
import PostgresNIO

/// Finance's side of held transfers: list them, apply them to their order once they add up to its
/// total, or owe them back and record the refund once paid. Every step is a balanced posting out of
/// `unapplied_receipts`, so the suspense account's balance is exactly the open receipts' sum.
public struct ReceiptService: Sendable {
    let db: Database
    let logger: Logger
    let orders: OrderService

    public init(db: Database, logger: Logger, orders: OrderService) {
        self.db = db
        self.logger = logger
        self.orders = orders
    }

    static let select = """
        SELECT n.id, n.event_id, n.order_number, n.order_id, n.amount_vnd, n.sent_at, n.received_at,
            n.bank_reference, n.outcome, n.resolution, n.resolved_at, n.resolution_note,
            paid.created_at AS refund_paid_at, paid.memo AS refund_reference
        FROM payment_notifications n
            LEFT JOIN ledger_transactions paid
                ON paid.reference_id = n.id AND paid.kind = 'refund_paid' AND paid.package_id IS NULL
        WHERE n.outcome <> 'confirmed'
        """

    /// Oldest first, at most 1,000; `status` nil for all.
    public func list(status: HeldReceipt.Status?, caller: Caller) async throws -> [HeldReceipt] {
        try caller.signedIn().require(.finance)
        let filter: String =
            switch status {
            case nil: ""
            case .open: "AND n.resolution IS NULL"
            case .applied: "AND n.resolution = 'applied'"
            case .refundOwed: "AND n.resolution = 'refund' AND paid.id IS NULL"
            case .refunded: "AND n.resolution = 'refund' AND paid.id IS NOT NULL"
            }
        return try await db.withConnection { connection in
            try await connection.query(
                "\(unescaped: Self.select) \(unescaped: filter) ORDER BY n.received_at, n.id LIMIT 1000",
                logger: logger
            ).collect().map(Self.receipt)
        }
    }

    public func get(_ id: UUID, caller: Caller) async throws -> HeldReceipt {
        try caller.signedIn().require(.finance)
        return try await db.withConnection { connection in try await load(id, on: connection) }
    }

    /// Applies this transfer, with every other open one of the same order, to that order: allowed while
    /// the order still awaits payment and the transfers add up to its total exactly (a buyer who paid
    /// short and then sent the rest). The order is then paid, as if one notification had confirmed it.
    public func apply(_ id: UUID, caller: Caller) async throws -> HeldReceipt {
        let principal = try caller.signedIn()
        try principal.require(.finance)
        return try await db.withTransaction(logger: logger) { connection in
            let first = try await load(id, on: connection)
            guard let orderID = first.orderID else {
                throw DomainError.conflict(
                    kind: "receipt-has-no-order",
                    detail: "No order has number \(first.orderNumber): this transfer can only be paid back.",
                    currentState: first.status.rawValue)
            }
            // The order first, then its receipts in id order: the notification path locks the order
            // before it stores a new receipt, so the two never wait on each other in a cycle.
            let order = try await connection.query(
                "SELECT status, grand_total_vnd FROM orders WHERE id = \(orderID) FOR UPDATE", logger: logger
            ).collect().decode((String, Int64).self)
            let held = try await connection.query(
                """
                SELECT id, amount_vnd FROM payment_notifications
                WHERE order_id = \(orderID) AND outcome <> 'confirmed' AND resolution IS NULL
                ORDER BY id FOR UPDATE
                """,
                logger: logger
            ).collect().decode((UUID, Int64).self)
            guard held.contains(where: { $0.0 == id }) else { throw Self.resolved(first) }
            guard let (status, total) = order.first, status == OrderStatus.awaitingPayment.rawValue else {
                throw DomainError.conflict(
                    kind: "order-not-awaiting-payment",
                    detail: "Order \(first.orderNumber) no longer awaits payment: pay this transfer back instead.",
                    currentState: order.first?.0)
            }
            let received = held.reduce(Int64(0)) { $0 + $1.1 }
            guard received == total else {
                throw DomainError.conflict(
                    kind: "receipts-do-not-add-up",
                    detail: "Order \(first.orderNumber) totals \(total) đ; its open transfers add up to \(received) đ. "
                        + "Wait for the rest, or pay them back.")
            }
            let writer = LedgerWriter(logger: logger)
            for (receipt, amount) in held where amount > 0 {
                try await writer.post(
                    Postings.receiptApplied(amount: amount),
                    .init(orderID: orderID, referenceID: receipt, by: principal.userID), on: connection)
            }
            try await HeldPaymentResolution.applied(
                held.map(\.0), by: principal.userID, on: connection, logger: logger)
            try await orders.markPaid(orderID, on: connection)
            try await AuditEntry(
                actorID: principal.userID, action: "receipt.applied", entityType: "order",
                entityID: orderID.uuidString.lowercased(), requestID: caller.requestID,
                details: [
                    "receipts": held.map { $0.0.uuidString.lowercased() }.joined(separator: ","),
                    "amount_vnd": String(received),
                ]
            ).record(on: connection, logger: logger)
            return try await load(id, on: connection)
        }
    }

    /// Owes the transfer back to its sender (it joins the refunds owed).
    public func refund(_ id: UUID, reason: String, caller: Caller) async throws -> HeldReceipt {
        let principal = try caller.signedIn()
        try principal.require(.finance)
        var v = Validator()
        v.text(reason, "reason", max: 500)
        v.check(!reason.allSatisfy(\.isWhitespace), "reason", "must say why")
        try v.done()
        return try await db.withTransaction(logger: logger) { connection in
            let receipt = try await load(id, on: connection, lock: true)
            guard receipt.status == .open else { throw Self.resolved(receipt) }
            if receipt.amountVND > 0 {
                try await LedgerWriter(logger: logger).post(
                    Postings.receiptRefundOwed(amount: receipt.amountVND),
                    .init(orderID: receipt.orderID, referenceID: id, memo: reason, by: principal.userID),
                    on: connection)
            }
            try await HeldPaymentResolution.refundOwed(
                id, reason: reason, by: principal.userID, on: connection, logger: logger)
            try await AuditEntry(
                actorID: principal.userID, action: "receipt.refund_owed", entityType: "payment_notification",
                entityID: id.uuidString.lowercased(), requestID: caller.requestID, details: ["reason": reason]
            ).record(on: connection, logger: logger)
            return try await load(id, on: connection)
        }
    }

    /// The transfer was paid back (bank reference required), once.
    public func refundPaid(_ id: UUID, reference: String, caller: Caller) async throws -> HeldReceipt {
        let principal = try caller.signedIn()
        try principal.require(.finance)
        var v = Validator()
        v.text(reference, "bank_reference", max: 64)
        try v.done()
        do {
            return try await db.withTransaction(logger: logger) { connection in
                let receipt = try await load(id, on: connection, lock: true)
                guard receipt.status == .refundOwed else {
                    throw DomainError.conflict(
                        kind: "invalid-transition",
                        detail: receipt.status == .refunded
                            ? "This transfer is already paid back." : "This transfer is not owed back.",
                        currentState: receipt.status.rawValue)
                }
                if receipt.amountVND > 0 {
                    try await LedgerWriter(logger: logger).post(
                        Postings.refundPaid(amount: receipt.amountVND),
                        .init(orderID: receipt.orderID, referenceID: id, memo: reference, by: principal.userID),
                        on: connection)
                }
                try await AuditEntry(
                    actorID: principal.userID, action: "receipt.refund_paid", entityType: "payment_notification",
                    entityID: id.uuidString.lowercased(), requestID: caller.requestID,
                    details: ["bank_reference": reference]
                ).record(on: connection, logger: logger)
                return try await load(id, on: connection)
            }
        } catch let error as PSQLError where error.sqlState == "23505" {
            throw DomainError.conflict(
                kind: "invalid-transition", detail: "This transfer is already paid back.", currentState: "refunded")
        }
    }

    func load(_ id: UUID, on connection: PostgresConnection, lock: Bool = false) async throws -> HeldReceipt {
        let rows = try await connection.query(
            "\(unescaped: Self.select) AND n.id = \(id) \(unescaped: lock ? "FOR UPDATE OF n" : "")", logger: logger
        ).collect()
        guard let row = rows.first else { throw DomainError.notFound("No held transfer with this id.") }
        return try Self.receipt(row)
    }

    static func resolved(_ receipt: HeldReceipt) -> DomainError {
        .conflict(
            kind: "invalid-transition", detail: "This transfer was resolved already (\(receipt.status.rawValue)).",
            currentState: receipt.status.rawValue)
    }

    static func receipt(_ row: PostgresRow) throws -> HeldReceipt {
        let r = row.columns
        let resolution: String? = try r.get("resolution")
        let refundPaidAt: Date? = try r.get("refund_paid_at")
        let status: HeldReceipt.Status =
            switch resolution {
            case "applied": .applied
            case "refund": refundPaidAt == nil ? .refundOwed : .refunded
            default: .open
            }
        return HeldReceipt(
            id: try r.get("id"), eventID: try r.get("event_id"), orderNumber: try r.get("order_number"),
            orderID: try r.get("order_id"), amountVND: try r.get("amount_vnd"), sentAt: try r.get("sent_at"),
            receivedAt: try r.get("received_at"), bankReference: try r.get("bank_reference"),
            outcome: try r.get("outcome"), status: status, resolvedAt: try r.get("resolved_at"),
            note: try r.get("resolution_note"), refundPaidAt: refundPaidAt,
            refundReference: try r.get("refund_reference"))
    }
}
