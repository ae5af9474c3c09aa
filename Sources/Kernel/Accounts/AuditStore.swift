import Foundation
import Logging
import PostgresNIO

/// Reads the audit trail that every state change writes (see `AuditEntry`).
public struct AuditStore: Sendable {
    public let db: Database
    public let logger: Logger

    public init(db: Database, logger: Logger) {
        (self.db, self.logger) = (db, logger)
    }

    public func events(limit: Int, after cursor: PageCursor?, entityType: String?, entityID: String?) async throws
        -> (events: [AuditEvent], next: PageCursor?)
    {
        let afterID: Int64? = try cursor.map { cursor throws(DomainError) in
            guard let id = Int64(cursor.id) else { throw .invalid("cursor", "is not a cursor this service issued") }
            return id
        }
        let rows = try await db.query(
            """
            SELECT id, occurred_at, actor_id, action, entity_type, entity_id, request_id
            FROM audit_log
            WHERE (\(afterID)::bigint IS NULL OR id < \(afterID))
              AND (\(entityType)::text IS NULL OR entity_type = \(entityType))
              AND (\(entityID)::text IS NULL OR entity_id = \(entityID))
            ORDER BY id DESC
            LIMIT \(limit + 1)
            """,
            logger: logger
        )
        var events: [AuditEvent] = []
        for (id, at, actor, action, type, entity, request) in try rows.decode(
            (Int64, Date, UUID?, String, String, String, String?).self
        ) {
            events.append(
                AuditEvent(
                    id: id, occurredAt: at, actorID: actor, action: action, entityType: type, entityID: entity,
                    requestID: request))
        }
        let page = PageCursor.page(events, limit: limit) { PageCursor(key: "audit", id: String($0.id)) }
        return (page.items, page.next)
    }
}

/// One recorded change, as the audit trail shows it.
public struct AuditEvent: Sendable, Equatable {
    public var id: Int64
    public var occurredAt: Date
    public var actorID: UUID?
    public var action: String
    public var entityType: String
    public var entityID: String
    public var requestID: String?
}
