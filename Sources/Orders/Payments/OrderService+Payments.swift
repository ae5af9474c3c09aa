import Foundation
import Kernel
import Logging
import PostgresNIO

extension OrderService {
    /// Applies a verified notification once per event id: confirms an order awaiting exactly this
    /// amount; records (and flags) anything else without changing the order.
    public func apply(_ notification: PaymentNotification) async throws -> (PaymentNotification.Outcome, UUID?) {
        try await db.withTransaction(logger: logger) { connection in
            let orders = try await connection.query(
                "SELECT id, status, grand_total_vnd FROM orders WHERE number = \(notification.orderNumber) FOR UPDATE",
                logger: logger
            ).collect().decode((UUID, String, Int64).self)
            let outcome: PaymentNotification.Outcome
            let orderID = orders.first?.0
            if let order = orders.first {
                if order.1 != OrderStatus.awaitingPayment.rawValue {
                    outcome = .notAwaitingPayment
                } else if order.2 != notification.amountVND {
                    outcome = .amountMismatch
                } else {
                    outcome = .confirmed
                }
            } else {
                outcome = .unknownOrder
            }
            let inserted = try await connection.query(
                """
                INSERT INTO payment_notifications (event_id, order_number, order_id, amount_vnd, sent_at,
                    bank_reference, outcome)
                VALUES (\(notification.eventID), \(notification.orderNumber), \(orderID), \(notification.amountVND),
                    \(notification.sentAt), \(notification.bankReference), \(outcome.rawValue))
                ON CONFLICT (event_id) DO NOTHING RETURNING id
                """,
                logger: logger
            ).collect().decode(UUID.self)
            // A replayed event changes nothing, whatever it says now.
            guard let notificationID = inserted.first else { return (.duplicate, orderID) }
            guard outcome == .confirmed, let orderID else {
                // The money is in the bank whatever the order says: booked now, resolved by finance.
                try await hooks.paymentHeld(notificationID, connection, logger)
                return (outcome, orderID)
            }
            try await markPaid(orderID, on: connection)
            try await hooks.orderPaid(orderID, connection, logger)
            return (outcome, orderID)
        }
    }

    /// The order's awaiting packages become `new` and the order is paid, in the caller's transaction
    /// (which holds the order's row). The books are the caller's: a confirmed notification posts a
    /// prepayment, finance applying held transfers moves them out of suspense.
    public func markPaid(_ orderID: UUID, on connection: PostgresConnection) async throws {
        guard let order = try await OrderReader(logger: logger).load(orderID, on: connection, forUpdate: true) else {
            throw DomainError.notFound("No order with this id.")
        }
        for package in order.packages where package.status == .awaitingPayment {
            try await move(package, .pay, reason: nil, on: connection)
        }
        try await connection.query(
            "UPDATE orders SET paid_at = now(), updated_at = now() WHERE id = \(orderID)", logger: logger)
        _ = try await refreshStatus(of: orderID, on: connection)
    }

    /// Releases unpaid bank-transfer orders whose time is up: their packages expire and their stock
    /// returns. Rows are claimed with SKIP LOCKED, so any number of workers can run it at once and
    /// each order is released by exactly one of them. Returns how many orders it released.
    public func releaseUnpaid(limit: Int = 100) async throws -> Int {
        try await db.withTransaction(logger: logger) { connection in
            let due = try await connection.query(
                """
                SELECT id FROM orders
                WHERE status = 'awaiting_payment' AND payment_due_at < now()
                ORDER BY payment_due_at LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
                """,
                logger: logger
            ).collect().decode(UUID.self)
            let orders = try await OrderReader(logger: logger).load(due, on: connection, forUpdate: true)
            let expiring = orders.flatMap { $0.packages.filter { $0.status == .awaitingPayment } }
            // Every variant the batch gives stock back to, locked in id order first: placement takes
            // them in that order too, so neither a placement nor another worker can deadlock with this.
            try await lockVariants(of: expiring, on: connection)
            for package in expiring {
                try await move(package, .expire, reason: nil, on: connection)
            }
            for order in orders {
                _ = try await refreshStatus(of: order.id, on: connection)
            }
            return due.count
        }
    }

    /// Forgets idempotency keys older than `hours` (SPEC: kept at least 24 hours). Returns how many.
    public func purgeIdempotencyKeys(olderThanHours hours: Int) async throws -> Int {
        precondition(hours >= 24, "keys are kept at least 24 hours")
        return try await db.withConnection { connection in
            try await connection.query(
                """
                WITH gone AS (
                    DELETE FROM idempotency_keys WHERE created_at < now() - \(hours) * interval '1 hour' RETURNING 1
                )
                SELECT count(*)::int FROM gone
                """,
                logger: logger
            ).collect().decode(Int.self).first ?? 0
        }
    }
}
