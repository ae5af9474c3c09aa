import Foundation
import Kernel

/// A post office's plan for one day, shift and kind of run: a route per courier and what did not fit.
public struct Schedule: Sendable, Equatable {
    public var id: UUID
    public var postOfficeID: UUID
    public var serviceOn: String
    public var shift: Shift
    public var kind: RunKind
    public var plannedAt: Date
    public var revision: Int
    public var routes: [ScheduleRoute]
    public var overflow: [OverflowParcel]
    /// Where the overflow goes: the next shift (the afternoon, or the next day's morning).
    public var rollsTo: (serviceOn: String, shift: Shift) {
        let next = shift.next
        return (next.nextDay ? BusinessDay.adding(1, to: serviceOn) ?? serviceOn : serviceOn, next.shift)
    }

    public static func == (lhs: Schedule, rhs: Schedule) -> Bool {
        lhs.id == rhs.id && lhs.revision == rhs.revision && lhs.routes == rhs.routes && lhs.overflow == rhs.overflow
    }
}

public struct ScheduleRoute: Sendable, Equatable {
    public var courierID: UUID
    public var courierName: String
    public var meters: Int
    public var grams: Int
    public var stops: [ScheduleStop]
}

public struct ScheduleStop: Sendable, Equatable {
    public var id: UUID
    public var sequence: Int
    public var supplierID: UUID?
    public var name: String
    public var communeCode: String
    public var location: GeoPoint
    public var grams: Int
    public var trackingNumbers: [String]
    /// A courier already worked it (some parcel moved on); re-planning leaves it as it is.
    public var started: Bool
}

public struct OverflowParcel: Sendable, Equatable {
    public var packageID: UUID
    public var trackingNo: String
    public var stopName: String
    public var grams: Int
}

/// Calendar days of the business (Asia/Ho_Chi_Minh, UTC+7 all year) as "yyyy-MM-dd" text, the way
/// the API carries them; the arithmetic is `CalendarDay`'s.
public enum BusinessDay {
    /// "yyyy-MM-dd" for an instant.
    public static func string(for date: Date) -> String {
        CalendarDay(inVietnamAt: date).description
    }

    /// The start of a "yyyy-MM-dd" day, or nil when it is not a real date.
    public static func start(of day: String) -> Date? {
        CalendarDay(day)?.startInVietnam
    }

    public static func adding(_ days: Int, to day: String) -> String? {
        CalendarDay(day)?.adding(days: days).description
    }
}
