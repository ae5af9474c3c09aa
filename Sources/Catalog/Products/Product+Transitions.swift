/// The listing lifecycle: `draft` → `pending_review` → `active` | `rejected` (→ `pending_review` again),
/// and any state but `archived` → `archived`.
import Kernel

public enum ProductAction: String, Sendable {
    case submit, approve, reject, archive
    /// A producer changed what reviewers judge (title, description, category).
    case editContent

    /// The state after this action, or 409 naming the current state.
    public func apply(to status: ProductStatus) throws(DomainError) -> ProductStatus {
        switch (self, status) {
        case (.submit, .draft), (.submit, .rejected): return .pendingReview
        case (.approve, .pendingReview): return .active
        case (.reject, .pendingReview): return .rejected
        case (.archive, .draft), (.archive, .pendingReview), (.archive, .active), (.archive, .rejected):
            return .archived
        case (.editContent, .active): return .pendingReview
        case (.editContent, .draft), (.editContent, .pendingReview), (.editContent, .rejected): return status
        default:
            throw .conflict(
                kind: "invalid-transition",
                detail: "A product in state \(status.rawValue) cannot be \(pastTense).",
                currentState: status.rawValue
            )
        }
    }

    var pastTense: String {
        switch self {
        case .submit: "submitted for review"
        case .approve: "approved"
        case .reject: "rejected"
        case .archive: "archived"
        case .editContent: "edited"
        }
    }
}
