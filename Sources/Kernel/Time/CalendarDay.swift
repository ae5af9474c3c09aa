import Foundation

/// A day of the (proleptic) Gregorian calendar, without a time zone: certificate dates, tariff start
/// days, business days and bank value dates. The one civil-date type of the service; the business day of
/// an instant is the one in Asia/Ho_Chi_Minh (SPEC §2).
///
/// Plain arithmetic on days since 1970 (H. Hinnant's `days_from_civil` and its inverse) instead of a
/// `Calendar`: it is exact for every year, needs no time-zone database, and is cheap enough for the
/// order path, which numbers each order by its day.
public struct CalendarDay: Sendable, Comparable, Hashable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    /// Vietnam keeps UTC+7 all year (no daylight saving time; the whole country since 1975).
    public static let vietnamOffset: TimeInterval = 7 * 3600

    public init(year: Int, month: Int, day: Int) {
        (self.year, self.month, self.day) = (year, month, day)
    }

    /// Parses `yyyy-MM-dd` naming a real day (2025-02-29 is refused). Dates people type into the service
    /// start in 1900 (a year 0026 is a typo, not a certificate); a bank statement may say any year from 0001.
    public init?(_ text: some StringProtocol, earliestYear: Int = 1900) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10), y >= max(1, earliestYear),
            (1...12).contains(m),
            (1...Self.daysIn(month: m, year: y)).contains(d)
        else { return nil }
        (year, month, day) = (y, m, d)
    }

    /// `yyyy-MM-dd`, as PostgreSQL reads and writes a `date`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: Self, b: Self) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    public static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The same day `months` later (or earlier), clamped to the month's end (31 Jan + 1 month = 28/29 Feb),
    /// as PostgreSQL's `date + interval 'n months'` does.
    public func adding(months: Int) -> CalendarDay {
        let total = year * 12 + (month - 1) + months
        let y = total >= 0 ? total / 12 : (total - 11) / 12
        let m = total - y * 12 + 1
        return CalendarDay(year: y, month: m, day: min(day, Self.daysIn(month: m, year: y)))
    }

    /// The day `days` later (or earlier).
    public func adding(days: Int) -> CalendarDay {
        CalendarDay(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// Days since 1970-01-01 (negative before it).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let d = dayOfYear - (153 * shifted + 2) / 5 + 1
        let m = shifted < 10 ? shifted + 3 : shifted - 9
        self.init(year: yearOfEra + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// The business day in Vietnam at `instant`.
    public init(inVietnamAt instant: Date) {
        let seconds = Int((instant.timeIntervalSince1970 + Self.vietnamOffset).rounded(.down))
        self.init(daysSinceEpoch: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }

    /// Today in Asia/Ho_Chi_Minh.
    public static func today(now: Date = Date()) -> CalendarDay {
        CalendarDay(inVietnamAt: now)
    }

    /// The instant this day starts in Vietnam (00:00 +07:00).
    public var startInVietnam: Date {
        Date(timeIntervalSince1970: Double(daysSinceEpoch) * 86_400 - Self.vietnamOffset)
    }
}
