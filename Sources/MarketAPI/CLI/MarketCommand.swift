import ArgumentParser
import Foundation
import Kernel
import Logging

@main
struct MarketCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "market",
        abstract: "Chợ Bưu Điện: the postal marketplace backend.",
        discussion: "Configuration comes from environment variables; see the README's table.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, SeedCommand.self, WorkerCommand.self, LedgerCommand.self,
            SearchSQLCommand.self, RelayCommand.self, WebhookSinkCommand.self,
        ],
        defaultSubcommand: ServeCommand.self
    )
}

/// Logging set-up shared by every subcommand: one line per event, metadata as key=value or, with
/// `LOG_FORMAT=json`, one JSON object per line.
enum LogSetup {
    static func bootstrap(level: Logger.Level, format: LogFormat = .text) -> Logger {
        LoggingSystem.bootstrap { label in
            switch format {
            case .text:
                var handler = StreamLogHandler.standardOutput(label: label)
                handler.logLevel = level
                return handler
            case .json:
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        }
        var logger = Logger(label: "market")
        logger.logLevel = level
        return logger
    }
}

/// The database a command works on: `DATABASE_URL`, or the private cluster under the data folder,
/// started on demand (and stopped by `finish` when this process started it).
struct ResolvedDatabase {
    var url: DatabaseURL
    var embedded: EmbeddedPostgres?
    var startedHere: Bool

    static func resolve(_ config: AppConfig, logger: Logger) async throws -> ResolvedDatabase {
        if let text = config.databaseURL {
            return ResolvedDatabase(url: try DatabaseURL(parsing: text), embedded: nil, startedHere: false)
        }
        let root = URL(
            fileURLWithPath: config.dataDir, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        )
        .standardizedFileURL
        let embedded = EmbeddedPostgres(root: root, port: config.embeddedPort, logger: logger)
        let started = try embedded.start()
        let url = embedded.url(database: "market")
        try await DatabaseSetup.createDatabaseIfMissing(url, logger: logger)
        return ResolvedDatabase(url: url, embedded: embedded, startedHere: started)
    }

    func finish() {
        if startedHere { embedded?.stop() }
    }
}
