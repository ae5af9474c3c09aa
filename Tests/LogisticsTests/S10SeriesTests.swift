import Testing

@testable import Logistics

@Suite("S10 series from configuration")
struct S10SeriesTests {
    @Test func aBlockIsLettersAndASerialRange() {
        #expect(
            S10Series.parse("EC:10000000-19999999", purpose: .cashOnDelivery)
                == .success(S10Series(purpose: .cashOnDelivery, service: "EC", first: 10_000_000, last: 19_999_999)))
        #expect(
            S10Series.parse(" CP ", purpose: .prepaid)
                == .success(S10Series(purpose: .prepaid, service: "CP", first: 0, last: 99_999_999)))
        for text in ["EC:1-2", "EC:20000000-10000000", "ec:10000000-19999999", "EC10000000", "EC:10000000-", "E"] {
            guard case .failure(.format) = S10Series.parse(text, purpose: .prepaid) else {
                Issue.record("\(text) should be refused as badly formed")
                continue
            }
        }
    }

    @Test(arguments: ["CA", "CP", "EC", "EP", "EW", "HA", "BZ", "DA", "GA", "GD", "NA", "PB", "ZZ"])
    func parcelLettersAreAccepted(_ letters: String) {
        #expect(S10Series.problem(service: letters) == nil)
    }

    @Test(arguments: [
        "RR", "LX", "UA", "VV", "AA", "JA", "KZ", "QA", "SA", "XA", "YZ", "MA", "FA", "IA", "OA", "TA", "GB", "CZ",
        "EX", "EZ",
    ])
    func lettersAParcelMayNotCarryAreRefused(_ letters: String) {
        #expect(S10Series.problem(service: letters) != nil)
        guard case .failure(.service) = S10Series.parse(letters, purpose: .cashOnDelivery) else {
            Issue.record("\(letters) should be refused")
            return
        }
    }
}
