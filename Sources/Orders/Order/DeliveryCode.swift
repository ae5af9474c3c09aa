/// The one-time code the buyer gives the courier as proof of delivery: six decimal digits.
enum DeliveryCode {
    static func random() -> String { format(Int.random(in: 0..<1_000_000)) }

    /// Zero-padded to six digits (written out: `String(format:)` costs a `vfprintf` per order).
    static func format(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
