import Foundation
import Kernel

/// What finance sees first (issue 18's dashboard): the cash of the last days as it moved (collected by
/// couriers, handed over at the counter, remitted to sellers), and who holds cash now and since when.
public struct FinanceOverview: Sendable, Equatable {
    public struct Day: Sendable, Equatable {
        public var day: CalendarDay
        public var collectedVND: Int64
        public var handedOverVND: Int64
        public var remittedVND: Int64

        public init(day: CalendarDay, collectedVND: Int64 = 0, handedOverVND: Int64 = 0, remittedVND: Int64 = 0) {
            (self.day, self.collectedVND, self.handedOverVND, self.remittedVND) =
                (day, collectedVND, handedOverVND, remittedVND)
        }
    }

    public struct CourierCash: Sendable, Equatable {
        public var courierID: UUID
        public var name: String
        public var postOffice: String?
        public var heldVND: Int64
        /// When the oldest collection not yet handed over was made, within the last 60 days (nil: none
        /// is; the balance is a handover's difference, or older).
        public var oldestSince: Date?
    }

    /// Every day of the window, oldest first, days without movement included.
    public var days: [Day]
    /// Couriers holding cash, most first.
    public var couriers: [CourierCash]

    /// The window's days in order, each with the sums found for it (days with none are zeros): a chart
    /// shows quiet days as quiet, not as missing.
    public static func series(
        last count: Int, endingOn today: CalendarDay, collected: [CalendarDay: Int64],
        handedOver: [CalendarDay: Int64], remitted: [CalendarDay: Int64]
    ) -> [Day] {
        guard count > 0 else { return [] }
        return (0..<count).map { offset in
            let day = today.adding(days: offset - count + 1)
            return Day(
                day: day, collectedVND: collected[day] ?? 0, handedOverVND: handedOver[day] ?? 0,
                remittedVND: remitted[day] ?? 0)
        }
    }

    /// Whole days between `since` and `now` (how long cash has been held), never negative.
    public static func daysHeld(since: Date, now: Date) -> Int {
        max(0, CalendarDay(inVietnamAt: now).daysSinceEpoch - CalendarDay(inVietnamAt: since).daysSinceEpoch)
    }
}
