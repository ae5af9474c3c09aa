import Foundation
import Logging
import PostgresNIO

/// One queued message as an admin sees it: where it went, whether it went, and why not.
public struct OutboundMessageRecord: Sendable, Equatable {
    public var id: UUID
    public var userID: UUID?
    public var channel: MessageChannel
    public var recipient: String
    public var template: String
    public var status: String
    public var attempts: Int
    public var lastError: String?
    public var provider: String?
    public var nextAttemptAt: Date?
    public var sentAt: Date?
    public var createdAt: Date
}

/// The messages to providers, for an admin to see what failed and why (the texts are not shown: a
/// secret's is blanked once sent, and the others are in the person's inbox).
public struct OutboundMessageStore: Sendable {
    public let db: Database
    public let logger: Logger

    public init(db: Database, logger: Logger) {
        (self.db, self.logger) = (db, logger)
    }

    public func list(status: String?, limit: Int, after cursor: PageCursor?, caller: Caller) async throws -> (
        items: [OutboundMessageRecord], next: PageCursor?
    ) {
        try caller.signedIn().require(.admin)
        var binds = PostgresBindings()
        binds.append(status)
        let after = try PageCursor.timeCondition(
            after: cursor, timeColumn: "created_at", idColumn: "id", descending: true, binds: &binds)
        let rows = try await db.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT id, user_id, channel, recipient, template, status, attempts, last_error, provider,
                           CASE WHEN status = 'pending' THEN next_attempt_at END, sent_at, created_at
                    FROM outbound_messages
                    WHERE ($1::text IS NULL OR status = $1::text)\(after)
                    ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
                    """, binds: binds),
            logger: logger
        ).decode((UUID, UUID?, String, String, String, String, Int, String?, String?, Date?, Date?, Date).self)
        let items = rows.map { row in
            OutboundMessageRecord(
                id: row.0, userID: row.1, channel: MessageChannel(rawValue: row.2) ?? .email, recipient: row.3,
                template: row.4, status: row.5, attempts: row.6, lastError: row.7, provider: row.8,
                nextAttemptAt: row.9, sentAt: row.10, createdAt: row.11)
        }
        let page = PageCursor.page(items, limit: limit) { PageCursor.after(time: $0.createdAt, id: $0.id) }
        return (page.items, page.next)
    }
}
