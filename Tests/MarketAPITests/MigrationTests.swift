import DatabaseTestSupport
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import Kernel
@testable import MarketAPI

@Suite("Migrations")
struct MigrationTests {
    @Test func concurrentMigratorsApplyEachFileOnce() async throws {
        let url = try await TestDatabase.shared.emptyDatabase()
        let migrations = try Migration.load(from: TestDatabase.migrationsFolder)
        #expect(migrations.count >= 3)
        // Four processes' worth of connections race; the advisory lock lets one do the work.
        let applied = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await DatabaseSetup.withClient(url, logger: testLogger) { client in
                        try await Migrator(db: client, logger: testLogger).migrate(migrations)
                    }
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(applied.sorted() == migrations.map(\.name).sorted())
        try await DatabaseSetup.withClient(url, logger: testLogger) { client in
            let count = try await client.query("SELECT count(*) FROM schema_migrations").decode(Int.self).reduce(0, +)
            #expect(count == migrations.count)
            let provinces = try await client.query("SELECT count(*) FROM provinces").decode(Int.self).reduce(0, +)
            #expect(provinces == 34)
        }
    }

    @Test func anEditedAppliedMigrationIsAnErrorNamingTheFile() async throws {
        let url = try await TestDatabase.shared.emptyDatabase()
        let migrations = try Migration.load(from: TestDatabase.migrationsFolder)
        try await DatabaseSetup.withClient(url, logger: testLogger) { client in
            try await Migrator(db: client, logger: testLogger).migrate(migrations)
        }
        let edited: [Migration] = {
            var copy = migrations
            copy[0].sql += "\n-- edited"
            return copy
        }()
        await #expect(throws: MigrationError.changedAfterApply(edited[0].name)) {
            try await DatabaseSetup.withClient(url, logger: testLogger) { client in
                try await Migrator(db: client, logger: testLogger).migrate(edited)
            }
        }
    }

    @Test func aFailingMigrationLeavesNothingBehind() async throws {
        let url = try await TestDatabase.shared.emptyDatabase()
        let broken = [
            Migration(version: 1, name: "0001_ok.sql", sql: "CREATE TABLE a (id int);"),
            Migration(
                version: 2, name: "0002_broken.sql", sql: "CREATE TABLE b (id int); SELECT * FROM no_such_table;"),
        ]
        await #expect(throws: (any Error).self) {
            try await DatabaseSetup.withClient(url, logger: testLogger) { client in
                try await Migrator(db: client, logger: testLogger).migrate(broken)
            }
        }
        try await DatabaseSetup.withClient(url, logger: testLogger) { client in
            let tables = try await client.query(
                "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('a', 'b')"
            ).decode(Int.self).reduce(0, +)
            #expect(tables == 1)
            let versions = try await client.query("SELECT count(*) FROM schema_migrations").decode(Int.self).reduce(
                0, +)
            #expect(versions == 1)
        }
    }
}
