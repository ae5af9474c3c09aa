import Foundation
import Logging
import PostgresNIO

public enum DatabaseSetup {
    /// Runs `body` with a client that lives only for the call (for set-up steps before the server).
    @discardableResult
    public static func withClient<T: Sendable>(
        _ url: DatabaseURL,
        maxConnections: Int = 2,
        settings: [(String, String)] = [],
        logger: Logger,
        _ body: @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        let client = PostgresClient(
            configuration: try url.clientConfiguration(maxConnections: maxConnections, settings: settings),
            backgroundLogger: logger.withoutLeaseBeforeRunWarning)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// Creates `url`'s database (UTF-8, C.UTF-8 collation) when it does not exist, connecting to the
    /// server's `postgres` database to do so. Names are checked, since they cannot be bound.
    public static func createDatabaseIfMissing(_ url: DatabaseURL, template: String = "template0", logger: Logger)
        async throws
    {
        guard isPlainIdentifier(url.database), isPlainIdentifier(template) else {
            throw DatabaseURL.ParseError.invalid("database names must be letters, digits and underscores")
        }
        try await withClient(url.with(database: "postgres"), logger: logger) { client in
            let exists =
                try await client.query("SELECT 1 FROM pg_database WHERE datname = \(url.database)", logger: logger)
                .decode(Int.self).first(where: { _ in true }) != nil
            if exists { return }
            do {
                try await client.query(
                    """
                    CREATE DATABASE \(unescaped: url.database) TEMPLATE \(unescaped: template)
                    ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'
                    """,
                    logger: logger
                )
            } catch let error as PSQLError where error.sqlState == "42P04" {
                // Created by a concurrent process in the meantime.
            }
        }
    }

    public static func isPlainIdentifier(_ name: String) -> Bool {
        (1...63).contains(name.utf8.count)
            && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }

    /// Migrates the database at `url` from the repository's `db/migrations`.
    public static func migrate(_ url: DatabaseURL, logger: Logger) async throws {
        let migrations = try Migration.load(from: try Migrator.folder())
        try await withClient(url, logger: logger) { client in
            try await Migrator(db: client, logger: logger).migrate(migrations)
        }
    }
}
