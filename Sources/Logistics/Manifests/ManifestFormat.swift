import Foundation
import Kernel

/// Vietnamese number formats and HTML escaping shared by the manifest renderers and the barcode.
///
/// Written by hand rather than with `NumberFormatter`/`DateFormatter` so the output does not depend on
/// the server's locale data or time zone database, and stays byte-for-byte testable.
enum ManifestFormat {
    /// Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed offset is exact.
    static let vietnamTime = TimeZone(secondsFromGMT: 7 * 3600) ?? .current

    /// "1.250.000 ₫": dot thousands, a no-break space so the currency sign never wraps away from the amount.
    static func vnd(_ amount: Int64) -> String {
        (amount < 0 ? "-" : "") + grouped(amount.magnitude) + "\u{00A0}₫"
    }

    /// "1,25 kg": kilograms with a decimal comma and one to three decimals, as on Vietnamese scales.
    static func kilograms(_ grams: Int) -> String {
        let magnitude = UInt64(grams.magnitude)
        var decimals = String(magnitude % 1000)
        decimals = String(repeating: "0", count: 3 - decimals.count) + decimals
        while decimals.count > 1, decimals.hasSuffix("0") { decimals.removeLast() }
        return (grams < 0 ? "-" : "") + grouped(magnitude / 1000) + "," + decimals + "\u{00A0}kg"
    }

    /// "12,3 km" from metres, rounded to the nearest hundred metres.
    static func kilometres(_ meters: Int) -> String {
        let hundreds = (max(meters, 0) + 50) / 100
        return grouped(UInt64(hundreds / 10)) + "," + String(hundreds % 10) + "\u{00A0}km"
    }

    /// "2026-11-28" → "28/11/2026", the way dates are written in Vietnam; anything else is shown as given.
    static func day(_ isoDay: String) -> String {
        let parts = isoDay.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else { return isoDay }
        return "\(parts[2])/\(parts[1])/\(parts[0])"
    }

    /// "07:05 28/11/2026" in Vietnam time.
    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = vietnamTime
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return "\(two(c.hour)):\(two(c.minute)) \(two(c.day))/\(two(c.month))/\(c.year ?? 0)"
    }

    static func escapeHTML(_ text: String) -> String { Markup.escaped(text) }

    static func grouped(_ value: UInt64) -> String {
        let digits = Array(String(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(".") }
            out.append(digit)
        }
        return out
    }

    private static func two(_ value: Int?) -> String {
        let value = value ?? 0
        return value < 10 ? "0\(value)" : "\(value)"
    }
}
