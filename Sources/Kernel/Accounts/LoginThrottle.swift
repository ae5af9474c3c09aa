import Foundation

/// The lock-out rule for repeated failed logins on one account: after `maxFailures` consecutive
/// failures the account is locked for `lockDuration`; a success resets the count.
///
/// Attempts are counted before their password is checked (`AccountStore.login` reserves a number for
/// each), so this rule decides on numbers that concurrent attempts cannot share.
public struct LoginThrottle: Sendable, Equatable {
    public var maxFailures: Int
    public var lockDuration: TimeInterval

    public init(maxFailures: Int, lockDuration: TimeInterval) {
        (self.maxFailures, self.lockDuration) = (maxFailures, lockDuration)
    }

    /// One reserved attempt: its number among the failures counted since the last success or lock, and
    /// the lock that was running when it was reserved, if any.
    public struct Attempt: Sendable, Equatable {
        public var number: Int
        public var lockedUntil: Date?

        public init(number: Int, lockedUntil: Date?) {
            (self.number, self.lockedUntil) = (number, lockedUntil)
        }
    }

    public enum Decision: Equatable {
        case check
        case refused(retryAfterSeconds: Int)
    }

    /// Whether this attempt's password may be checked: not during a lock, and not beyond the limit
    /// (guesses sent while the last allowed one is still being checked wait for the lock it may set).
    public func admit(_ attempt: Attempt, now: Date) -> Decision {
        if let lockedUntil = attempt.lockedUntil, lockedUntil > now {
            return .refused(retryAfterSeconds: max(1, Int(lockedUntil.timeIntervalSince(now).rounded(.up))))
        }
        if attempt.number > maxFailures {
            return .refused(retryAfterSeconds: max(1, Int(lockDuration.rounded(.up))))
        }
        return .check
    }

    /// The lock a failed attempt sets: the last allowed failure locks the account.
    public func lockAfterFailure(attempt: Int, now: Date) -> Date? {
        attempt >= maxFailures ? now.addingTimeInterval(lockDuration) : nil
    }
}
