/// A calendar date without a time zone, for certificate dates: generated data must not depend on
/// the clock or the machine's zone, and PostgreSQL takes `YYYY-MM-DD` as a `date`.
struct CivilDate: Comparable, Hashable, Sendable, CustomStringConvertible {
    var year: Int
    var month: Int
    var day: Int

    /// The day the demo data describes: OCOP certificates are valid or expired as of this date.
    static let reference = CivilDate(year: 2026, month: 11, day: 27)

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// As PostgreSQL's `date + interval 'n months'`: the day is clamped to the end of a shorter month.
    func adding(months: Int) -> CivilDate {
        let total = year * 12 + (month - 1) + months
        let newYear = total / 12
        let newMonth = total % 12 + 1
        return CivilDate(year: newYear, month: newMonth, day: min(day, Self.daysIn(month: newMonth, year: newYear)))
    }

    func adding(days: Int) -> CivilDate {
        var date = self
        var remaining = days
        while remaining > 0 {
            let left = Self.daysIn(month: date.month, year: date.year) - date.day
            if remaining <= left {
                date.day += remaining
                remaining = 0
            } else {
                remaining -= left + 1
                date = CivilDate(year: date.month == 12 ? date.year + 1 : date.year, month: date.month % 12 + 1, day: 1)
            }
        }
        return date
    }

    static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    var description: String {
        let m = month < 10 ? "0\(month)" : "\(month)"
        let d = day < 10 ? "0\(day)" : "\(day)"
        return "\(year)-\(m)-\(d)"
    }
}
