import ArgumentParser
import Catalog
import Foundation
import Logging

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the SQL migrations of db/migrations that are not applied yet."
    )

    func run() async throws {
        let config = try AppConfig.fromEnvironment()
        let logger = LogSetup.bootstrap(level: config.logLevel)
        let database = try await ResolvedDatabase.resolve(config, logger: logger)
        defer { database.finish() }
        try await DatabaseSetup.migrate(database.url, logger: logger)
        logger.notice("database is up to date")
    }
}

struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Load data: --demo loads the demo accounts (demo only, never in production)."
    )

    @Flag(help: "Load the demo data set once (a no-op when it is already loaded).")
    var demo = false

    func validate() throws {
        guard demo else { throw ValidationError("Say what to load, e.g. --demo.") }
    }

    func run() async throws {
        let config = try AppConfig.fromEnvironment()
        let logger = LogSetup.bootstrap(level: config.logLevel)
        let database = try await ResolvedDatabase.resolve(config, logger: logger)
        defer { database.finish() }
        try await DatabaseSetup.migrate(database.url, logger: logger)
        try await DatabaseSetup.withClient(database.url, logger: logger) { client in
            let accounts = AccountStore(config: config, db: Database(client), logger: logger)
            let loaded = try await DemoSeed(db: Database(client), accounts: accounts, logger: logger).loadOnce()
            logger.notice(loaded ? "demo data loaded" : "demo data was already loaded")
        }
    }
}
