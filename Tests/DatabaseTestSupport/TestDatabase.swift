import Foundation
import Kernel
import Logging
import PostgresNIO

/// The PostgreSQL server the tests use: `MARKET_TEST_DATABASE_URL` when set (CI starts one), else a
/// private cluster under `.build/test-postgres`. Migrations run once into a template database; every
/// test gets its own copy, so tests run in parallel without sharing rows.
public actor TestDatabase {
    public static let shared = TestDatabase()

    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let migrationsFolder = packageRoot.appendingPathComponent("db/migrations")

    private var server: DatabaseURL?
    /// Memoised as a task: actor methods interleave at each await, and the template must be built once.
    private var template: Task<String, any Error>?
    private let logger: Logger = {
        var logger = Logger(label: "test-db")
        logger.logLevel = .warning
        return logger
    }()

    /// The server, started when needed (its `postgres` maintenance database).
    public func serverURL() async throws -> DatabaseURL {
        if let server { return server }
        let url: DatabaseURL
        if let text = ProcessInfo.processInfo.environment["MARKET_TEST_DATABASE_URL"], !text.isEmpty {
            url = try DatabaseURL(parsing: text).with(database: "postgres")
        } else {
            let port = Int(ProcessInfo.processInfo.environment["MARKET_TEST_PG_PORT"] ?? "") ?? 54339
            let embedded = EmbeddedPostgres(
                root: Self.packageRoot.appendingPathComponent(".build/test-postgres"),
                port: port,
                logger: logger
            )
            try embedded.start()
            url = embedded.url(database: "postgres")
        }
        server = url
        return url
    }

    /// A new, migrated database for one test.
    public func freshDatabase() async throws -> DatabaseURL {
        let server = try await serverURL()
        let task = template ?? Task { try await Self.migratedTemplate(server, logger: logger) }
        template = task
        let templateName = try await task.value
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        // Copying a template fails while another session touches it (55006); that passes quickly.
        for attempt in 1...20 {
            do {
                try await DatabaseSetup.createDatabaseIfMissing(
                    server.with(database: String(name)), template: templateName, logger: logger)
                break
            } catch let error as PSQLError where error.sqlState == "55006" && attempt < 20 {
                try await Task.sleep(for: .milliseconds(50 * attempt))
            }
        }
        return server.with(database: String(name))
    }

    /// An empty database (no migrations), for migration tests.
    public func emptyDatabase() async throws -> DatabaseURL {
        let server = try await serverURL()
        let name = "e_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        try await DatabaseSetup.createDatabaseIfMissing(server.with(database: String(name)), logger: logger)
        return server.with(database: String(name))
    }

    private static func migratedTemplate(_ server: DatabaseURL, logger: Logger) async throws -> String {
        let name = "market_test_template"
        // Rebuilt on every run so that it always matches the migrations on disk; old test copies go too.
        try await DatabaseSetup.withClient(server, logger: logger) { client in
            let stale = try await client.query(
                "SELECT datname FROM pg_database WHERE datname LIKE 't\\_%' OR datname LIKE 'e\\_%' OR datname = \(name)",
                logger: logger
            ).decode(String.self).reduce(into: [String]()) { $0.append($1) }
            for database in stale where DatabaseSetup.isPlainIdentifier(database) {
                try await client.query("DROP DATABASE IF EXISTS \(unescaped: database) WITH (FORCE)", logger: logger)
            }
        }
        let url = server.with(database: name)
        try await DatabaseSetup.createDatabaseIfMissing(url, logger: logger)
        let migrations = try Migration.load(from: Self.migrationsFolder)
        try await DatabaseSetup.withClient(url, logger: logger) { client in
            try await Migrator(db: client, logger: logger).migrate(migrations)
        }
        return name
    }
}

/// A client to a fresh migrated database of its own, running for the duration of `body`: what every
/// module's tests that touch SQL start from.
public func withFreshDatabase<T: Sendable>(
    maxConnections: Int = 10, logger: Logger = TestDatabase.quietLogger,
    _ body: @Sendable (PostgresClient, DatabaseURL) async throws -> T
) async throws -> T {
    let url = try await TestDatabase.shared.freshDatabase()
    return try await DatabaseSetup.withClient(url, maxConnections: maxConnections, logger: logger) { client in
        try await body(client, url)
    }
}

extension TestDatabase {
    /// Only what goes badly wrong reaches the test output.
    public static let quietLogger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()
}
