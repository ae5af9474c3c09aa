/// The two courier shifts of a business day.
public enum Shift: String, Sendable, CaseIterable, Codable, Comparable {
    case morning, afternoon

    /// The shift that overflow rolls into, and whether it is on the next day.
    public var next: (shift: Shift, nextDay: Bool) {
        switch self {
        case .morning: (.afternoon, false)
        case .afternoon: (.morning, true)
        }
    }

    public static func < (lhs: Shift, rhs: Shift) -> Bool { lhs == .morning && rhs == .afternoon }
}

/// What a courier's run is for: collecting from producers or bringing parcels to buyers.
public enum RunKind: String, Sendable, CaseIterable, Codable {
    case pickup, delivery
}
