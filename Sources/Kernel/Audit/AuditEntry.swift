import Foundation
import PostgresNIO

/// One entry of the audit trail: who did what to which entity. Written on the connection of the
/// change itself, so the change and its record commit or roll back together.
public struct AuditEntry: Sendable {
    public var actorID: UUID?
    public var action: String
    public var entityType: String
    public var entityID: String
    public var requestID: String?
    public var details: [String: String]

    public init(
        actorID: UUID?,
        action: String,
        entityType: String,
        entityID: String,
        requestID: String?,
        details: [String: String] = [:]
    ) {
        self.actorID = actorID
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.requestID = requestID
        self.details = details
    }

    public func record(on connection: PostgresConnection, logger: Logger) async throws {
        let detailsJSON = String(decoding: try JSONEncoder().encode(details), as: UTF8.self)
        try await connection.query(
            """
            INSERT INTO audit_log (actor_id, action, entity_type, entity_id, request_id, details)
            VALUES (\(actorID), \(action), \(entityType), \(entityID), \(requestID), \(detailsJSON)::jsonb)
            """,
            logger: logger
        )
    }
}
