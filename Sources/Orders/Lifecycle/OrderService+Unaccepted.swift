import Foundation
import Kernel
import Logging
import PostgresNIO

extension OrderService {
    /// Cancels the packages no producer accepted within `window` of their becoming new (placed, or
    /// paid for a bank transfer), so that the buyer is not left waiting: their stock returns and the
    /// buyer is told (outbox `package.cancelled` with reason `not_accepted`). Orders are claimed with
    /// SKIP LOCKED, so workers side by side never cancel one twice. Returns how many packages.
    public func cancelUnaccepted(window: TimeInterval, limit: Int = 100, now: Date = Date()) async throws -> Int {
        let cutoff = now.addingTimeInterval(-window)
        return try await db.withTransaction(logger: logger) { connection in
            let due = try await connection.query(
                """
                SELECT o.id FROM orders o
                WHERE EXISTS (SELECT 1 FROM packages p WHERE p.order_id = o.id AND p.status = 'new'
                              AND coalesce(o.paid_at, p.created_at) < \(cutoff))
                ORDER BY o.created_at LIMIT \(limit)
                FOR UPDATE OF o SKIP LOCKED
                """,
                logger: logger
            ).collect().decode(UUID.self)
            guard !due.isEmpty else { return 0 }
            let orders = try await OrderReader(logger: logger).load(due, on: connection, forUpdate: true)
            let times = try await connection.query(
                """
                SELECT p.id FROM packages p JOIN orders o ON o.id = p.order_id
                WHERE p.order_id = ANY(\(due)) AND p.status = 'new' AND coalesce(o.paid_at, p.created_at) < \(cutoff)
                """,
                logger: logger
            ).collect().decode(UUID.self)
            let overdue = Set(times)
            let cancelling = orders.flatMap { $0.packages.filter { overdue.contains($0.id) && $0.status == .new } }
            try await lockVariants(of: cancelling, on: connection)
            for package in cancelling {
                try await move(package, .cancel, reason: nil, eventReason: "not_accepted", on: connection)
                try await AuditEntry(
                    actorID: nil, action: "package.cancel_unaccepted", entityType: "package",
                    entityID: package.id.uuidString.lowercased(), requestID: "worker",
                    details: ["window_hours": String(Int(window / 3600))]
                ).record(on: connection, logger: logger)
            }
            for order in orders {
                _ = try await refreshStatus(of: order.id, on: connection)
            }
            return cancelling.count
        }
    }
}
