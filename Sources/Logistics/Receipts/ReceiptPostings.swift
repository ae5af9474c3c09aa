import Foundation
import Kernel
import Logging
import PostgresNIO

/// Books a held transfer the moment it arrives, in the transaction that stores its notification.
struct ReceiptPostings: Sendable {
    let logger: Logger

    func held(_ notificationID: UUID, on connection: PostgresConnection) async throws {
        let rows = try await connection.query(
            "SELECT order_id, amount_vnd FROM payment_notifications WHERE id = \(notificationID)", logger: logger
        ).collect().decode((UUID?, Int64).self)
        guard let (orderID, amount) = rows.first, amount > 0 else { return }
        try await LedgerWriter(logger: logger).post(
            Postings.receiptHeld(amount: amount), .init(orderID: orderID, referenceID: notificationID),
            on: connection)
    }
}
