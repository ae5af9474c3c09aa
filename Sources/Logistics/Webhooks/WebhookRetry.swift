import Foundation

/// When a failed delivery is tried again: the schedule Standard Webhooks senders use (Svix's), about
/// 27 hours in all, each wait stretched by up to a fifth at random so that deliveries failing together
/// do not come back together. After the last attempt the delivery is failed (and can be replayed).
public enum WebhookRetry {
    /// Waits after attempts 1, 2, …: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
    public static let waits: [TimeInterval] = [5, 300, 1800, 7200, 18000, 36000, 36000]

    public static var maxAttempts: Int { waits.count + 1 }

    /// The wait after `attempt` failed, nil when it was the last.
    public static func wait(afterAttempt attempt: Int, jitter: Double = Double.random(in: 0...0.2)) -> TimeInterval? {
        guard attempt >= 1, attempt <= waits.count else { return nil }
        return waits[attempt - 1] * (1 + jitter)
    }

    /// An endpoint failing without a success for this long is disabled and its owner told.
    public static let disableAfter: TimeInterval = 3 * 86400
}
