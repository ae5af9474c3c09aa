import Kernel

/// The states of an order, which follow its packages.
public enum OrderStatus: String, Sendable, CaseIterable, Codable {
    case awaitingPayment = "awaiting_payment"
    case placed
    case inProgress = "in_progress"
    case completed, returned, cancelled, expired

    /// The order's state from its packages': awaiting payment while any is; ended (cancelled or
    /// expired) when every package ended; returned when every package that left came back, completed
    /// when each reached the buyer or came back (a partly returned order: its packages say which); in
    /// progress once any is on its way; placed before that.
    public static func derived(from packages: [PackageStatus]) -> OrderStatus {
        if packages.contains(.awaitingPayment) { return .awaitingPayment }
        let ended: Set<PackageStatus> = [.cancelled, .rejected, .expired]
        if packages.allSatisfy({ ended.contains($0) }) {
            return packages.allSatisfy { $0 == .expired } ? .expired : .cancelled
        }
        let live = packages.filter { !ended.contains($0) }
        if live.allSatisfy({ $0 == .returned }) { return .returned }
        if live.allSatisfy({ $0 == .delivered || $0 == .returned }) { return .completed }
        if live.contains(where: \.isUnderwayWithCarrier) { return .inProgress }
        return .placed
    }
}

public enum PackageStatus: String, Sendable, CaseIterable, Codable {
    case awaitingPayment = "awaiting_payment"
    case new, accepted
    case readyForPickup = "ready_for_pickup"
    case rejected, cancelled, expired
    case pickedUp = "picked_up"
    case inTransit = "in_transit"
    case outForDelivery = "out_for_delivery"
    /// A failed attempt, held for the buyer's or the seller's instruction until its deadline.
    case waitingForInstruction = "waiting_for_instruction"
    case delivered, returning, returned

    /// Handed to the post office: no longer the seller's or the buyer's to call off.
    public var isUnderwayWithCarrier: Bool {
        switch self {
        case .pickedUp, .inTransit, .outForDelivery, .waitingForInstruction, .delivered, .returning, .returned: true
        default: false
        }
    }

    /// Holding stock that goes back if the package ends before pickup.
    public var holdsStock: Bool {
        switch self {
        case .awaitingPayment, .new, .accepted, .readyForPickup: true
        default: false
        }
    }
}

/// What may happen to a package before the carrier has it.
public enum PackageAction: String, Sendable, CaseIterable {
    /// The bank transfer arrived.
    case pay
    /// The seller will prepare it.
    case accept
    /// The seller cannot fill it (reason shown to the buyer).
    case reject
    /// Packed and waiting for the courier.
    case markReady = "ready"
    /// The buyer calls it off.
    case cancel
    /// Unpaid in time.
    case expire

    /// The state after this action, or 409 naming the current state.
    public func apply(to status: PackageStatus) throws(DomainError) -> PackageStatus {
        switch (self, status) {
        case (.pay, .awaitingPayment): return .new
        case (.accept, .new): return .accepted
        case (.reject, .new), (.reject, .accepted): return .rejected
        case (.markReady, .accepted): return .readyForPickup
        case (.cancel, .awaitingPayment), (.cancel, .new), (.cancel, .accepted), (.cancel, .readyForPickup):
            return .cancelled
        case (.expire, .awaitingPayment): return .expired
        default:
            throw .conflict(
                kind: "invalid-transition",
                detail:
                    "A package in state \(status.rawValue) cannot be \(rawValue == "ready" ? "marked ready" : rawValue + "ed").",
                currentState: status.rawValue)
        }
    }
}
