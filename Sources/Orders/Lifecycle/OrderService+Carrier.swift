import Foundation
import Logging
import PostgresNIO

extension OrderService {
    /// Moves a package the carrier holds to `status` (from a scan), under the order's row lock:
    /// stock returns when it came back to its sender, the order's status follows, and both changes
    /// go to the outbox. Returns the package as it was before, or nil if it moved meanwhile.
    public func carrierMoved(
        package id: UUID, from expected: PackageStatus, to status: PackageStatus, on connection: PostgresConnection
    ) async throws -> Package? {
        let orderIDs = try await connection.query(
            "SELECT order_id FROM packages WHERE id = \(id)", logger: logger
        ).collect().decode(UUID.self)
        guard let orderID = orderIDs.first,
            let order = try await OrderReader(logger: logger).load(orderID, on: connection, forUpdate: true),
            let package = order.packages.first(where: { $0.id == id }), package.status == expected
        else { return nil }
        if status != expected {
            try await connection.query(
                "UPDATE packages SET status = \(status.rawValue), updated_at = now() WHERE id = \(id)",
                logger: logger)
            if status == .returned { try await returnStock(of: package, on: connection) }
            try await Outbox.add(
                topic: "package.\(status.rawValue)", aggregateType: "package", id: id,
                payload: ["from": expected.rawValue, "to": status.rawValue, "order_id": orderID.uuidString],
                on: connection, logger: logger)
            _ = try await refreshStatus(of: orderID, on: connection)
        }
        return package
    }
}
