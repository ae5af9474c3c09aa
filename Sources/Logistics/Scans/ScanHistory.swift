import Foundation

/// One recorded scan, as the replay needs it.
public struct RecordedScan: Sendable, Equatable {
    public var id: UUID
    public var type: ScanType
    public var occurredAt: Date
    public var receivedAt: Date
    public var postOfficeID: UUID?
    public var applied: Bool
    /// A failed attempt's reason.
    public var reason: FailureReason?

    public init(
        id: UUID, type: ScanType, occurredAt: Date, receivedAt: Date, postOfficeID: UUID?, applied: Bool,
        reason: FailureReason? = nil
    ) {
        self.reason = reason
        self.id = id
        self.type = type
        self.occurredAt = occurredAt
        self.receivedAt = receivedAt
        self.postOfficeID = postOfficeID
        self.applied = applied
    }
}

/// A parcel's history replayed in the order things happened (not the order they arrived).
public struct ScanReplay: Sendable, Equatable {
    public var state: ParcelState
    /// Scans that took effect, in the order they happened.
    public var applied: [UUID]
    /// The post office of the last hub scan that took effect.
    public var lastHub: UUID?
    /// The state just before each scan was considered, by scan id.
    public var stateBefore: [UUID: ParcelState]
    /// When the last failed attempt that took effect happened: a held parcel's hold runs from it.
    public var lastFailureAt: Date?
}

/// How a new scan is taken in.
public enum ScanAdmission: Sendable, Equatable {
    /// It fits the history: applied, with any waiting scans it unblocked (in order).
    case applied(ScanReplay, newlyApplied: [UUID])
    /// It does not fit yet, but an earlier scan still to come can make it fit: kept, waiting.
    case waiting(ScanReplay)
    /// It contradicts what already took effect, or can never fit: refused with the current state.
    case refused(current: ParcelState)
}

public enum ScanHistory {
    /// Applies scans in (occurred_at, received_at, id) order from `start`; a scan that does not fit
    /// the state at its turn is skipped.
    public static func replay(_ scans: [RecordedScan], from start: ParcelState, maxAttempts: Int) -> ScanReplay {
        var state = start
        var applied: [UUID] = []
        var lastHub: UUID?
        var before: [UUID: ParcelState] = [:]
        var lastFailureAt: Date?
        for scan in ordered(scans) {
            before[scan.id] = state
            guard let next = state.after(scan.type, reason: scan.reason, at: scan.occurredAt, maxAttempts: maxAttempts)
            else { continue }
            state = next
            applied.append(scan.id)
            if scan.type == .arrivedAtHub { lastHub = scan.postOfficeID ?? lastHub }
            if scan.type == .deliveryFailed { lastFailureAt = scan.occurredAt }
        }
        return ScanReplay(
            state: state, applied: applied, lastHub: lastHub, stateBefore: before, lastFailureAt: lastFailureAt)
    }

    /// Whether `new` can join `recorded`: never by undoing a scan that already took effect (money
    /// and stock followed it), and only if it fits now or may fit once earlier scans arrive.
    public static func admit(
        _ new: RecordedScan, to recorded: [RecordedScan], from start: ParcelState, maxAttempts: Int
    ) -> ScanAdmission {
        let current = replay(recorded, from: start, maxAttempts: maxAttempts)
        let next = replay(recorded + [new], from: start, maxAttempts: maxAttempts)
        let stillApplied = Set(next.applied)
        guard current.applied.allSatisfy({ stillApplied.contains($0) }) else {
            return .refused(current: current.state)
        }
        if stillApplied.contains(new.id) {
            let before = Set(current.applied)
            return .applied(next, newlyApplied: next.applied.filter { !before.contains($0) })
        }
        guard !next.state.isFinal, let turn = next.stateBefore[new.id],
            turn.canReach(new.type, reason: new.reason, maxAttempts: maxAttempts)
        else { return .refused(current: current.state) }
        return .waiting(next)
    }

    static func ordered(_ scans: [RecordedScan]) -> [RecordedScan] {
        scans.sorted {
            if $0.occurredAt != $1.occurredAt { return $0.occurredAt < $1.occurredAt }
            if $0.receivedAt != $1.receivedAt { return $0.receivedAt < $1.receivedAt }
            return $0.id.uuidString < $1.id.uuidString
        }
    }
}
