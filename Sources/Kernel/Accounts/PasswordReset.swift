import Foundation

/// The rules of resetting a forgotten password by a one-time code sent to the account's email or phone.
public struct PasswordReset: Sendable, Equatable {
    /// How long a code can be used.
    public var lifetime: TimeInterval
    /// Wrong guesses a code allows before it is dead.
    public var maxFailures: Int
    /// Codes an account is sent per hour; requests beyond are answered the same and send nothing.
    public var maxCodesPerHour: Int

    public init(lifetime: TimeInterval = 15 * 60, maxFailures: Int = 5, maxCodesPerHour: Int = 3) {
        (self.lifetime, self.maxFailures, self.maxCodesPerHour) = (lifetime, maxFailures, maxCodesPerHour)
    }

    /// Six digits, as SMS codes are: at most `maxCodesPerHour × maxFailures` guesses an hour
    /// (15 with the defaults) against a million codes.
    public static func newCode<R: RandomNumberGenerator>(using generator: inout R) -> String {
        let number = Int.random(in: 0..<1_000_000, using: &generator)
        let digits = String(number)
        return String(repeating: "0", count: 6 - digits.count) + digits
    }

    public static func newCode() -> String {
        var generator = SystemRandomNumberGenerator()
        return newCode(using: &generator)
    }

    /// Stored and compared as its SHA-256, tied to the account so that one code's digest says
    /// nothing about another account's.
    public static func digest(code: String, userID: UUID) -> String {
        Digest.sha256Hex("reset-v1:\(userID.uuidString.lowercased()):\(code)")
    }

    /// What the person reads (SMS or email): the code, how long it lasts, and that nobody will ask for it.
    public static func message(code: String, minutes: Int) -> (subject: String, body: String) {
        (
            "Mã đặt lại mật khẩu Chợ Bưu Điện",
            "Mã đặt lại mật khẩu Chợ Bưu Điện của bạn là \(code), dùng được trong \(minutes) phút. "
                + "Không đưa mã này cho bất kỳ ai, kể cả nhân viên bưu điện."
        )
    }
}
