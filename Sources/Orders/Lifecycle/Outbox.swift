import Foundation
import Logging
import PostgresNIO

/// State changes for consumers outside the transaction (logistics, webhooks), written inside it.
enum Outbox {
    static func add(
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
