import Foundation

/// One client's allowance: `burst` requests at once, refilled at `perMinute`. A pure value, so the rule
/// is tested without a clock or a server.
struct TokenBucket: Sendable, Equatable {
    var tokens: Double
    var updatedAt: TimeInterval

    struct Rule: Sendable, Equatable {
        var burst: Int
        var perMinute: Int

        var refillPerSecond: Double { Double(perMinute) / 60 }
    }

    static func full(_ rule: Rule, at now: TimeInterval) -> TokenBucket {
        TokenBucket(tokens: Double(rule.burst), updatedAt: now)
    }

    /// Takes one token if there is one; otherwise says how many whole seconds until there will be.
    mutating func take(_ rule: Rule, at now: TimeInterval) -> Int? {
        refill(rule, at: now)
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        guard rule.refillPerSecond > 0 else { return 60 }
        return max(1, Int(((1 - tokens) / rule.refillPerSecond).rounded(.up)))
    }

    /// Whether the bucket is full again, so forgetting it changes nothing.
    func isFull(_ rule: Rule, at now: TimeInterval) -> Bool {
        var copy = self
        copy.refill(rule, at: now)
        return copy.tokens >= Double(rule.burst)
    }

    private mutating func refill(_ rule: Rule, at now: TimeInterval) {
        let elapsed = max(0, now - updatedAt)
        tokens = min(Double(rule.burst), tokens + elapsed * rule.refillPerSecond)
        updatedAt = now
    }
}
