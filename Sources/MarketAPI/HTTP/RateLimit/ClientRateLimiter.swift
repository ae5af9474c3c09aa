import Foundation
import Synchronization

/// Per-client token buckets for anonymous writes (sign-in, registration, quotes), kept in this process.
/// Each API process counts on its own: behind a load balancer of N processes a client gets up to N
/// times the rate, still bounded, and applied before any account lock so an attacker is slowed first.
final class ClientRateLimiter: Sendable {
    let rule: TokenBucket.Rule
    /// The most clients remembered; past it, full buckets are forgotten first (they change nothing),
    /// then the oldest, so a flood of addresses costs bounded memory.
    let capacity: Int
    private let buckets = Mutex<[String: TokenBucket]>([:])

    init(rule: TokenBucket.Rule, capacity: Int = 100_000) {
        self.rule = rule
        self.capacity = capacity
    }

    /// nil when admitted; otherwise the seconds to wait.
    func admit(_ client: String, now: TimeInterval = Date().timeIntervalSince1970) -> Int? {
        buckets.withLock { buckets in
            var bucket = buckets[client] ?? .full(rule, at: now)
            let wait = bucket.take(rule, at: now)
            buckets[client] = bucket
            if buckets.count > capacity { prune(&buckets, now: now) }
            return wait
        }
    }

    var count: Int { buckets.withLock { $0.count } }

    private func prune(_ buckets: inout [String: TokenBucket], now: TimeInterval) {
        buckets = buckets.filter { !$0.value.isFull(rule, at: now) }
        guard buckets.count > capacity else { return }
        let oldest = buckets.sorted { $0.value.updatedAt < $1.value.updatedAt }.prefix(buckets.count - capacity / 2)
        for (client, _) in oldest { buckets[client] = nil }
    }
}
