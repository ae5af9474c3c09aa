import Foundation
import Kernel
import Testing

@testable import Logistics

@Suite("Finance dashboard: the days of the window and how long cash is held")
struct FinanceOverviewTests {
    @Test func everyDayOfTheWindowIsThereInOrderQuietDaysAsZeros() {
        let today = CalendarDay(year: 2026, month: 3, day: 2)
        let days = FinanceOverview.series(
            last: 5, endingOn: today, collected: [CalendarDay(year: 2026, month: 2, day: 27): 100],
            handedOver: [today: 40], remitted: [CalendarDay(year: 2026, month: 1, day: 1): 999])
        // Across the end of February (28 days in 2026): 26, 27, 28 Feb, 1, 2 Mar.
        #expect(days.map(\.day.description) == ["2026-02-26", "2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"])
        #expect(days.map(\.collectedVND) == [0, 100, 0, 0, 0])
        #expect(days.map(\.handedOverVND) == [0, 0, 0, 0, 40])
        // A sum outside the window is not shown.
        #expect(days.allSatisfy { $0.remittedVND == 0 })
        #expect(
            FinanceOverview.series(last: 0, endingOn: today, collected: [:], handedOver: [:], remitted: [:]).isEmpty)
    }

    @Test func cashIsHeldForWholeBusinessDaysInVietnam() {
        // 23:30 in Hội An on 1 March is 16:30 UTC; 00:30 on 2 March is 17:30 UTC: one day held.
        let evening = Date(timeIntervalSince1970: 1_772_382_600)  // 2026-03-01T16:30:00Z
        #expect(FinanceOverview.daysHeld(since: evening, now: evening.addingTimeInterval(3600)) == 1)
        #expect(FinanceOverview.daysHeld(since: evening, now: evening.addingTimeInterval(600)) == 0)
        #expect(FinanceOverview.daysHeld(since: evening, now: evening.addingTimeInterval(-600)) == 0)
    }
}
