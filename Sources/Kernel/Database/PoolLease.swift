import Logging
import PostgresNIO
import Synchronization

/// Every pooled connection was busy for the whole acquisition deadline: nothing ran, so the caller
/// may simply retry (the HTTP layer answers 503 with `Retry-After`).
public struct DatabaseBusy: Error, CustomStringConvertible {
    public let waited: Duration
    public init(waited: Duration) { self.waited = waited }
    public var description: String { "no database connection became free within \(waited)" }
}

/// A lease with a deadline. PostgresNIO's pool waits for a connection as long as it takes, and its
/// lease is private; so a child task holds the lease and hands the connection to the caller, who runs
/// its work in its own task (the work is not `Sendable`) and then lets the child give it back. When
/// the deadline passes first, the child's waiting lease request is cancelled (the pool drops it) and
/// the caller gets `DatabaseBusy`.
enum PoolLease {
    static func within<R: Sendable>(
        _ deadline: Duration, from client: PostgresClient, _ use: (PostgresConnection) async throws -> R
    ) async throws -> R {
        let (handout, handoutEnd) = AsyncStream<PostgresConnection>.makeStream()
        let (release, releaseEnd) = AsyncStream<Never>.makeStream()
        let timedOut = Expiry()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await client.withConnection { connection in
                        handoutEnd.yield(connection)
                        handoutEnd.finish()
                        for await _ in release {}
                    }
                } catch {
                    handoutEnd.finish()
                    throw error
                }
            }
            let timer = Task {
                try await Task.sleep(for: deadline)
                timedOut.expire()
                handoutEnd.finish()
            }
            var next = handout.makeAsyncIterator()
            guard let connection = await next.next() else {
                timer.cancel()
                group.cancelAll()
                let expired = timedOut.expired
                do {
                    try await group.waitForAll()
                } catch  where expired {
                    // The cancelled lease request's own error: the deadline is the news.
                }
                if expired { throw DatabaseBusy(waited: deadline) }
                throw CancellationError()
            }
            timer.cancel()
            defer { releaseEnd.finish() }
            return try await use(connection)
        }
    }
}

/// Whether the deadline passed: set by the timer, read by the caller.
private final class Expiry: Sendable {
    private let flag = Mutex(false)
    func expire() { flag.withLock { $0 = true } }
    var expired: Bool { flag.withLock { $0 } }
}

extension PostgresConnection {
    /// Lifts the request timeouts for the rest of the caller's transaction: a finance run or a seed is
    /// expected to take longer than any request, and must not be cut by the pool's `statement_timeout`.
    public func allowLongWork(logger: Logger) async throws {
        try await query("SET LOCAL statement_timeout = '10min'", logger: logger)
        try await query("SET LOCAL lock_timeout = '1min'", logger: logger)
    }
}

/// How many of a pool's connections are leased right now (counted by `Database` around each use). The
/// count can be a lease behind (one handed out and not yet counted); all that depends on it is whether a
/// caller takes the deadline's slower path, and `PoolLease` is correct on either path.
public final class LeaseGauge: Sendable {
    private let used = Atomic<Int>(0)
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = capacity
    }

    var isFull: Bool { used.load(ordering: .relaxed) >= capacity }
    func enter() { used.add(1, ordering: .relaxed) }
    func leave() { used.subtract(1, ordering: .relaxed) }
}
