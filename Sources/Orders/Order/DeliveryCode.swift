import Kernel

/// The one-time code the buyer gives the courier as proof of delivery: six decimal digits.
public enum DeliveryCode {
    /// Wrong codes a parcel takes before `delivered` is refused until the buyer has a new code: 5 tries
    /// of 10^6 codes leave a guesser one chance in 200,000.
    public static let maxWrongTries = 5

    static func random() -> String { format(Int.random(in: 0..<1_000_000)) }

    /// Zero-padded to six digits (written out: `String(format:)` costs a `vfprintf` per order).
    static func format(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// Compares in time that does not depend on where the codes differ, so a guesser learns nothing
    /// from how long a wrong code took.
    public static func matches(_ given: String?, _ expected: String) -> Bool {
        guard let given else { return false }
        return Digest.constantTimeEqual(Array(given.utf8), Array(expected.utf8))
    }
}
