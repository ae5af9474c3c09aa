import Foundation
import Kernel
import Testing

@Suite("CalendarDay: the one civil date of the service")
struct CalendarDayTests {
    @Test(arguments: ["2024-02-29", "2000-02-29", "2026-12-31", "1900-01-01", "2026-01-01"])
    func parsesRealDays(_ text: String) throws {
        let day = try #require(CalendarDay(text))
        #expect(day.description == text)
    }

    @Test(arguments: [
        "2025-02-29", "1900-02-29", "2100-02-29", "2026-04-31", "2026-00-10", "2026-13-01", "2026-01-00",
        "2026-1-01", "26-01-01", "２026-01-01", "2026/01/01", "2026-01-01T00:00:00Z", "", "1899-12-31",
    ])
    func refusesWhatIsNotADay(_ text: String) {
        #expect(CalendarDay(text) == nil)
    }

    @Test func bankStatementsMayNameAnyYear() {
        #expect(CalendarDay("0001-01-01", earliestYear: 1) != nil)
        #expect(CalendarDay("0000-01-01", earliestYear: 1) == nil)
        #expect(CalendarDay("0001-01-01") == nil)
    }

    @Test func addingMonthsClampsToTheMonthEndAsPostgreSQLDoes() {
        #expect(CalendarDay(year: 2024, month: 2, day: 29).adding(months: 36).description == "2027-02-28")
        #expect(CalendarDay(year: 2024, month: 1, day: 31).adding(months: 1).description == "2024-02-29")
        #expect(CalendarDay(year: 2025, month: 1, day: 31).adding(months: 1).description == "2025-02-28")
        #expect(CalendarDay(year: 2026, month: 12, day: 15).adding(months: 1).description == "2027-01-15")
        #expect(CalendarDay(year: 2026, month: 10, day: 28).adding(months: -36).description == "2023-10-28")
        #expect(CalendarDay(year: 2026, month: 1, day: 31).adding(months: -2).description == "2025-11-30")
    }

    @Test func addingDaysCrossesMonthsYearsAndLeapDays() {
        #expect(CalendarDay(year: 2025, month: 12, day: 30).adding(days: 3).description == "2026-01-02")
        #expect(CalendarDay(year: 2024, month: 2, day: 28).adding(days: 1).description == "2024-02-29")
        #expect(CalendarDay(year: 2024, month: 2, day: 29).adding(days: 1).description == "2024-03-01")
        #expect(CalendarDay(year: 2100, month: 2, day: 28).adding(days: 1).description == "2100-03-01")
        #expect(CalendarDay(year: 2026, month: 3, day: 1).adding(days: -1).description == "2026-02-28")
        #expect(CalendarDay(year: 2026, month: 1, day: 1).adding(days: -1).description == "2025-12-31")
        #expect(CalendarDay(year: 2026, month: 1, day: 1).adding(days: 365).description == "2027-01-01")
    }

    @Test func daysSinceEpochRoundTripsForFourCenturies() {
        #expect(CalendarDay(year: 1970, month: 1, day: 1).daysSinceEpoch == 0)
        #expect(CalendarDay(year: 1969, month: 12, day: 31).daysSinceEpoch == -1)
        var day = CalendarDay(year: 1900, month: 1, day: 1)
        for n in day.daysSinceEpoch..<(day.daysSinceEpoch + 146_097) {
            #expect(CalendarDay(daysSinceEpoch: n) == day)
            #expect(day.daysSinceEpoch == n)
            day =
                day.day < CalendarDay.daysIn(month: day.month, year: day.year)
                ? CalendarDay(year: day.year, month: day.month, day: day.day + 1)
                : CalendarDay(year: day.month == 12 ? day.year + 1 : day.year, month: day.month % 12 + 1, day: 1)
        }
    }

    @Test func theBusinessDayIsVietnamsAtAnyInstant() throws {
        // 16:59:59 UTC is 23:59:59 in Vietnam; a second later it is the next day there.
        let evening = try #require(ISO8601DateFormatter().date(from: "2026-02-28T16:59:59Z"))
        #expect(CalendarDay(inVietnamAt: evening).description == "2026-02-28")
        #expect(CalendarDay(inVietnamAt: evening + 1).description == "2026-03-01")
        #expect(CalendarDay(year: 2026, month: 3, day: 1).startInVietnam == evening + 1)
        let newYear = try #require(ISO8601DateFormatter().date(from: "2026-12-31T17:00:00Z"))
        #expect(CalendarDay(inVietnamAt: newYear).description == "2027-01-01")
        #expect(CalendarDay(inVietnamAt: newYear - 1).description == "2026-12-31")
    }

    @Test func theBusinessDayAgreesWithFoundationsCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            // From 1976, since when all of Vietnam keeps UTC+7 (the south used UTC+8 before), to 2100.
            let instant = Date(
                timeIntervalSince1970: Double(Int64.random(in: 189_302_400..<4_102_444_800, using: &generator)))
            let parts = calendar.dateComponents([.year, .month, .day], from: instant)
            let day = CalendarDay(inVietnamAt: instant)
            #expect(day.year == parts.year && day.month == parts.month && day.day == parts.day)
            #expect(day.startInVietnam <= instant && instant < day.adding(days: 1).startInVietnam)
        }
    }
}
