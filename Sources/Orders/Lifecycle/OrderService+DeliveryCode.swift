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
            guard let renewed = try await OrderReader(logger: logger).load(id, on: connection) else {
                throw DomainError.notFound("No order with this id.")
            }
            return renewed
        }
    }

    /// A package the buyer may still receive (a code is asked for on delivery).
    static func awaitsDelivery(_ status: PackageStatus) -> Bool {
        switch status {
        case .awaitingPayment, .new, .accepted, .readyForPickup, .pickedUp, .inTransit, .outForDelivery: true
        case .delivered, .rejected, .cancelled, .expired, .returning, .returned: false
        }
    }
}
