import Foundation
import Kernel
import Logging
import Logistics
import Orders
import ServiceLifecycle

/// Telling people what happened, one round: outbox events into notifications, reminders of packages
/// waiting for their producer, the cancelling of those that waited too long, complaints accepted when
/// their seller did not answer in time, and the queued messages
/// sent through their providers. `market worker` runs a round every interval; so does `serve` when it
/// runs alone on its embedded database (`SERVE_NOTIFIES`).
struct NotificationJobs: Sendable {
    let notifier: Notifier
    let dispatcher: MessageDispatcher
    let orders: OrderService
    let complaints: ComplaintService
    let acceptWindow: TimeInterval
    let logger: Logger

    init(config: AppConfig, db: Database, orders: OrderService, logger: Logger) throws {
        let senders = MessageProviders.configured(config: config, logger: logger)
        self.dispatcher = MessageDispatcher(db: db, senders: senders, logger: logger)
        self.acceptWindow = TimeInterval(config.packageAcceptHours * 3600)
        self.notifier = Notifier(
            db: db, templates: try NotificationTemplates.load(), channels: Set(senders.map(\.channel)),
            acceptWindow: acceptWindow, logger: logger)
        self.orders = orders
        self.complaints = ComplaintService(
            db: db, logger: logger, responseWindow: TimeInterval(config.complaintResponseHours * 3600))
        self.logger = logger
    }

    func runOnce() async throws {
        // Drained in batches so that one round keeps up with any backlog.
        while try await notifier.notifyPending(limit: 200) == 200 {}
        let reminded = try await notifier.remindUnaccepted()
        if reminded > 0 { logger.info("reminded producers", metadata: ["packages": "\(reminded)"]) }
        let cancelled = try await orders.cancelUnaccepted(window: acceptWindow)
        if cancelled > 0 { logger.notice("cancelled unaccepted packages", metadata: ["packages": "\(cancelled)"]) }
        // Complaints the seller left unanswered past their deadline are accepted for the buyer.
        while try await complaints.acceptOverdue(limit: 100) == 100 {}
        // Again, so the buyers of what was just cancelled hear of it in this round.
        while try await notifier.notifyPending(limit: 200) == 200 {}
        while try await dispatcher.sendDue(limit: 100) == 100 {}
    }
}

/// `serve`'s own notifier, every few seconds until shutdown.
struct NotificationService: Service {
    let jobs: NotificationJobs
    let interval: Duration

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await jobs.runOnce()
                } catch is CancellationError {
                    return
                } catch {
                    jobs.logger.error("notification round failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
