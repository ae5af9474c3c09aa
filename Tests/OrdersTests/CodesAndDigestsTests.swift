import Foundation
import Kernel
import Testing

@testable import Orders

@Suite("Delivery codes and digests, without a database")
struct CodesAndDigestsTests {
    @Test func deliveryCodesAreSixDigitsWithLeadingZeros() {
        #expect(DeliveryCode.format(0) == "000000")
        #expect(DeliveryCode.format(42) == "000042")
        #expect(DeliveryCode.format(999_999) == "999999")
        for _ in 0..<2_000 {
            let code = DeliveryCode.random()
            #expect(code.count == 6 && code.allSatisfy(\.isASCII) && code.allSatisfy(\.isNumber))
        }
    }

    @Test func sha256HexMatchesTheStandardVectors() {
        #expect(Digest.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digest.hex([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    }
}
