import Foundation

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

/// Calendar days of the business (Asia/Ho_Chi_Minh, UTC+7 all year).
public enum BusinessDay {
    static let zone = TimeZone(secondsFromGMT: 7 * 3600) ?? .gmt

    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// "yyyy-MM-dd" for an instant.
    public static func string(for date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// The start of a "yyyy-MM-dd" day, or nil when it is not a real date.
    public static func start(of day: String) -> Date? {
        let parts = day.split(separator: "-", omittingEmptySubsequences: false)
        guard day.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        let components = DateComponents(year: y, month: m, day: d)
        guard let date = calendar.date(from: components), string(for: date) == day else { return nil }
        return date
    }

    public static func adding(_ days: Int, to day: String) -> String? {
        guard let start = start(of: day), let later = calendar.date(byAdding: .day, value: days, to: start) else {
            return nil
        }
        return string(for: later)
    }
}
