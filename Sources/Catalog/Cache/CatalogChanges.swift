import Foundation
import Kernel
import Logging
import PostgresNIO

/// Tells every process's product cache (through `catalog_changed`) that products changed in ways
/// the triggers of migration 0013 leave to the code: stock-only changes.
public enum CatalogChanges {
    public static let channel = "catalog_changed"

    /// Inside the caller's transaction: delivered at its commit, not at all if it rolls back. Takes
    /// PostgreSQL's notify lock for the rest of that commit, so hot paths use `announce` instead.
    public static func notify(products ids: [UUID], on connection: PostgresConnection, logger: Logger) async throws {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return }
        try await connection.query(
            "SELECT pg_notify('catalog_changed', id::text) FROM unnest(\(unique)::uuid[]) AS t(id)", logger: logger)
    }

    /// After the change committed, in a statement of its own: no write, so no WAL flush under the
    /// notify lock. Best effort: if it is lost (the process stops right before it, the database is
    /// gone), caches catch up within `ProductCache.maxAge`; the committed change stands either way.
    public static func announce(products ids: [UUID], db: Database, logger: Logger) async {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return }
        do {
            try await db.withConnection { connection in
                try await notify(products: unique, on: connection, logger: logger)
            }
        } catch {
            logger.warning(
                "product caches not told of a stock change; they catch up by age",
                metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}
