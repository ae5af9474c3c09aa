import Logging
import PostgresNIO

enum DatabaseProbe {
    /// Whether `SELECT 1` answers within `timeout`; never throws and never waits longer.
    static func isReachable(_ db: PostgresClient, timeout: Duration, logger: Logger) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    _ = try await db.query("SELECT 1", logger: logger).decode(Int.self).first(where: { _ in true })
                    return true
                } catch {
                    return false
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
