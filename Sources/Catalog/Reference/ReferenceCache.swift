import Foundation
import Synchronization

/// Reference data held in the process: provinces, communes, categories and banks change only with a
/// migration, yet a shop page needs several of them on every request. Each answer is kept for `ttl`
/// (a deployment that edits these tables by hand sees the change within it).
public final class ReferenceCache: Sendable {
    private let entries = Mutex<[String: (expires: ContinuousClock.Instant, value: any Sendable)]>([:])
    let ttl: Duration

    public init(ttl: Duration = .seconds(300)) {
        self.ttl = ttl
    }

    func value<T: Sendable>(_ key: String, load: () async throws -> T) async throws -> T {
        let now = ContinuousClock.now
        if let entry = entries.withLock({ $0[key] }), entry.expires > now, let value = entry.value as? T {
            return value
        }
        // Two requests that miss together both load: the answer is the same, and nothing waits on a lock.
        let value = try await load()
        entries.withLock { $0[key] = (now.advanced(by: ttl), value) }
        return value
    }
}
