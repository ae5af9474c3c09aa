import Kernel

extension CalendarDay {
    /// The day the demo data describes: OCOP certificates are valid or expired as of this date, so that
    /// generated data does not depend on the clock.
    static let reference = CalendarDay(year: 2026, month: 11, day: 27)
}
