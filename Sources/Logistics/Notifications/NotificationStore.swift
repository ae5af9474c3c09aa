import Foundation
import Kernel
import Logging
import PostgresNIO

/// One notification in a person's inbox.
public struct InboxNotification: Sendable, Equatable {
    public var id: UUID
    public var kind: String
    public var title: String
    public var body: String
    public var link: String?
    public var createdAt: Date
    public var readAt: Date?
}

/// The in-app inbox and the channels a person chose: every read and write is the caller's own.
public struct NotificationStore: Sendable {
    public let db: Database
    public let logger: Logger

    public init(db: Database, logger: Logger) {
        (self.db, self.logger) = (db, logger)
    }

    public func inbox(of userID: UUID, unreadOnly: Bool, limit: Int, after cursor: PageCursor?) async throws -> (
        items: [InboxNotification], next: PageCursor?, unread: Int
    ) {
        var binds = PostgresBindings()
        binds.append(userID)
        binds.append(unreadOnly)
        let after = try PageCursor.timeCondition(
            after: cursor, timeColumn: "created_at", idColumn: "id", descending: true, binds: &binds)
        let rows = try await db.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT id, kind, title, body, link, created_at, read_at FROM notifications
                    WHERE user_id = $1 AND (NOT $2::boolean OR read_at IS NULL)\(after)
                    ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
                    """, binds: binds),
            logger: logger
        ).decode((UUID, String, String, String, String?, Date, Date?).self)
        let page = PageCursor.page(
            rows.map {
                InboxNotification(
                    id: $0.0, kind: $0.1, title: $0.2, body: $0.3, link: $0.4, createdAt: $0.5, readAt: $0.6)
            }, limit: limit
        ) { PageCursor.after(time: $0.createdAt, id: $0.id) }
        let unread =
            try await db.query(
                "SELECT count(*)::int FROM notifications WHERE user_id = \(userID) AND read_at IS NULL", logger: logger
            ).decode(Int.self).first ?? 0
        return (page.items, page.next, unread)
    }

    /// Marks one read (the first time only: reading it again keeps when it was first read). Another
    /// person's notification is not found.
    public func markRead(_ id: UUID, of userID: UUID, now: Date = Date()) async throws -> InboxNotification {
        let rows = try await db.query(
            """
            UPDATE notifications SET read_at = coalesce(read_at, \(now))
            WHERE id = \(id) AND user_id = \(userID)
            RETURNING id, kind, title, body, link, created_at, read_at
            """,
            logger: logger
        ).decode((UUID, String, String, String, String?, Date, Date?).self)
        guard let row = rows.first else { throw DomainError.notFound("No notification with this id.") }
        return InboxNotification(
            id: row.0, kind: row.1, title: row.2, body: row.3, link: row.4, createdAt: row.5, readAt: row.6)
    }

    public func markAllRead(of userID: UUID, now: Date = Date()) async throws {
        try await db.query(
            "UPDATE notifications SET read_at = \(now) WHERE user_id = \(userID) AND read_at IS NULL", logger: logger)
    }

    /// The channels the person has not opted out of.
    public func channels(of userID: UUID) async throws -> Set<MessageChannel> {
        let out = try await db.query(
            "SELECT channel FROM notification_opt_outs WHERE user_id = \(userID)", logger: logger
        ).decode(String.self).compactMap(MessageChannel.init)
        return Set(MessageChannel.allCases).subtracting(out)
    }

    public func setChannels(_ chosen: Set<MessageChannel>, of userID: UUID, requestID: String?) async throws {
        let out = MessageChannel.allCases.filter { !chosen.contains($0) }.map(\.rawValue)
        try await db.withTransaction(logger: logger) { connection in
            try await connection.query(
                "DELETE FROM notification_opt_outs WHERE user_id = \(userID)", logger: logger)
            try await connection.query(
                """
                INSERT INTO notification_opt_outs (user_id, channel)
                SELECT \(userID), unnest(\(out)::text[])
                """,
                logger: logger)
            try await AuditEntry(
                actorID: userID, action: "user.notification_channels", entityType: "user",
                entityID: userID.uuidString.lowercased(), requestID: requestID,
                details: ["opted_out": out.joined(separator: ",")]
            ).record(on: connection, logger: logger)
        }
    }
}
