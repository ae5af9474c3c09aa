import Foundation

/// The lock-out rule for repeated failed logins on one account: after `maxFailures` consecutive
/// failures the account is locked for `lockDuration`; a success resets the count.
public struct LoginThrottle: Sendable, Equatable {
    public var maxFailures: Int
    public var lockDuration: TimeInterval

    public init(maxFailures: Int, lockDuration: TimeInterval) {
        (self.maxFailures, self.lockDuration) = (maxFailures, lockDuration)
    }

    public enum Decision: Equatable {
        case allowed
        case locked(retryAfterSeconds: Int)
    }

    /// Whether a login attempt may be checked at all.
    public func decide(lockedUntil: Date?, now: Date) -> Decision {
        guard let lockedUntil, lockedUntil > now else { return .allowed }
        return .locked(retryAfterSeconds: max(1, Int(lockedUntil.timeIntervalSince(now).rounded(.up))))
    }

    /// The account's state after one more failure: the new failure count and, when it reaches the
    /// limit, the time until which it is locked (the count then starts again).
    public func afterFailure(previousFailures: Int, now: Date) -> (failures: Int, lockedUntil: Date?) {
        let failures = previousFailures + 1
        if failures >= maxFailures {
            return (0, now.addingTimeInterval(lockDuration))
        }
        return (failures, nil)
    }
}
