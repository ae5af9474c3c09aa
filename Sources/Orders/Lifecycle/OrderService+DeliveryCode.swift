import Foundation
import Kernel
import Logging
import PostgresNIO

extension OrderService {
    /// A new delivery code for the buyer's order: the old one stops working and every parcel of the
    /// order may take `DeliveryCode.maxWrongTries` wrong codes again. Only while something is still to
    /// be delivered.
    public func renewDeliveryCode(_ id: UUID, caller: Caller) async throws -> Order {
        let principal = try caller.signedIn()
        return try await db.withTransaction(logger: logger) { connection in
            guard let order = try await OrderReader(logger: logger).load(id, on: connection, forUpdate: true),
                order.buyerID == principal.userID || principal.isAdmin
            else { throw DomainError.notFound("No order with this id.") }
            guard order.packages.contains(where: { Self.awaitsDelivery($0.status) }) else {
                throw DomainError.conflict(
                    kind: "invalid-transition", detail: "Nothing of this order is left to deliver.",
                    currentState: order.status.rawValue)
            }
            let code = DeliveryCode.random()
            try await connection.query(
                "UPDATE orders SET delivery_code = \(code), updated_at = now() WHERE id = \(id)", logger: logger)
            try await connection.query(
                "UPDATE packages SET delivery_code_failures = 0 WHERE order_id = \(id)", logger: logger)
            try await AuditEntry(
                actorID: principal.userID, action: "order.delivery_code_renewed", entityType: "order",
                entityID: id.uuidString.lowercased(), requestID: caller.requestID
            ).record(on: connection, logger: logger)
            try await Outbox.add(
                topic: "order.delivery_code_renewed", aggregateType: "order", id: id, payload: ["by": "buyer"],
                on: connection, logger: logger)
            guard let renewed = try await OrderReader(logger: logger).load(id, on: connection) else {
                throw DomainError.notFound("No order with this id.")
            }
            return renewed
        }
    }

    /// A clerk issues a new code for the buyer (who phoned the post office, or whose parcel is locked
    /// after wrong codes), in the caller's transaction, which holds the order's row lock. The clerk
    /// never sees it: it reaches the buyer through the outbox (inbox, SMS, Zalo). At most
    /// `perDay` staff reissues per order in 24 hours, so that renewing cannot become a way round the
    /// limit on wrong codes.
    public func reissueDeliveryCode(
        order id: UUID, actor: UUID, requestID: String?, perDay: Int = 3, on connection: PostgresConnection
    ) async throws {
        guard let order = try await OrderReader(logger: logger).load(id, on: connection) else {
            throw DomainError.notFound("No parcel with this tracking number.")
        }
        guard order.packages.contains(where: { Self.awaitsDelivery($0.status) }) else {
            throw DomainError.conflict(
                kind: "invalid-transition", detail: "Nothing of this order is left to deliver.",
                currentState: order.status.rawValue)
        }
        let recent =
            try await connection.query(
                """
                SELECT count(*)::int FROM audit_log
                WHERE entity_type = 'order' AND entity_id = \(id.uuidString.lowercased())
                  AND action = 'order.delivery_code_reissued' AND occurred_at > now() - interval '1 day'
                """,
                logger: logger
            ).collect().decode(Int.self).first ?? 0
        guard recent < perDay else {
            throw DomainError.tooManyRequests(
                detail: "This order's delivery code was reissued \(recent) times today; the buyer can renew it.",
                retryAfterSeconds: 3600)
        }
        try await connection.query(
            "UPDATE orders SET delivery_code = \(DeliveryCode.random()), updated_at = now() WHERE id = \(id)",
            logger: logger)
        try await connection.query(
            "UPDATE packages SET delivery_code_failures = 0 WHERE order_id = \(id)", logger: logger)
        try await AuditEntry(
            actorID: actor, action: "order.delivery_code_reissued", entityType: "order",
            entityID: id.uuidString.lowercased(), requestID: requestID
        ).record(on: connection, logger: logger)
        try await Outbox.add(
            topic: "order.delivery_code_renewed", aggregateType: "order", id: id, payload: ["by": "staff"],
            on: connection, logger: logger)
    }

    /// A package the buyer may still receive (a code is asked for on delivery).
    static func awaitsDelivery(_ status: PackageStatus) -> Bool {
        switch status {
        case .awaitingPayment, .new, .accepted, .readyForPickup, .pickedUp, .inTransit, .outForDelivery,
            .waitingForInstruction:
            true
        case .delivered, .rejected, .cancelled, .expired, .returning, .returned: false
        }
    }
}
