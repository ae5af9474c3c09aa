import Catalog
import Kernel
import Logging
import PostgresNIO
import Synchronization

enum DatabaseProbe {
    /// Whether `SELECT 1` answers within `timeout`. Never throws and never waits longer: a lease
    /// request stuck on a dead server is abandoned (and cancelled) rather than awaited.
    static func isReachable(_ db: Database, timeout: Duration, logger: Logger) async -> Bool {
        let query = Task {
            try await db.query("SELECT 1", logger: logger)
            return true
        }
        let answered = OnceFlag()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            @Sendable func finish(_ value: Bool) {
                if answered.claim() { continuation.resume(returning: value) }
            }
            Task {
                finish((try? await query.value) ?? false)
            }
            Task {
                try? await Task.sleep(for: timeout)
                finish(false)
                query.cancel()
            }
        }
    }
}

/// True for the first caller of `claim` only.
final class OnceFlag: Sendable {
    private let done = Mutex(false)

    func claim() -> Bool {
        done.withLock { done in
            defer { done = true }
            return !done
        }
    }
}
