import Foundation

/// A UPU S10 item identifier as this post office issues them: `EB123456785VN`.
///
/// Only `VN` numbers are representable: this marketplace issues and scans its own parcels, and keeping
/// foreign numbers out means every value round-trips through ``description`` and ``init(parsing:)``.
public struct S10: Sendable, Hashable, CustomStringConvertible, Codable {
    /// Two uppercase ASCII letters; see ``ParcelService`` for the ones this marketplace issues.
    public let service: String
    public let serial: Int
    public let country: String

    public static let serialRange = 0...99_999_999
    public static let supportedCountry = "VN"

    public init(service: String, serial: Int, country: String = S10.supportedCountry) throws(S10Error) {
        guard S10.isTwoUppercaseLetters(service) else { throw .badService }
        guard S10.serialRange.contains(serial) else { throw .serialOutOfRange }
        guard country == S10.supportedCountry else { throw .unsupportedCountry }
        self.service = service
        self.serial = serial
        self.country = country
    }

    public init(_ service: ParcelService, serial: Int) throws(S10Error) {
        try self.init(service: service.rawValue, serial: serial)
    }

    /// Surrounding whitespace is forgiven (scanners and copy-paste add it); anything else must be exact.
    /// Lowercase is rejected rather than folded: labels print uppercase, so lowercase input means it was
    /// typed by hand, and a typo caught here is cheaper than a parcel booked under the wrong number.
    public init(parsing text: String) throws(S10Error) {
        let bytes = Array(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        guard bytes.count == 13,
            bytes[0..<2].allSatisfy(S10.isUppercaseLetter),
            bytes[2..<11].allSatisfy(S10.isDigit),
            bytes[11..<13].allSatisfy(S10.isUppercaseLetter)
        else { throw .badFormat }
        let serial = bytes[2..<10].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        let check = Int(bytes[10] - UInt8(ascii: "0"))
        let country = String(decoding: bytes[11..<13], as: UTF8.self)
        guard country == S10.supportedCountry else { throw .unsupportedCountry }
        guard check == S10.checkDigit(serial: serial) else { throw .badCheckDigit }
        try self.init(service: String(decoding: bytes[0..<2], as: UTF8.self), serial: serial, country: country)
    }

    public var checkDigit: Int { S10.checkDigit(serial: serial) }

    public var description: String {
        service + String(repeating: "0", count: 8 - String(serial).count) + String(serial) + String(checkDigit)
            + country
    }

    /// The issued service, or nil for a valid S10 number of a service this marketplace does not issue.
    public var parcelService: ParcelService? { ParcelService(rawValue: service) }

    /// UPU S10 check digit over the eight serial digits (out-of-range serials use their last eight digits).
    public static func checkDigit(serial: Int) -> Int {
        let weights = [8, 6, 4, 2, 3, 5, 9, 7]
        var rest = abs(serial % 100_000_000)
        var sum = 0
        for weight in weights.reversed() {
            sum += (rest % 10) * weight
            rest /= 10
        }
        switch 11 - sum % 11 {
        case 10: return 0
        case 11: return 5
        case let digit: return digit
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not a valid S10 number (\(error)): \(text)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func isUppercaseLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
    static func isTwoUppercaseLetters(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count == 2 && bytes.allSatisfy(isUppercaseLetter)
    }
}

public enum S10Error: Error, Equatable {
    case badFormat, badCheckDigit, badService, serialOutOfRange, unsupportedCountry
}

/// The service indicators this marketplace issues: "EC" = e-commerce parcel with cash on delivery,
/// "EP" = e-commerce parcel prepaid.
public enum ParcelService: String, CaseIterable, Sendable, Codable {
    case cashOnDelivery = "EC"
    case prepaid = "EP"
}
