import Foundation
import OpenAPIRuntime

/// Dates on the wire are RFC 3339. What the server writes is unchanged (whole seconds, `Z`); what it
/// reads may also carry fractional seconds and any offset (`2026-12-06T10:00:03.123Z`,
/// `…T17:00:03.5+07:00`), which is what browsers' `toISOString()` and Android send. The runtime's
/// default transcoder refused fractional seconds with a 400.
struct RFC3339DateTranscoder: DateTranscoder {
    private static let whole = Date.ISO8601FormatStyle()
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    func encode(_ date: Date) throws -> String {
        Self.whole.format(date)
    }

    func decode(_ text: String) throws -> Date {
        if let date = try? Self.whole.parse(text) { return date }
        if let date = try? Self.fractional.parse(text) { return date }
        throw DecodingError.dataCorrupted(
            .init(codingPath: [], debugDescription: "Expected an RFC 3339 date-time such as 2026-12-06T10:00:03Z."))
    }
}
