import Foundation
import Kernel
import PostgresNIO

extension ProductStore {
    /// A listed product as a sitemap names it.
    public struct ListedEntry: Sendable, Equatable {
        public var id: UUID
        public var title: String
        public var updatedAt: Date
    }

    /// Every product a buyer can see, most recently changed first, at most `limit` (a sitemap file
    /// holds 50,000 addresses).
    public func listedEntries(limit: Int = 50_000) async throws -> [ListedEntry] {
        try await db.withConnection { connection in
            try await connection.query(
                """
                SELECT id, title, updated_at FROM products WHERE status = 'active' AND supplier_active
                ORDER BY updated_at DESC, id LIMIT \(limit)
                """,
                logger: logger
            ).collect().decode((UUID, String, Date).self).map { ListedEntry(id: $0.0, title: $0.1, updatedAt: $0.2) }
        }
    }
}
