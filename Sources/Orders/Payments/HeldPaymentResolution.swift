import Foundation
import Logging
import PostgresNIO

/// How finance settled transfers held in suspense (Logistics' `ReceiptService`, in its transaction with
/// the ledger postings). Orders owns `payment_notifications`; this is the SQL that marks them settled.
public enum HeldPaymentResolution {
    /// Applied to their order.
    public static func applied(_ ids: [UUID], by actor: UUID, on connection: PostgresConnection, logger: Logger)
        async throws
    {
        try await connection.query(
            """
            UPDATE payment_notifications SET resolution = 'applied', resolved_at = now(), resolved_by = \(actor)
            WHERE id = ANY(\(ids))
            """,
            logger: logger)
    }

    /// Owed back to the buyer, with finance's reason.
    public static func refundOwed(
        _ id: UUID, reason: String, by actor: UUID, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            """
            UPDATE payment_notifications SET resolution = 'refund', resolved_at = now(),
                resolved_by = \(actor), resolution_note = \(reason)
            WHERE id = \(id)
            """,
            logger: logger)
    }
}
