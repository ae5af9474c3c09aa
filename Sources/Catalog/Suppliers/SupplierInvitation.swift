import Foundation

/// An invitation to produce for a supplier, sent to an email address (issue 16): nobody becomes a
/// member without accepting, and the inviter learns nothing about whether the address has an account.
public struct SupplierInvitation: Sendable, Equatable {
    public enum Status: String, Sendable {
        case pending, accepted, declined, revoked
        /// Pending past its expiry: it can no longer be accepted.
        case expired
    }

    public var id: UUID
    public var supplierID: UUID
    public var supplierName: String
    public var email: String
    public var status: Status
    public var createdAt: Date
    public var expiresAt: Date
    public var resolvedAt: Date?

    /// How long an invitation stays open.
    public static let lifetime: TimeInterval = 14 * 24 * 3600
}
