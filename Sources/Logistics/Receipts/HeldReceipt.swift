import Foundation

/// A bank transfer that arrived but confirmed no order: booked to suspense on arrival, then resolved
/// by finance (SPEC §6, issue 16).
public struct HeldReceipt: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        /// In suspense, waiting for finance.
        case open
        /// Applied to its order, which is now paid.
        case applied
        /// Owed back to the sender (listed with the refunds).
        case refundOwed = "refund_owed"
        /// Paid back.
        case refunded
    }

    public var id: UUID
    public var eventID: String
    public var orderNumber: String
    public var orderID: UUID?
    public var amountVND: Int64
    public var sentAt: Date
    public var receivedAt: Date
    public var bankReference: String?
    /// Why it confirmed nothing: `amount_mismatch`, `not_awaiting_payment` or `unknown_order`.
    public var outcome: String
    public var status: Status
    public var resolvedAt: Date?
    public var note: String?
    public var refundPaidAt: Date?
    public var refundReference: String?
}
