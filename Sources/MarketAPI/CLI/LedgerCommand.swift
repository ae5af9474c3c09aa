import ArgumentParser
import Catalog
import Foundation
import Kernel
import Logging
import Logistics

/// `market ledger check`: verifies the promises of SPEC §6 and exits non-zero if any is broken.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "Inspect the COD ledger.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every ledger invariant; print what is wrong; exit 1 if anything is.")

        func run() async throws {
            let config = try AppConfig.fromEnvironment()
            let logger = LogSetup.bootstrap(level: config.logLevel, format: config.logFormat)
            let database = try await ResolvedDatabase.resolve(config, logger: logger)
            defer { database.finish() }
            try await DatabaseSetup.migrate(database.url, logger: logger)
            let findings = try await DatabaseSetup.withClient(database.url, maxConnections: 2, logger: logger) {
                client in
                try await LedgerCheck(db: Database(client), logger: logger).run()
            }
            var broken = 0
            for finding in findings {
                print("\(finding.problems.isEmpty ? "ok  " : "FAIL") \(finding.check)")
                for problem in finding.problems.prefix(50) { print("       \(problem)") }
                if finding.problems.count > 50 { print("       … and \(finding.problems.count - 50) more") }
                broken += finding.problems.isEmpty ? 0 : 1
            }
            if broken > 0 { throw ExitCode(1) }
        }
    }
}
