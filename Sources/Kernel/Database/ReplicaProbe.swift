import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle

/// Asks the read replica every `interval` whether it answers and how far behind the primary it is,
/// and tells `ReplicaState`: reads go to the primary at once while the replica is down or lags past
/// `maxLag`, and back to it when a probe finds it well (issue 16: with the replica stopped, every few
/// seconds a live search paid the full fallback timeout). State and lag are gauges on `/metrics`.
public struct ReplicaProbe: Service {
    let replica: PostgresClient
    let state: ReplicaState
    let interval: Duration
    let timeout: Duration
    let maxLag: Double
    let logger: Logger

    private static let available = Gauge(label: "db_replica_available")
    private static let lag = Gauge(label: "db_replica_lag_seconds")

    public init(
        replica: PostgresClient, state: ReplicaState, interval: Duration = .seconds(1),
        timeout: Duration = .seconds(1), maxLagSeconds: Double, logger: Logger
    ) {
        self.replica = replica
        self.state = state
        self.interval = interval
        self.timeout = timeout
        self.maxLag = maxLagSeconds
        self.logger = logger
    }

    /// How far behind the replica is, in seconds: nothing when it replays everything it has received
    /// while streaming (an idle primary sends nothing, and that is not lag), else the age of the last
    /// transaction it replayed. A database not in recovery (a test's stand-in) is never behind.
    static let lagQuery: PostgresQuery = """
        SELECT (CASE
            WHEN NOT pg_is_in_recovery() THEN 0
            WHEN EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming')
                AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 1e9)
        END)::float8
        """

    /// Whether a replica that answered `lag` (nil: it did not answer in time) should take reads.
    public static func isWell(lag: Double?, maxLag: Double) -> Bool {
        guard let lag else { return false }
        return lag <= maxLag
    }

    public func run() async throws {
        var wasWell: Bool?
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let well = await probeOnce()
            if well != wasWell {
                logger.notice(
                    well
                        ? "read replica is well: reads go to it"
                        : "read replica is down or behind: reads go to the primary")
                wasWell = well
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// One probe: asks, decides, records. Returns the verdict.
    @discardableResult
    public func probeOnce() async -> Bool {
        let client = replica
        let lag = try? await Database.within(timeout) {
            try await Database(client).query(Self.lagQuery, logger: logger).first?.decode(Double.self)
        }
        let measured = lag ?? nil
        let well = Self.isWell(lag: measured, maxLag: maxLag)
        state.probed(available: well)
        Self.available.record(well ? 1 : 0)
        if let measured { Self.lag.record(measured) }
        return well
    }
}
