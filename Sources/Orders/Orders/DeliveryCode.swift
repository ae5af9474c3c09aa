/// The one-time code the buyer gives the courier as proof of delivery: six decimal digits.
enum DeliveryCode {
    static func random<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let digits = String(Int.random(in: 0..<1_000_000, using: &generator))
        return String(repeating: "0", count: 6 - digits.count) + digits
    }

    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }
}
