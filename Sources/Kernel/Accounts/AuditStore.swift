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

    /// Newest first, narrowed by any of the filters (the console's audit page offers them all; the API
    /// the entity ones). `until` is exclusive.
    public func events(
        limit: Int, after cursor: PageCursor?, entityType: String?, entityID: String?, actorID: UUID? = nil,
        action: String? = nil, since: Date? = nil, until: Date? = nil
    ) async throws -> (events: [AuditEvent], next: PageCursor?) {
        let afterID: Int64? = try cursor.map { cursor throws(DomainError) in
            guard let id = Int64(cursor.id) else { throw .invalid("cursor", "is not a cursor this service issued") }
            return id
        }
        let rows = try await db.query(
            """
            SELECT id, occurred_at, actor_id, action, entity_type, entity_id, request_id, details::text
            FROM audit_log
            WHERE (\(afterID)::bigint IS NULL OR id < \(afterID))
              AND (\(entityType)::text IS NULL OR entity_type = \(entityType))
              AND (\(entityID)::text IS NULL OR entity_id = \(entityID))
              AND (\(actorID)::uuid IS NULL OR actor_id = \(actorID))
              AND (\(action)::text IS NULL OR action = \(action))
              AND (\(since)::timestamptz IS NULL OR occurred_at >= \(since))
              AND (\(until)::timestamptz IS NULL OR occurred_at < \(until))
            ORDER BY id DESC
            LIMIT \(limit + 1)
            """,
            logger: logger
        )
        var events: [AuditEvent] = []
        for (id, at, actor, action, type, entity, request, details) in try rows.decode(
            (Int64, Date, UUID?, String, String, String, String?, String).self
        ) {
            events.append(
                AuditEvent(
                    id: id, occurredAt: at, actorID: actor, action: action, entityType: type, entityID: entity,
                    requestID: request, details: Self.flat(details)))
        }
        let page = PageCursor.page(events, limit: limit) { PageCursor(key: "audit", id: String($0.id)) }
        return (page.items, page.next)
    }
}

extension AuditStore {
    /// The details object as text per key (numbers and booleans as JSON writes them; nested values as JSON).
    static func flat(_ json: String) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            return [:]
        }
        return object.mapValues { value in
            switch value {
            case let text as String: text
            case let number as NSNumber: number.stringValue
            default:
                (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])).flatMap {
                    String(data: $0, encoding: .utf8)
                } ?? ""
            }
        }
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
    /// What the change was about (ids, amounts, the reason), as the writer recorded it.
    public var details: [String: String] = [:]
}
