import Foundation
import Logging
import PostgresNIO

/// State changes for consumers outside the transaction (notifications, webhooks), written inside it. Logistics
/// writes its own events (discrepancies, failed deliveries, refunds) through this too.
public enum Outbox {
    public static func add(
        topic: String, aggregateType: String, id: UUID, payload: [String: String], on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        let json = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
        try await connection.query(
            """
            INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload)
            VALUES (\(topic), \(aggregateType), \(id), \(json)::jsonb)
            """,
            logger: logger
        )
    }
}
