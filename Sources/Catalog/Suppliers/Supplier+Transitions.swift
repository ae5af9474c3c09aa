/// The supplier lifecycle: `pending` → `active` (approved) → `suspended` ⇄ `active`.
import Kernel

public enum SupplierAction: String, Sendable {
    case approve, suspend, reinstate

    /// The state after this action, or 409 naming the current state.
    public func apply(to status: SupplierStatus) throws(DomainError) -> SupplierStatus {
        switch (self, status) {
        case (.approve, .pending): return .active
        case (.suspend, .active): return .suspended
        case (.reinstate, .suspended): return .active
        default:
            throw .conflict(
                kind: "invalid-transition",
                detail: "A \(status.rawValue) supplier cannot be \(pastTense).",
                currentState: status.rawValue
            )
        }
    }

    var pastTense: String {
        switch self {
        case .approve: "approved"
        case .suspend: "suspended"
        case .reinstate: "reinstated"
        }
    }
}
