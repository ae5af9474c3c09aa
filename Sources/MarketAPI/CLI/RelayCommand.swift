import ArgumentParser
import AsyncHTTPClient
import Foundation
import Kernel
import Logging
import Logistics
import Orders
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The outbox's webhook relay: any number may run against one database (events and deliveries are
/// claimed with SKIP LOCKED). It polls every `RELAY_POLL_MS` when idle and drains without pausing
/// while there is work.
struct RelayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay",
        abstract:
            "Deliver the outbox as signed webhooks (Standard Webhooks), retrying with backoff; prune what was delivered after OUTBOX_KEEP_DAYS."
    )

    @Flag(help: "Deliver what is due once and exit (for cron or tests).")
    var once = false

    func run() async throws {
        let config = try AppConfig.fromEnvironment()
        let logger = LogSetup.bootstrap(level: config.logLevel, format: config.logFormat)
        let stop = StopRequest()
        let database = try await ResolvedDatabase.resolve(config, logger: logger)
        defer { database.finish() }
        try await DatabaseSetup.migrate(database.url, logger: logger)
        let client = HTTPWebhookTransport.makeClient()
        do {
            try await DatabaseSetup.withClient(database.url, maxConnections: 16, settings: [], logger: logger) { db in
                let jobs = RelayJobs(
                    relay: WebhookRelay(
                        db: Database(db), transport: HTTPWebhookTransport(client: client), logger: logger,
                        retryScale: config.webhookRetryScale),
                    keepDays: config.outboxKeepDays, logger: logger)
                if once {
                    while try await jobs.relay.fanOut() > 0 {}
                    while try await jobs.relay.deliverDue() > 0 {}
                } else {
                    await jobs.relay.run(
                        poll: .milliseconds(config.relayPollMS), stop: { stop.requested }, tick: { await jobs.prune() })
                }
                logger.notice("relay stopped")
            }
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}

/// The relay with its pruning, once an hour.
final class RelayJobs: Sendable {
    let relay: WebhookRelay
    let keepDays: Int
    let logger: Logger
    private let lastPrune = Mutex<ContinuousClock.Instant?>(nil)

    init(relay: WebhookRelay, keepDays: Int, logger: Logger) {
        (self.relay, self.keepDays, self.logger) = (relay, keepDays, logger)
    }

    /// Once an hour: forget what was delivered long ago.
    func prune() async {
        let due = lastPrune.withLock { last in
            if let last, ContinuousClock.now - last < .seconds(3600) { return false }
            last = ContinuousClock.now
            return true
        }
        guard due else { return }
        do {
            let pruned = try await relay.prune(keepDays: keepDays)
            if pruned.deliveries + pruned.events > 0 {
                logger.info("pruned", metadata: ["deliveries": "\(pruned.deliveries)", "events": "\(pruned.events)"])
            }
        } catch {
            logger.error("pruning failed", metadata: ["error": "\(error)"])
        }
    }
}

/// `serve`'s own relay, on the embedded database where no `market relay` runs.
struct RelayService: Service {
    let jobs: RelayJobs
    let client: HTTPClient
    let poll: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await jobs.relay.run(poll: poll, stop: { Task.isCancelled }, tick: { await jobs.prune() })
        }
        try? await client.shutdown()
    }
}
