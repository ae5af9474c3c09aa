import Foundation
import Orders

/// What a courier or clerk records about a parcel (SPEC §5), and the instructions a buyer or seller
/// gives for a parcel held after a failed attempt, which join the same history.
public enum ScanType: String, Sendable, CaseIterable, Codable {
    case pickedUp = "picked_up"
    case arrivedAtHub = "arrived_at_hub"
    case outForDelivery = "out_for_delivery"
    case delivered
    case deliveryFailed = "delivery_failed"
    case returnedToSender = "returned_to_sender"
    /// The buyer or the seller asks for another attempt.
    case redeliveryRequested = "redelivery_requested"
    /// The buyer or the seller asks for the parcel to go back.
    case returnRequested = "return_requested"

    /// Recorded by staff through the scans endpoint; the other two come from the instructions endpoint.
    public var isScan: Bool { self != .redeliveryRequested && self != .returnRequested }
}

/// Where a parcel stands with the carrier: its status, how many deliveries failed, and the shift of
/// the last failure (a second failure in the same shift is the same attempt).
public struct ParcelState: Sendable, Hashable {
    public var status: PackageStatus
    public var attempts: Int
    public var lastFailedShift: String?

    public init(status: PackageStatus, attempts: Int = 0, lastFailedShift: String? = nil) {
        self.status = status
        self.attempts = attempts
        self.lastFailedShift = lastFailedShift
    }

    /// The parcel's state after a scan, or nil when the scan does not fit this state. A refusal, or
    /// the `maxAttempts`-th failed attempt, sends the parcel back to its sender; any other failure
    /// holds it for an instruction. `at` places a failure in its shift (nil: a shift of its own).
    public func after(
        _ scan: ScanType, reason: FailureReason? = nil, at moment: Date? = nil, maxAttempts: Int
    ) -> ParcelState? {
        var next = self
        switch (scan, status) {
        case (.pickedUp, .readyForPickup): next.status = .pickedUp
        case (.arrivedAtHub, .pickedUp), (.arrivedAtHub, .inTransit): next.status = .inTransit
        case (.arrivedAtHub, .returning): return self
        // Taken out again: after an instruction, or once the hold ended (or the office decides).
        case (.outForDelivery, .inTransit), (.outForDelivery, .waitingForInstruction): next.status = .outForDelivery
        case (.delivered, .outForDelivery): next.status = .delivered
        case (.deliveryFailed, .outForDelivery):
            let shift = moment.map(DeliveryShift.key)
            if shift == nil || shift != lastFailedShift { next.attempts += 1 }
            next.lastFailedShift = shift
            next.status =
                reason == .refused || next.attempts >= maxAttempts ? .returning : .waitingForInstruction
        case (.redeliveryRequested, .waitingForInstruction): next.status = .inTransit
        case (.returnRequested, .waitingForInstruction): next.status = .returning
        // Changed minds after asking for another attempt, before it starts.
        case (.returnRequested, .inTransit) where attempts > 0: next.status = .returning
        case (.returnedToSender, .returning): next.status = .returned
        default: return nil
        }
        return next
    }

    /// No scan changes these.
    public var isFinal: Bool { status == .delivered || status == .returned }

    /// Statuses a scan can start from: the parcel is ready or with the carrier.
    public static func isScannable(_ status: PackageStatus) -> Bool {
        status == .readyForPickup || status.isUnderwayWithCarrier
    }

    /// Whether some sequence of scans leads from this state to one where `scan` fits: a scan that
    /// does not fit yet may be waiting for an earlier one still on an offline device.
    public func canReach(_ scan: ScanType, reason: FailureReason? = nil, maxAttempts: Int) -> Bool {
        // States are (status, attempts, shift); without times every failure counts, attempts never
        // exceed maxAttempts, so the search ends.
        var seen: Set<ParcelState> = []
        var frontier = [self]
        while let state = frontier.popLast() {
            if state.after(scan, reason: reason, maxAttempts: maxAttempts) != nil { return true }
            guard seen.insert(state).inserted else { continue }
            for next in ScanType.allCases {
                let reasons: [FailureReason?] = next == .deliveryFailed ? [.recipientAbsent, .refused] : [nil]
                for reason in reasons {
                    if let reached = state.after(next, reason: reason, maxAttempts: maxAttempts),
                        !seen.contains(reached)
                    {
                        frontier.append(reached)
                    }
                }
            }
        }
        return false
    }
}
