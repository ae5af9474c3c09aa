import Foundation
import Kernel
import Logging
import Synchronization

/// Per-client token buckets for anonymous writes (sign-in, registration, quotes), applied before any
/// account lock so an attacker is slowed first.
///
/// Two layers with the same rule: this process's buckets answer a flood from one address without
/// touching the database, and the buckets in PostgreSQL (`SharedRateLimit`) are the ones that count,
/// so behind a load balancer of N processes a client still gets the configured rate, not N times it.
final class ClientRateLimiter: Sendable {
    let rule: TokenBucket.Rule
    let shared: SharedRateLimit?
    let logger: Logger
    /// Admissions by the shared layer since it last forgot full buckets (it does so every 1,000, so
    /// the table stays small without a job).
    private let sincePrune = Mutex(0)
    /// The most clients remembered; past it, full buckets are forgotten first (they change nothing),
    /// then the oldest, so a flood of addresses costs bounded memory.
    let capacity: Int
    private let buckets = Mutex<[String: TokenBucket]>([:])

    init(
        rule: TokenBucket.Rule, capacity: Int = 100_000, shared: SharedRateLimit? = nil,
        logger: Logger = Logger(label: "rate-limit")
    ) {
        self.rule = rule
        self.capacity = capacity
        self.shared = shared
        self.logger = logger
    }

    /// nil when admitted; otherwise the seconds to wait. When the database cannot be asked, this
    /// process's bucket decides alone (the request that follows needs the database anyway).
    func admit(_ client: String) async -> Int? {
        if let wait = admitHere(client) { return wait }
        guard let shared else { return nil }
        do {
            let wait = try await shared.admit(client)
            let due = sincePrune.withLock { count in
                count += 1
                guard count >= 1_000 else { return false }
                count = 0
                return true
            }
            if due { try await shared.prune() }
            return wait
        } catch {
            logger.warning(
                "shared rate limit unavailable; this process's limit applies", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// This process's bucket only: nil when admitted; otherwise the seconds to wait.
    func admitHere(_ client: String, now: TimeInterval = Date().timeIntervalSince1970) -> Int? {
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
