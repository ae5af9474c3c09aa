import ArgumentParser
import Catalog
import Foundation
import Kernel
import Logging
import Logistics
import Orders
import PostgresNIO
import Synchronization

/// Background jobs. Each claims its rows with FOR UPDATE SKIP LOCKED, so any number of workers
/// (and servers) can run against one database without doing anything twice.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract:
            "Run background jobs every WORKER_INTERVAL_SECONDS: release unpaid bank-transfer orders, forget old idempotency keys, plan pickup and delivery rounds in the hour before each shift, run the daily remittance after 18:00, turn events into notifications and send messages, remind producers of packages waiting and cancel those that waited too long."
    )

    @Flag(help: "Run every job once and exit (for cron or tests).")
    var once = false

    func run() async throws {
        let config = try AppConfig.fromEnvironment()
        let logger = LogSetup.bootstrap(level: config.logLevel, format: config.logFormat)
        let stop = StopRequest()
        let database = try await ResolvedDatabase.resolve(config, logger: logger)
        defer { database.finish() }
        try await DatabaseSetup.migrate(database.url, logger: logger)
        // Longer bounds than requests get: a day's remittance or a backlog of releases is big work,
        // but nothing the worker runs should wait forever either.
        let settings = [("statement_timeout", "600000"), ("lock_timeout", "60000")]
        try await DatabaseSetup.withClient(database.url, maxConnections: 4, settings: settings, logger: logger) {
            client in
            let orders = OrderService(
                db: Database(client), logger: logger, paymentWindow: .seconds(config.paymentWindowSeconds),
                hooks: LogisticsHooks.hooks)
            let notifications = try NotificationJobs(
                config: config, db: Database(client), orders: orders, logger: logger)
            repeat {
                do {
                    var released = 0
                    // Drain in batches so one run keeps up with any backlog.
                    while true {
                        let batch = try await orders.releaseUnpaid(limit: 100)
                        released += batch
                        if batch < 100 { break }
                    }
                    if released > 0 { logger.notice("released unpaid orders", metadata: ["count": "\(released)"]) }
                    let purged = try await orders.purgeIdempotencyKeys(olderThanHours: config.idempotencyKeyHours)
                    if purged > 0 { logger.info("purged idempotency keys", metadata: ["count": "\(purged)"]) }
                    let accounts = AccountStore(config: config, db: Database(client), logger: logger)
                    let forgotten = try await accounts.purgeLoginAttempts()
                    if forgotten > 0 { logger.info("forgot sign-in counters", metadata: ["count": "\(forgotten)"]) }
                    let signUps = try await accounts.purgeRegistrationRequests()
                    if signUps > 0 { logger.info("forgot old sign-ups", metadata: ["count": "\(signUps)"]) }
                    try await planDueShifts(
                        Scheduler(db: Database(client), logger: logger), client: client, logger: logger)
                    try await remitDaily(client: client, logger: logger)
                    try await notifications.runOnce()
                } catch {
                    logger.error("worker run failed", metadata: ["error": "\(error)"])
                    if once { throw error }
                }
                if once { break }
                // Sleep in short steps so SIGTERM ends the worker between runs, never inside one.
                for _ in 0..<(config.workerIntervalSeconds * 4) where !stop.requested {
                    try await Task.sleep(for: .milliseconds(250))
                }
            } while !stop.requested
            logger.notice("worker stopped")
        }
    }

    /// Plans every active office's pickup and delivery rounds for the shifts about to start. Planning
    /// is idempotent and holds the office's row lock, so workers running side by side only repeat
    /// the same plan.
    func planDueShifts(_ scheduler: Scheduler, client: PostgresClient, logger: Logger) async throws {
        let due = ShiftTimetable.due(at: Date())
        guard !due.isEmpty else { return }
        let offices = try await Database(client).query(
            "SELECT id FROM post_offices WHERE is_active ORDER BY code", logger: logger
        ).map { try $0.decode(UUID.self) }
        for (day, shift) in due {
            for office in offices {
                for kind in RunKind.allCases {
                    let plan = try await scheduler.planAsSystem(postOffice: office, on: day, shift: shift, kind: kind)
                    logger.debug(
                        "planned",
                        metadata: [
                            "office": "\(office)", "day": "\(day)", "shift": "\(shift.rawValue)",
                            "kind": "\(kind.rawValue)", "overflow": "\(plan.overflow.count)",
                        ])
                }
            }
        }
    }

    /// Once a business day, after 18:00 (Asia/Ho_Chi_Minh), a remittance run with that cut-off. The
    /// run's advisory lock makes a second worker's run find nothing left to pay.
    func remitDaily(client: PostgresClient, logger: Logger) async throws {
        let now = Date()
        guard let midnight = BusinessDay.start(of: BusinessDay.string(for: now)) else { return }
        let cutoff = midnight.addingTimeInterval(18 * 3600)
        guard now >= cutoff else { return }
        let done = try await Database(client).query(
            "SELECT 1 FROM remittance_batches WHERE created_by IS NULL AND cutoff_at = \(cutoff)", logger: logger)
        guard done.isEmpty else { return }
        if let batch = try await RemittanceService(db: Database(client), logger: logger).run(
            cutoff: cutoff, actor: nil, requestID: "worker")
        {
            logger.notice("remittance batch", metadata: ["number": "\(batch.number)", "lines": "\(batch.lines.count)"])
        }
    }
}

/// SIGTERM or SIGINT asks the worker to stop after the run in progress (a container runtime's
/// stop, Ctrl-C): jobs are transactions, so stopping between them leaves nothing half done.
// @unchecked: `sources` is written once in init and only kept alive afterwards; the flag is a Mutex.
final class StopRequest: @unchecked Sendable {
    private final class Flag: Sendable {
        let value = Mutex(false)
    }

    private let flag = Flag()
    private let sources: [any DispatchSourceSignal]

    init() {
        let flag = self.flag
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { flag.value.withLock { $0 = true } }
            source.resume()
            return source
        }
    }

    var requested: Bool { flag.value.withLock { $0 } }
}
