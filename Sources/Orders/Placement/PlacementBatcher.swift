import Foundation
import Kernel
import Logging
import PostgresNIO
import Synchronization

/// Gathers the orders that concurrent requests have priced from memory and writes them a batch per
/// statement (`OrderBatch`). At most `lanes` statements run at once; a request that finds a lane free
/// is written at once (alone, by the one-order statement), so a quiet server works as before, and under
/// load the orders that arrive while the lanes are busy share the next statement.
final class PlacementBatcher: Sendable {
    private struct Waiting {
        var job: OrderBatch.Job
        var done: CheckedContinuation<OrderPlacement.Outcome, any Error>
    }

    private struct State {
        var queue: [Waiting] = []
        var running = 0
        /// Orders written by statements that carried more than one (tests and diagnostics).
        var batched = 0
    }

    private let state = Mutex(State())
    private let db: Database
    private let logger: Logger
    let lanes: Int
    let maxBatch: Int

    init(db: Database, logger: Logger, lanes: Int = 1, maxBatch: Int = 32) {
        self.db = db
        self.logger = logger
        self.lanes = lanes
        self.maxBatch = maxBatch
    }

    /// `.placed`, `.keyTaken` (another request holds the key), or `.changed`: something was not as
    /// priced, in this order or in another of its batch; the caller places it on its own from a fresh
    /// read.
    func place(_ job: OrderBatch.Job) async throws -> OrderPlacement.Outcome {
        try await withCheckedThrowingContinuation { done in
            let start = state.withLock { state in
                state.queue.append(Waiting(job: job, done: done))
                guard state.running < lanes else { return false }
                state.running += 1
                return true
            }
            if start { startDrain() }
        }
    }

    /// Detached: a drain outlives the request that started it and must not carry its task-locals.
    private func startDrain() {
        Task.detached { await self.drain() }
    }

    private func drain() async {
        while let batch = next() {
            // Answered once: by the statement, or by the lost-connection watch if the connection
            // closes under the statement and leaves it stuck for good (see `LostConnection`). Then
            // this task stays behind, and a fresh one takes over its lane.
            let settled = Mutex(false)
            let settle: @Sendable () -> Bool = {
                settled.withLock { done in
                    defer { done = true }
                    return !done
                }
            }
            let stuck = LostConnection.Handler { [self] in
                guard settle() else { return }
                for waiting in batch { waiting.done.resume(throwing: DatabaseConnectionLost()) }
                handOverLane()
            }
            do {
                let outcomes = try await LostConnection.$onStuck.withValue(stuck) {
                    try await isolated(batch.map(\.job))
                }
                guard settle() else { return }
                for (waiting, outcome) in zip(batch, outcomes) { waiting.done.resume(with: outcome) }
            } catch {
                guard settle() else { return }
                for waiting in batch { waiting.done.resume(throwing: error) }
            }
        }
    }

    /// A stuck drain's lane goes to a new drain if orders are waiting.
    private func handOverLane() {
        let restart = state.withLock { state in
            guard !state.queue.isEmpty else {
                state.running -= 1
                return false
            }
            return true
        }
        if restart { startDrain() }
    }

    var batchedOrders: Int { state.withLock { $0.batched } }

    private func next() -> [Waiting]? {
        state.withLock { state in
            guard !state.queue.isEmpty else {
                state.running -= 1
                return nil
            }
            let batch = Array(state.queue.prefix(maxBatch))
            state.queue.removeFirst(batch.count)
            return batch
        }
    }

    /// The batch's outcomes, one per order. When the database refuses the batch's statement for a value
    /// one order carries (a data exception: a number past its column's range), nothing was written:
    /// each order is then tried alone, so only the one at fault fails (issue 16: one bad order failed
    /// every order batched with it). A failed CHECK needs no such step: `OrderBatch` already sends
    /// each order of such a batch back to be placed on its own.
    private func isolated(_ jobs: [OrderBatch.Job]) async throws -> [Result<OrderPlacement.Outcome, any Error>] {
        do {
            return try await write(jobs).map { .success($0) }
        } catch let error as PSQLError where jobs.count > 1 && error.sqlState?.hasPrefix("22") == true {
            logger.notice(
                "order batch refused a value; placing its orders one by one", metadata: ["orders": "\(jobs.count)"])
            var results: [Result<OrderPlacement.Outcome, any Error>] = []
            for job in jobs {
                do {
                    results.append(.success(try await write([job])[0]))
                } catch {
                    results.append(.failure(error))
                }
            }
            return results
        }
    }

    private func write(_ jobs: [OrderBatch.Job]) async throws -> [OrderPlacement.Outcome] {
        try await db.withConnection { connection in
            if jobs.count == 1, let job = jobs.first {
                let one = OrderPlacement(connection: connection, logger: logger)
                return [
                    try await one.place(
                        job.placed, new: job.new, buyer: job.buyer, key: job.key, result: job.result)
                ]
            }
            switch try await OrderBatch(orders: jobs).run(on: connection, logger: logger) {
            case .written(let ids):
                state.withLock { $0.batched += ids.count }
                return jobs.map { ids.contains($0.placed.order.id) ? .placed : .keyTaken }
            case .changed:
                return jobs.map { _ in .changed }
            }
        }
    }
}
