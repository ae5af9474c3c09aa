import Foundation
import Testing

@testable import Orders

@Suite("Delivery codes and digests, without a database")
struct CodesAndDigestsTests {
    /// Returns the values it was given, in turn.
    struct Scripted: RandomNumberGenerator {
        var values: [UInt64]
        mutating func next() -> UInt64 { values.isEmpty ? 0 : values.removeFirst() }
    }

    @Test func deliveryCodesAreSixDigitsWithLeadingZeros() {
        // `Int.random(in: 0..<1_000_000)` maps a raw value of 0 to 0: the smallest code.
        var low = Scripted(values: [0])
        #expect(DeliveryCode.random(using: &low) == "000000")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let code = DeliveryCode.random(using: &generator)
            #expect(code.count == 6 && code.allSatisfy(\.isASCII) && code.allSatisfy(\.isNumber))
        }
    }

    @Test func sha256HexMatchesTheStandardVectors() {
        #expect(Digest.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digest.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    }
}
