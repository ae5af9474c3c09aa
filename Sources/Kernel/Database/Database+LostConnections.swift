import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// Thrown when the connection a caller leased was closed under it (PostgreSQL shut down, restarted
/// or terminated the backend): the work was abandoned and, the session being gone, rolled back by
/// the server. Answered like any other database outage (503, retry shortly).
public struct DatabaseConnectionLost: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "the database connection was closed while in use" }
}

/// How a task that leased a connection learns that it is stuck on it.
///
/// Why: PostgresNIO 1.33.2 hands a query to its channel with `channel.write(task, promise: nil)`.
/// Once the channel has closed and NIO has removed its handlers, that write is dropped without
/// failing the query's promise, so the query never returns (upstream vapor/postgres-nio#487 fixed
/// it, #501 reverted the fix). Queries that reach the connection before it closes fail at once with
/// the close, so a lease still open `Database.closedConnectionGrace` after its connection closed is
/// stuck for good. The lease's work cannot be cut out of its task (it runs inline, in the caller's
/// structured code); whoever owns the whole task (the HTTP layer) sets `onStuck` to answer for it
/// and leave it behind.
public enum LostConnection {
    /// A class, not a bare closure: a task-local holding an optional closure crashed release builds
    /// (Swift 6.3.1, in swift_task_localValuePush).
    @TaskLocal public static var onStuck: Handler?

    public final class Handler: Sendable {
        let action: @Sendable () -> Void
        public init(_ action: @escaping @Sendable () -> Void) { self.action = action }
        func callAsFunction() { action() }
    }
}

/// One lease's end: by its body returning, or by the watch giving it up once its connection has
/// been closed for the grace period. Whichever comes first counts (the pool has dropped a closed
/// connection by then, so it is no longer in use either way).
final class LeaseWatch: Sendable {
    private let ended = FirstClaim()
    private let connection: PostgresConnection

    init(
        _ connection: PostgresConnection, grace: Duration, logger: Logger,
        onGivenUp: @escaping @Sendable () -> Void
    ) {
        self.connection = connection
        let stuck = LostConnection.onStuck
        let ended = self.ended
        LostConnections.shared.watch(connection) {
            Task {
                try? await Task.sleep(for: grace)
                guard ended.claim() else { return }
                logger.warning(
                    "database connection closed under a running query; abandoned it",
                    metadata: ["connection": "\(connection.id)"])
                onGivenUp()
                stuck?()
            }
        }
    }

    /// Whether this call ended the lease (false when the watch had given it up already).
    func end() -> Bool {
        LostConnections.shared.unwatch(connection)
        return ended.claim()
    }
}

/// True for the first caller of `claim` only.
final class FirstClaim: Sendable {
    private let done = Mutex(false)

    func claim() -> Bool {
        done.withLock { done in
            defer { done = true }
            return !done
        }
    }
}

/// One close callback per pooled connection, not one per lease: a connection lives for many
/// leases, and callbacks added to its `closeFuture` stay there until it closes.
final class LostConnections: Sendable {
    static let shared = LostConnections()

    /// Keyed by object identity: ids repeat across pools (primary and replica). An entry goes when
    /// its connection closes, before the pool can release the object, so an identity is not reused
    /// while it is here.
    private let onClose = Mutex<[ObjectIdentifier: (@Sendable () -> Void)?]>([:])

    /// Calls `action` once, when `connection` closes (at once if it has closed already), unless
    /// `unwatch` comes first.
    func watch(_ connection: PostgresConnection, _ action: @escaping @Sendable () -> Void) {
        let key = ObjectIdentifier(connection)
        let isNew = onClose.withLock { entries in
            let isNew = entries[key] == nil
            entries[key] = .some(action)
            return isNew
        }
        guard isNew else { return }
        connection.closeFuture.whenComplete { _ in
            let action = self.onClose.withLock { entries in entries.removeValue(forKey: key) ?? nil }
            action?()
        }
    }

    func unwatch(_ connection: PostgresConnection) {
        let key = ObjectIdentifier(connection)
        onClose.withLock { entries in
            if entries[key] != nil { entries[key] = .some(nil) }
        }
    }

    /// Connections being watched (for tests: entries must not pile up).
    var count: Int { onClose.withLock { $0.count } }
}
