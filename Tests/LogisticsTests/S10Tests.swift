import Foundation
import Testing

@testable import Logistics

@Suite("UPU S10 tracking numbers: check digit, parsing and the services we issue")
struct S10Tests {
    // Worked by hand with weights 8 6 4 2 3 5 9 7:
    // 12345678 → 8+12+12+8+15+30+63+56 = 204, 204 mod 11 = 6, 11−6 = 5
    // 47312482 → 32+42+12+2+6+20+72+14 = 200, 200 mod 11 = 2, 11−2 = 9 (the RR473124829GB example)
    // 00000008 → 56, 56 mod 11 = 1, 11−1 = 10 → 0
    // 00000015 → 9+35 = 44, 44 mod 11 = 0, 11−0 = 11 → 5
    @Test(arguments: [
        (12_345_678, 5),
        (47_312_482, 9),
        (8, 0),
        (12, 0),
        (0, 5),
        (15, 5),
        (99_999_999, 5),  // 9 × 44 = 396 = 36 × 11 → 11 → 5
        (10_000_000, 3),  // 8 mod 11 = 8 → 3
    ])
    func checkDigit(serial: Int, expected: Int) {
        #expect(S10.checkDigit(serial: serial) == expected)
    }

    @Test func specExampleIsValid() throws {
        let number = try S10(parsing: "EB123456785VN")
        #expect(number.service == "EB")
        #expect(number.serial == 12_345_678)
        #expect(number.country == "VN")
        #expect(number.checkDigit == 5)
        #expect(number.description == "EB123456785VN")
        #expect(number.parcelService == nil)
    }

    @Test func surroundingWhitespaceIsTrimmed() throws {
        #expect(try S10(parsing: "  EC000000080VN\r\n").description == "EC000000080VN")
    }

    @Test(arguments: [
        ("EB123456784VN", S10Error.badCheckDigit),
        ("EB123456780VN", .badCheckDigit),
        ("EB12345678VN", .badFormat),  // 12 characters
        ("EB1234567855VN", .badFormat),  // 14 characters
        ("", .badFormat),
        ("eb123456785VN", .badFormat),  // labels print uppercase: lowercase is a typo, not a number
        ("EB123456785vn", .badFormat),
        ("E1123456785VN", .badFormat),
        ("12123456785VN", .badFormat),
        ("EB12345678XVN", .badFormat),
        ("ÉB123456785VN", .badFormat),
        ("EB 123456785VN", .badFormat),
        ("EB123456785V1", .badFormat),
        ("RR473124829GB", .unsupportedCountry),  // a valid foreign number
        ("EB123456785GB", .unsupportedCountry),
    ])
    func rejects(text: String, error: S10Error) {
        #expect(throws: error) { try S10(parsing: text) }
    }

    @Test(arguments: ParcelService.allCases)
    func issuedServicesRoundTrip(service: ParcelService) throws {
        for serial in [0, 1, 8, 15, 4_711, 12_345_678, 99_999_999] {
            let number = try S10(service, serial: serial)
            #expect(number.service == service.rawValue)
            let text = number.description
            #expect(text.count == 13)
            #expect(text.hasPrefix(service.rawValue) && text.hasSuffix("VN"))
            let parsed = try S10(parsing: text)
            #expect(parsed == number)
            #expect(parsed.parcelService == service)
        }
    }

    @Test func serialRangeEdges() throws {
        #expect(try S10(service: "EC", serial: 0).description == "EC000000005VN")
        #expect(try S10(service: "EP", serial: 99_999_999).description == "EP999999995VN")
        #expect(throws: S10Error.serialOutOfRange) { try S10(service: "EC", serial: -1) }
        #expect(throws: S10Error.serialOutOfRange) { try S10(service: "EC", serial: 100_000_000) }
    }

    @Test func constructorValidates() {
        #expect(throws: S10Error.badService) { try S10(service: "E", serial: 1) }
        #expect(throws: S10Error.badService) { try S10(service: "ec", serial: 1) }
        #expect(throws: S10Error.badService) { try S10(service: "E1", serial: 1) }
        #expect(throws: S10Error.badService) { try S10(service: "ECP", serial: 1) }
        #expect(throws: S10Error.unsupportedCountry) { try S10(service: "EC", serial: 1, country: "GB") }
    }

    @Test func codableAsItsString() throws {
        let number = try S10(.cashOnDelivery, serial: 12_345_678)
        let json = try JSONEncoder().encode([number])
        #expect(String(decoding: json, as: UTF8.self) == "[\"EC123456785VN\"]")
        #expect(try JSONDecoder().decode([S10].self, from: json) == [number])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([S10].self, from: Data("[\"EC123456784VN\"]".utf8))
        }
    }
}
