import Foundation
import Logging
import PostgresNIO

/// A token bucket per client kept in PostgreSQL, so that every API process counts against the same
/// one: behind a load balancer of N processes a client gets the configured rate, not N times it.
///
/// It is GCRA (the generic cell rate algorithm): a client's row holds only the moment its bucket is
/// full again. A request moves that moment one interval later, and is refused when it would then lie
/// more than `burst` intervals ahead. One upsert per admitted request, atomic under concurrency.
public struct SharedRateLimit: Sendable {
    public let db: Database
    public let logger: Logger
    /// Requests a client may make at once.
    public let burst: Int
    /// Seconds one request adds (60 / requests per minute).
    public let interval: Double

    public init(db: Database, logger: Logger, burst: Int, perMinute: Int) {
        (self.db, self.logger) = (db, logger)
        self.burst = max(1, burst)
        self.interval = 60 / Double(max(1, perMinute))
    }

    /// nil when admitted; otherwise the whole seconds to wait.
    public func admit(_ client: String) async throws -> Int? {
        let horizon = interval * Double(burst)
        let admitted = try await db.query(
            """
            INSERT INTO client_rate_limits AS l (client, full_at)
            VALUES (\(client), now() + make_interval(secs => \(interval)))
            ON CONFLICT (client) DO UPDATE
               SET full_at = greatest(l.full_at, now()) + make_interval(secs => \(interval))
             WHERE greatest(l.full_at, now()) + make_interval(secs => \(interval))
                   <= now() + make_interval(secs => \(horizon))
            RETURNING 1
            """,
            logger: logger
        )
        guard admitted.isEmpty else { return nil }
        let waits = try await db.query(
            """
            SELECT ceil(extract(epoch FROM greatest(full_at, now()) + make_interval(secs => \(interval))
                                          - now() - make_interval(secs => \(horizon))))::int
            FROM client_rate_limits WHERE client = \(client)
            """,
            logger: logger
        )
        return max(1, try waits.decode(Int.self).first ?? 1)
    }

    /// Forgets clients whose bucket is full again: they would be admitted as if new.
    @discardableResult
    public func prune() async throws -> Int {
        let rows = try await db.query(
            "DELETE FROM client_rate_limits WHERE full_at < now() RETURNING 1", logger: logger)
        return rows.count
    }
}
