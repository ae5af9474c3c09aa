import Foundation

/// When shifts start, and when the worker plans them: during the lead time before each start, so a
/// plan picks up parcels made ready until the courier leaves. Re-planning is idempotent, so a
/// worker may plan the same shift every cycle of that window, and several workers may at once.
public enum ShiftTimetable {
    /// Minutes after midnight, Asia/Ho_Chi_Minh.
    public static func start(of shift: Shift) -> Int {
        switch shift {
        case .morning: 8 * 60
        case .afternoon: 13 * 60 + 30
        }
    }

    /// When a shift's couriers are back, in minutes after midnight: parcels still waiting on its plan
    /// after that were missed and go to the next plan.
    public static func end(of shift: Shift) -> Int {
        switch shift {
        case .morning: 12 * 60
        case .afternoon: 17 * 60 + 30
        }
    }

    /// The (day, shift) pairs whose planning window contains `now`.
    public static func due(at now: Date, leadMinutes: Int = 60) -> [(day: String, shift: Shift)] {
        let day = BusinessDay.string(for: now)
        guard let midnight = BusinessDay.start(of: day) else { return [] }
        let minute = Int(now.timeIntervalSince(midnight) / 60)
        return Shift.allCases.compactMap { shift in
            let start = start(of: shift)
            return (start - leadMinutes..<start).contains(minute) ? (day, shift) : nil
        }
    }
}
