import Foundation

/// How numbers, money and dates read on a page (GLOSSARY "Formats"): `1.234.000 ₫`, `dd/MM/yyyy`,
/// `HH:mm`, in Asia/Ho_Chi_Minh. Pure, so every page shows them alike.
public enum VietnameseFormat {
    /// `1234000` → `1.234.000 ₫` (a dot every three digits, the sign after a no-break space).
    public static func money(_ amount: Int64) -> String {
        number(amount) + "\u{00A0}₫"
    }

    /// `12345` → `12.345`: a dot every three digits.
    public static func number(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(".") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// `dd/MM/yyyy` of the instant's day in Vietnam.
    public static func date(_ instant: Date) -> String {
        let day = CalendarDay(inVietnamAt: instant)
        return String(format: "%02d/%02d/%04d", day.day, day.month, day.year)
    }

    /// `dd/MM/yyyy HH:mm` in Vietnam (UTC+7, no daylight saving).
    public static func dateTime(_ instant: Date) -> String {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + 7 * 3600
        let minutesOfDay = ((seconds % 86_400) + 86_400) % 86_400 / 60
        return date(instant) + String(format: " %02d:%02d", minutesOfDay / 60, minutesOfDay % 60)
    }

    /// `HH:mm` alone for an instant of today (in Vietnam), `dd/MM/yyyy HH:mm` otherwise: the short
    /// form a narrow column needs for the day's events.
    public static func recentDateTime(_ instant: Date, now: Date = Date()) -> String {
        let full = dateTime(instant)
        return date(instant) == date(now) ? String(full.suffix(5)) : full
    }

    /// `0905123456` → `0905 123 456` (a 10-digit mobile number in three groups); anything else as it is.
    public static func phone(_ number: String) -> String {
        VietnamesePhone.display(number)
    }

    /// A calendar day written `yyyy-MM-dd` → `dd/MM/yyyy`; anything else as it is.
    public static func date(isoDay text: String) -> String {
        guard let day = CalendarDay(text) else { return text }
        return String(format: "%02d/%02d/%04d", day.day, day.month, day.year)
    }

    /// `1250` → `1,25 kg`, `800` → `800 g` (a comma for decimals, at most two, no trailing zeros).
    public static func weight(grams: Int) -> String {
        guard grams >= 1000 else { return "\(grams) g" }
        let whole = grams / 1000
        var fraction = String(format: "%03d", grams % 1000).prefix(2)
        while fraction.hasSuffix("0") { fraction = fraction.dropLast() }
        return fraction.isEmpty ? "\(whole) kg" : "\(whole),\(fraction) kg"
    }
}
