import Foundation
import Logging
import PostgresNIO

/// The statements by which other modules change `role_grants` (a supplier's producers, a post
/// office's couriers) inside their own transactions. Kernel owns the table: this is the only SQL
/// outside `AccountStore` that writes it (docs/architecture.md, "Which module owns which table").
/// Every change reaches the other processes' principal caches through the table's NOTIFY trigger.
public enum RoleGrantWrites {
    /// Grants `spec` to `userID`; a grant the user already holds is kept as it is.
    public static func grant(
        _ spec: GrantSpec, to userID: UUID, by actor: UUID?, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            """
            INSERT INTO role_grants (user_id, role, supplier_id, post_office_id, granted_by)
            VALUES (\(userID), \(spec.role.rawValue), \(spec.supplierID), \(spec.postOfficeID), \(actor))
            ON CONFLICT DO NOTHING
            """,
            logger: logger)
    }

    /// Takes `spec` away from `userID`; false when the user did not hold it.
    public static func revoke(
        _ spec: GrantSpec, from userID: UUID, on connection: PostgresConnection, logger: Logger
    ) async throws -> Bool {
        let removed = try await connection.query(
            """
            DELETE FROM role_grants
            WHERE user_id = \(userID) AND role = \(spec.role.rawValue)
              AND supplier_id IS NOT DISTINCT FROM \(spec.supplierID)
              AND post_office_id IS NOT DISTINCT FROM \(spec.postOfficeID)
            RETURNING id
            """,
            logger: logger
        ).collect()
        return !removed.isEmpty
    }
}
