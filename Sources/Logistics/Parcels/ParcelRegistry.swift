import Foundation
import Kernel
import Logging
import Orders
import PostgresNIO

/// Gives a package that is ready for pickup its S10 number and its post offices, in the
/// transaction that marks it ready.
public enum ParcelRegistry {
    static func register(_ packageID: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query(
            """
            SELECT o.payment_method, p.tracking_no,
                (SELECT post_office_id FROM post_office_communes WHERE commune_code = s.commune_code),
                (SELECT post_office_id FROM post_office_communes WHERE commune_code = o.commune_code)
            FROM packages p JOIN orders o ON o.id = p.order_id JOIN suppliers s ON s.id = p.supplier_id
            WHERE p.id = \(packageID)
            """,
            logger: logger
        ).collect().decode((String, String?, UUID?, UUID?).self)
        guard let (method, existing, pickupOffice, deliveryOffice) = rows.first else { return }
        guard pickupOffice != nil else {
            throw DomainError.conflict(
                kind: "no-pickup-office",
                detail: "No post office serves this supplier's commune yet; ask the post office to add it.")
        }
        let service: ParcelPurpose = method == PaymentMethod.cod.rawValue ? .cashOnDelivery : .prepaid
        var trackingNo = existing ?? ""
        if existing == nil { trackingNo = try await allocate(service, on: connection, logger: logger) }
        try await CarrierColumns.assignParcel(
            package: packageID, trackingNo: trackingNo, pickupOffice: pickupOffice, deliveryOffice: deliveryOffice,
            on: connection, logger: logger)
    }

    /// The next serial of the purpose's series (`S10_SERIES_COD`, `S10_SERIES_PREPAID`). The row lock
    /// serialises concurrent allocations and a rollback returns the number, so serials have no gaps and
    /// are never reused.
    static func allocate(_ purpose: ParcelPurpose, on connection: PostgresConnection, logger: Logger)
        async throws -> String
    {
        let serials = try await connection.query(
            """
            UPDATE s10_series SET next_serial = next_serial + 1
            WHERE purpose = \(purpose.rawValue) AND next_serial <= last_serial
            RETURNING service, next_serial - 1
            """,
            logger: logger
        ).collect().decode((String, Int).self)
        guard let (service, serial) = serials.first else {
            throw DomainError.conflict(
                kind: "s10-series-exhausted",
                detail: "The \(purpose.rawValue) tracking number series is used up: ask VNPost for the next block "
                    + "and set it in S10_SERIES_\(purpose == .cashOnDelivery ? "COD" : "PREPAID").")
        }
        return try S10(service: service, serial: serial).description
    }
}
