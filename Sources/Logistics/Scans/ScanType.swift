import Orders

/// What a courier or clerk records about a parcel (SPEC §5).
public enum ScanType: String, Sendable, CaseIterable, Codable {
    case pickedUp = "picked_up"
    case arrivedAtHub = "arrived_at_hub"
    case outForDelivery = "out_for_delivery"
    case delivered
    case deliveryFailed = "delivery_failed"
    case returnedToSender = "returned_to_sender"
}

/// Where a parcel stands with the carrier: its status and how many deliveries failed.
public struct ParcelState: Sendable, Hashable {
    public var status: PackageStatus
    public var attempts: Int

    public init(status: PackageStatus, attempts: Int = 0) {
        self.status = status
        self.attempts = attempts
    }

    /// The parcel's state after a scan, or nil when the scan does not fit this state.
    /// `maxAttempts` failed deliveries send the parcel back to its sender.
    public func after(_ scan: ScanType, maxAttempts: Int) -> ParcelState? {
        switch (scan, status) {
        case (.pickedUp, .readyForPickup): return ParcelState(status: .pickedUp, attempts: attempts)
        case (.arrivedAtHub, .pickedUp), (.arrivedAtHub, .inTransit):
            return ParcelState(status: .inTransit, attempts: attempts)
        case (.arrivedAtHub, .returning): return self
        case (.outForDelivery, .inTransit): return ParcelState(status: .outForDelivery, attempts: attempts)
        case (.delivered, .outForDelivery): return ParcelState(status: .delivered, attempts: attempts)
        case (.deliveryFailed, .outForDelivery):
            let failed = attempts + 1
            return ParcelState(status: failed >= maxAttempts ? .returning : .inTransit, attempts: failed)
        case (.returnedToSender, .returning): return ParcelState(status: .returned, attempts: attempts)
        default: return nil
        }
    }

    /// No scan changes these.
    public var isFinal: Bool { status == .delivered || status == .returned }

    /// Statuses a scan can start from: the parcel is ready or with the carrier.
    public static func isScannable(_ status: PackageStatus) -> Bool {
        status == .readyForPickup || status.isUnderwayWithCarrier
    }

    /// Whether some sequence of scans leads from this state to one where `scan` fits: a scan that
    /// does not fit yet may be waiting for an earlier one still on an offline device.
    public func canReach(_ scan: ScanType, maxAttempts: Int) -> Bool {
        // States are (status, attempts); attempts never exceed maxAttempts, so the search ends.
        var seen: Set<ParcelState> = []
        var frontier = [self]
        while let state = frontier.popLast() {
            if state.after(scan, maxAttempts: maxAttempts) != nil { return true }
            guard seen.insert(state).inserted else { continue }
            for next in ScanType.allCases {
                if let reached = state.after(next, maxAttempts: maxAttempts), !seen.contains(reached) {
                    frontier.append(reached)
                }
            }
        }
        return false
    }
}
