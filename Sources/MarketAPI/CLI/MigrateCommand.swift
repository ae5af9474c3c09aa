import ArgumentParser
import Catalog
import DemoData
import Foundation
import Kernel
import Logging

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the SQL migrations of db/migrations that are not applied yet."
    )

    func run() async throws {
        let config = try AppConfig.fromEnvironment()
        let logger = LogSetup.bootstrap(level: config.logLevel, format: config.logFormat)
        let database = try await ResolvedDatabase.resolve(config, logger: logger)
        defer { database.finish() }
        try await DatabaseSetup.migrate(database.url, logger: logger)
        try await DatabaseSetup.withClient(database.url, logger: logger) { client in
            try await SearchIndex.ensure(Database(client), logger: logger)
        }
        logger.notice("database is up to date")
    }
}

struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Load data: --demo loads the demo province (demo only, never in production); "
            + "--products N appends N generated products for load tests."
    )

    @Flag(help: "Load the demo data set once (a no-op when it is already loaded).")
    var demo = false

    @Option(help: "Append this many generated active products (1 to 1,000,000), about 50 per new supplier.")
    var products: Int?

    @Option(help: "Seed of the generated products: the same seed, count and run number give the same rows.")
    var seed: UInt64 = ScaleCatalogGenerator.defaultSeed

    @Option(help: "Batches of 10,000 products written at once by --products, each on its own connection.")
    var jobs = 2

    func validate() throws {
        guard demo || products != nil else {
            throw ValidationError("Say what to load, e.g. --demo or --products 10000.")
        }
        guard (1...16).contains(jobs) else { throw ValidationError("--jobs must be from 1 to 16.") }
        if let products, !(1...ScaleSeed.maxProducts).contains(products) {
            throw ValidationError("--products must be from 1 to \(ScaleSeed.maxProducts).")
        }
    }

    func run() async throws {
        let config = try AppConfig.fromEnvironment()
        let logger = LogSetup.bootstrap(level: config.logLevel, format: config.logFormat)
        let database = try await ResolvedDatabase.resolve(config, logger: logger)
        defer { database.finish() }
        try await DatabaseSetup.migrate(database.url, logger: logger)
        try await DatabaseSetup.withClient(database.url, logger: logger) { client in
            if demo {
                let accounts = AccountStore(config: config, db: Database(client), logger: logger)
                let loaded = try await DemoSeed(db: Database(client), accounts: accounts, logger: logger).loadOnce()
                try await DemoDay(db: Database(client), accounts: accounts, logger: logger).loadOnce()
                logger.notice(loaded ? "demo data loaded" : "demo data was already loaded")
                try await DemoCatalogCounts.query(Database(client), logger: logger).printed()
            }
            if let products {
                let summary = try await ScaleSeed(db: Database(client), logger: logger, writers: jobs).run(
                    products: products, seed: seed, progress: Self.show)
                Self.standardError(
                    "\nrun \(summary.run): \(summary.products) products, \(summary.variants) variants, "
                        + "\(summary.certificates) OCOP certificates, \(summary.suppliers) suppliers in "
                        + "\(summary.elapsed.formatted(.units(allowed: [.minutes, .seconds], width: .narrow)))\n")
            }
        }
    }

    /// One status line, rewritten in place: products written, share done and rate.
    @Sendable private static func show(_ progress: ScaleSeed.Progress) {
        let percent = progress.total > 0 ? progress.written * 100 / progress.total : 100
        standardError(
            "\rseeding products: \(progress.written)/\(progress.total) (\(percent)%), \(Int(progress.rate))/s   ")
    }

    private static func standardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
