import Logging
import Metrics
import PostgresNIO

/// The connection pool as every store uses it: named in one place so that pool use is measured
/// (connections in use, callers waiting, time spent waiting) for `/metrics`.
public struct Database: Sendable {
    public let client: PostgresClient

    private static let inUse = Meter(label: "db_pool_connections_in_use")
    private static let waiting = Meter(label: "db_pool_waiting_requests")
    private static let waitTime = Timer(label: "db_pool_wait_duration", preferredDisplayUnit: .seconds)

    public init(_ client: PostgresClient) {
        self.client = client
    }

    public func withConnection<R: Sendable>(_ body: (PostgresConnection) async throws -> R) async throws -> R {
        let start = ContinuousClock.now
        Self.waiting.increment()
        var leased = false
        defer { if !leased { Self.waiting.decrement() } }
        return try await client.withConnection { connection in
            leased = true
            Self.waiting.decrement()
            Self.waitTime.recordInterval(since: start)
            Self.inUse.increment()
            defer { Self.inUse.decrement() }
            return try await body(connection)
        }
    }

    public func withTransaction<R: Sendable>(
        logger: Logger,
        _ body: (PostgresConnection) async throws -> R
    ) async throws -> R {
        do {
            return try await withConnection { connection in
                try await connection.withTransaction(logger: logger) { connection in
                    try await body(connection)
                }
            }
        } catch let error as PostgresTransactionError {
            // Callers match on their own errors (and on SQLSTATEs), not on the wrapper.
            throw error.closureError ?? error.beginError ?? error.commitError ?? error
        }
    }

    /// Runs one statement and returns all its rows (queries here return small, bounded results).
    @discardableResult
    public func query(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        try await withConnection { connection in
            try await connection.query(query, logger: logger).collect()
        }
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
