import Logging
import Metrics
import PostgresNIO
import Synchronization
import Tracing

/// The connection pool as every store uses it: named in one place so that pool use is measured
/// (connections in use, callers waiting, time spent waiting) for `/metrics`.
public struct Database: Sendable {
    public let client: PostgresClient
    /// Set when `client` is a read replica: the primary that reads fall back to.
    private let fallback: Fallback?
    /// How long a caller waits for a pooled connection before `DatabaseBusy` (nil: as long as it takes).
    public let acquireTimeout: Duration?
    /// The client's connections in use, when the deadline is on: while some are free a lease is
    /// immediate, so only a caller that finds them all busy pays for the deadline's machinery.
    private let leases: LeaseGauge?

    struct Fallback: Sendable {
        let primary: PostgresClient
        let state: ReplicaState
        let timeout: Duration
    }

    private static let inUse = Meter(label: "db_pool_connections_in_use")
    private static let waiting = Meter(label: "db_pool_waiting_requests")
    private static let waitTime = Timer(label: "db_pool_wait_duration", preferredDisplayUnit: .seconds)

    public init(_ client: PostgresClient, acquireTimeout: Duration? = nil, leases: LeaseGauge? = nil) {
        self.client = client
        self.fallback = nil
        self.acquireTimeout = acquireTimeout
        self.leases = leases
    }

    /// Reads through `query` go to `replica` while it answers within `timeout`; when it does not
    /// (down, unreachable, its pool giving up only after a minute), they go to `primary`, and the
    /// replica is left alone for `state`'s pause before it is tried again. Reads are idempotent, so
    /// running one again on the primary is safe.
    public init(
        replica: PostgresClient, primary: PostgresClient, state: ReplicaState, timeout: Duration = .seconds(2),
        acquireTimeout: Duration? = nil, leases: LeaseGauge? = nil
    ) {
        self.client = replica
        self.fallback = Fallback(primary: primary, state: state, timeout: timeout)
        self.acquireTimeout = acquireTimeout
        self.leases = leases
    }

    /// How long a lease may go on after its connection closed before it is given up as stuck (see
    /// `LostConnection`). Queries fail as soon as the close reaches them, so a second is ample.
    static let closedConnectionGrace: Duration = .seconds(1)

    public func withConnection<R: Sendable>(
        logger: Logger = Logger(label: "db"),
        _ body: (PostgresConnection) async throws -> R
    ) async throws -> R {
        let start = ContinuousClock.now
        Self.waiting.increment()
        var leased = false
        defer { if !leased { Self.waiting.decrement() } }
        func use(_ connection: PostgresConnection) async throws -> R {
            leased = true
            Self.waiting.decrement()
            Self.waitTime.recordInterval(since: start)
            // Handed out in the instant it closed: a query written to it would never return.
            guard !connection.isClosed else { throw DatabaseConnectionLost() }
            Self.inUse.increment()
            let watch = LeaseWatch(connection, grace: Self.closedConnectionGrace, logger: logger) {
                Self.inUse.decrement()
            }
            defer { if watch.end() { Self.inUse.decrement() } }
            leases?.enter()
            defer { leases?.leave() }
            return try await body(connection)
        }
        guard let acquireTimeout, leases?.isFull ?? true else { return try await client.withConnection(use) }
        return try await PoolLease.within(acquireTimeout, from: client, use)
    }

    /// Runs `body` in a transaction. A transaction PostgreSQL picked as a deadlock victim (40P01) or
    /// could not serialise (40001) is run again, up to three times in all: it rolled back entirely,
    /// so the retry starts from scratch.
    public func withTransaction<R: Sendable>(
        logger: Logger,
        _ body: (PostgresConnection) async throws -> R
    ) async throws -> R {
        guard Self.isTracing else { return try await transaction(logger: logger, body) }
        return try await withSpan("TRANSACTION", ofKind: .client) { span in
            span.attributes["db.system.name"] = "postgresql"
            return try await transaction(logger: logger, body)
        }
    }

    private func transaction<R: Sendable>(
        logger: Logger,
        _ body: (PostgresConnection) async throws -> R
    ) async throws -> R {
        var attempt = 1
        while true {
            do {
                return try await withConnection(logger: logger) { connection in
                    try await Self.transaction(on: connection, logger: logger, body)
                }
            } catch let error as PSQLError {
                guard attempt < 3, ["40P01", "40001"].contains(error.sqlState ?? "") else { throw error }
                logger.notice(
                    "transaction retried", metadata: ["sqlstate": "\(error.sqlState ?? "")", "attempt": "\(attempt)"])
                attempt += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 5...50)))
            }
        }
    }

    /// BEGIN, `body`, COMMIT, or ROLLBACK when `body` throws. Not PostgresNIO's `withTransaction`:
    /// this one throws the body's own error (callers match on it and on SQLSTATEs), and it sends no
    /// ROLLBACK on a connection that has closed: the server has rolled the session back already, and
    /// a query written to a closed connection never returns (see `LostConnection`).
    static func transaction<R: Sendable>(
        on connection: PostgresConnection,
        logger: Logger,
        _ body: (PostgresConnection) async throws -> R
    ) async throws -> R {
        try await connection.query("BEGIN", logger: logger)
        let value: R
        do {
            value = try await body(connection)
        } catch {
            if !connection.isClosed {
                do {
                    try await connection.query("ROLLBACK", logger: logger)
                } catch let rollback {
                    logger.debug("rollback failed", metadata: ["error": "\(rollback)"])
                }
            }
            throw error
        }
        try await connection.query("COMMIT", logger: logger)
        return value
    }

    /// Runs one statement and returns all its rows (queries here return small, bounded results).
    @discardableResult
    public func query(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        guard Self.isTracing else { return try await run(query, logger: logger) }
        return try await withSpan(Self.spanName(query.sql), ofKind: .client) { span in
            span.attributes["db.system.name"] = "postgresql"
            span.attributes["db.query.text"] = query.sql
            return try await run(query, logger: logger)
        }
    }

    private func run(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        guard let fallback else {
            return try await withConnection(logger: logger) { connection in
                try await connection.query(query, logger: logger).collect()
            }
        }
        if fallback.state.isAvailable {
            let replica = Database(client)
            do {
                return try await Self.within(fallback.timeout) { try await replica.query(query, logger: logger) }
            } catch {
                logger.warning("read replica unavailable; reading the primary", metadata: ["error": "\(error)"])
                fallback.state.markDown()
            }
        }
        return try await Database(fallback.primary).query(query, logger: logger)
    }

    struct Timeout: Error {}

    /// `body`'s result, or `Timeout` once `limit` has passed (the body is cancelled).
    static func within<R: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> R)
        async throws -> R
    {
        try await withThrowingTaskGroup(of: R?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw Timeout() }
            return value
        }
    }
}

/// Whether a read replica is worth trying. With a `ReplicaProbe` running (`market serve`), the probe
/// decides: a replica that is down or lags past its bound gets no reads until a probe finds it well
/// again, so no buyer waits for a dead replica. Without one (tests, tools), a failed read skips the
/// replica for `pause` and the next read after that tries it again.
public final class ReplicaState: Sendable {
    private let downUntil = Mutex<ContinuousClock.Instant?>(nil)
    private let probed = Mutex<Bool?>(nil)
    private let pause: Duration

    public init(pause: Duration = .seconds(10)) {
        self.pause = pause
    }

    public var isAvailable: Bool {
        if let probed = probed.withLock({ $0 }) { return probed }
        return downUntil.withLock { until in until.map { ContinuousClock.now >= $0 } ?? true }
    }

    /// A live read failed: skipped until the probe (or, without one, the pause) says otherwise.
    public func markDown() {
        downUntil.withLock { $0 = ContinuousClock.now + pause }
        probed.withLock { if $0 != nil { $0 = false } }
    }

    /// The probe's verdict.
    public func probed(available: Bool) {
        probed.withLock { $0 = available }
    }
}

extension Timer {
    fileprivate func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = start.duration(to: .now)
        recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}

extension Array where Element == PostgresRow {
    /// Decodes every row as the tuple or type `T`.
    public func decode<each C: PostgresDecodable>(_: (repeat each C).Type) throws -> [(repeat each C)] {
        try map { try $0.decode((repeat each C).self) }
    }
}
