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

    /// Its consumers' marks, each in the consumer's transaction: the notifier has told people of these
    /// events (`notified_at`), the relay has fanned them out to endpoints (`published_at`).
    public enum Mark: String, Sendable {
        case notified = "notified_at"
        case published = "published_at"
    }

    public static func mark(_ ids: [Int64], _ mark: Mark, on connection: PostgresConnection, logger: Logger)
        async throws
    {
        try await connection.query(
            "UPDATE outbox SET \(unescaped: mark.rawValue) = now() WHERE id = ANY(\(ids))", logger: logger)
    }
}
