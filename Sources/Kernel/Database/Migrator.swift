import Foundation
import Logging
import PostgresNIO

/// One numbered SQL file of `db/migrations`.
public struct Migration: Sendable, Equatable {
    public var version: Int
    public var name: String
    public var sql: String

    public var checksum: String {
        Digest.sha256Hex(sql)
    }

    /// `0003_accounts.sql` → version 3; anything else in the folder is not a migration.
    public static func parse(fileName: String, sql: String) -> Migration? {
        guard fileName.hasSuffix(".sql"), let underscore = fileName.firstIndex(of: "_"),
            let version = Int(fileName[..<underscore]), version > 0
        else { return nil }
        return Migration(version: version, name: fileName, sql: sql)
    }

    /// Every migration in `folder`, in order; two files with one number are an error.
    public static func load(from folder: URL) throws -> [Migration] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        var migrations: [Migration] = []
        for name in names {
            let sql = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            if let migration = parse(fileName: name, sql: sql) { migrations.append(migration) }
        }
        migrations.sort { $0.version < $1.version }
        for (a, b) in zip(migrations, migrations.dropFirst()) where a.version == b.version {
            throw MigrationError.duplicateVersion(a.name, b.name)
        }
        return migrations
    }
}

public enum MigrationError: Error, CustomStringConvertible, Equatable {
    case changedAfterApply(String)
    case duplicateVersion(String, String)
    case folderNotFound

    public var description: String {
        switch self {
        case .changedAfterApply(let name):
            "migration \(name) was changed after it was applied; add a new migration instead of editing it"
        case .duplicateVersion(let a, let b):
            "migrations \(a) and \(b) have the same number"
        case .folderNotFound:
            "db/migrations not found; run from the repository or set MARKET_MIGRATIONS_DIR"
        }
    }
}

/// Applies migrations in order, each in its own transaction, under an advisory lock so that any
/// number of processes starting at once migrate exactly once.
public struct Migrator: Sendable {
    public let db: PostgresClient
    public let logger: Logger
    /// An arbitrary constant shared by every process of this service.
    public static let lockKey: Int64 = 0x6D61_726B_6574

    public init(db: PostgresClient, logger: Logger) {
        (self.db, self.logger) = (db, logger)
    }

    /// The migrations folder: `MARKET_MIGRATIONS_DIR`, else `db/migrations` found from the working
    /// directory or the executable upwards.
    public static func folder(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        if let configured = environment["MARKET_MIGRATIONS_DIR"] { return URL(fileURLWithPath: configured) }
        var starts = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        if let executable = Bundle.main.executableURL { starts.append(executable.deletingLastPathComponent()) }
        for start in starts {
            var folder = start
            for _ in 0..<8 {
                let candidate = folder.appendingPathComponent("db/migrations")
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
                    isDirectory.boolValue
                {
                    return candidate
                }
                folder = folder.deletingLastPathComponent()
            }
        }
        throw MigrationError.folderNotFound
    }

    /// Returns the names of the migrations this call applied.
    @discardableResult
    public func migrate(_ migrations: [Migration]) async throws -> [String] {
        try await db.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))", logger: logger)
            do {
                let applied = try await apply(migrations, on: connection)
                try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                return applied
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                throw error
            }
        }
    }

    private func apply(_ migrations: [Migration], on connection: PostgresConnection) async throws -> [String] {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            logger: logger
        )
        var done: [Int: (name: String, checksum: String)] = [:]
        for try await (version, name, checksum) in try await connection.query(
            "SELECT version, name, checksum FROM schema_migrations",
            logger: logger
        ).decode((Int, String, String).self) {
            done[version] = (name, checksum)
        }
        var applied: [String] = []
        for migration in migrations {
            if let previous = done[migration.version] {
                guard previous.checksum == migration.checksum else {
                    throw MigrationError.changedAfterApply(migration.name)
                }
                continue
            }
            try await connection.query("BEGIN", logger: logger)
            do {
                for statement in SQLScript.statements(migration.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    """
                    INSERT INTO schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                    """,
                    logger: logger
                )
                try await connection.query("COMMIT", logger: logger)
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                logger.error(
                    "migration failed",
                    metadata: ["migration": .string(migration.name), "error": "\(String(reflecting: error))"])
                throw error
            }
            logger.info("migration applied", metadata: ["migration": .string(migration.name)])
            applied.append(migration.name)
        }
        return applied
    }
}
