import Foundation
import Kernel
import Logging
import PostgresNIO

/// The statements that set the commission columns of Catalog's `categories` and `suppliers` for
/// finance (Logistics' `CommissionRates`, in its transaction with its audit entry). Catalog owns the
/// tables; nothing else writes these columns.
public enum CommissionColumns {
    /// Sets (nil: clears) a category's default rate; its code, name and new rate, or nil when no
    /// category has that code.
    public static func setCategory(
        code: String, bps: Int?, on connection: PostgresConnection, logger: Logger
    ) async throws -> (key: String, name: String, bps: Int?)? {
        try await connection.query(
            """
            UPDATE categories SET commission_bps = \(bps) WHERE code = \(code)
            RETURNING code, name, commission_bps
            """,
            logger: logger
        ).collect().decode((String, String, Int?).self).first.map { ($0.0, $0.1, $0.2) }
    }

    /// Sets (nil: clears) a supplier's override; its id, name and new rate, or nil when there is no
    /// such supplier.
    public static func setSupplier(
        id: UUID, bps: Int?, on connection: PostgresConnection, logger: Logger
    ) async throws -> (key: String, name: String, bps: Int?)? {
        try await connection.query(
            """
            UPDATE suppliers SET commission_bps = \(bps), updated_at = now() WHERE id = \(id)
            RETURNING id::text, name, commission_bps
            """,
            logger: logger
        ).collect().decode((String, String, Int?).self).first.map { ($0.0, $0.1, $0.2) }
    }
}
