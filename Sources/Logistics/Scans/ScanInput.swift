import Foundation
import Kernel
import Orders

/// A scan as a device sends it.
public struct ScanInput: Sendable, Equatable {
    public var clientEventID: UUID
    public var type: ScanType
    public var occurredAt: Date
    /// The hub for `arrived_at_hub` (defaults to the scanner's own post office).
    public var postOfficeID: UUID?
    /// A failed attempt's reason code; `reason` is its words (required with `other`).
    public var reasonCode: FailureReason?
    public var reason: String?
    public var codCollectedVND: Int64?
    public var recipientName: String?
    public var deliveryCode: String?

    public init(
        clientEventID: UUID, type: ScanType, occurredAt: Date, postOfficeID: UUID? = nil,
        reasonCode: FailureReason? = nil, reason: String? = nil, codCollectedVND: Int64? = nil,
        recipientName: String? = nil, deliveryCode: String? = nil
    ) {
        self.reasonCode = reasonCode
        self.clientEventID = clientEventID
        self.type = type
        self.occurredAt = occurredAt
        self.postOfficeID = postOfficeID
        self.reason = reason
        self.codCollectedVND = codCollectedVND
        self.recipientName = recipientName
        self.deliveryCode = deliveryCode
    }

    /// Devices' clocks drift; a scan from further in the future than this is refused.
    static let clockSkew: TimeInterval = 5 * 60
    /// An offline device may hold scans this long.
    static let oldestAccepted: TimeInterval = 30 * 24 * 3600

    public func validate(now: Date) throws(DomainError) {
        var v = Validator()
        v.check(type.isScan, "type", "must be a scan (instructions go to POST /v1/packages/{id}/delivery-instructions)")
        v.check(occurredAt <= now.addingTimeInterval(Self.clockSkew), "occurred_at", "is in the future")
        v.check(
            occurredAt >= now.addingTimeInterval(-Self.oldestAccepted), "occurred_at",
            "is more than 30 days ago")
        switch type {
        case .delivered:
            if let codCollectedVND {
                v.range(codCollectedVND, "cod_collected_vnd", 0...1_000_000_000_000)
            } else {
                v.fail("cod_collected_vnd", "is required for delivered")
            }
            if let recipientName {
                v.text(recipientName, "recipient_name", max: 100)
            } else {
                v.fail("recipient_name", "is required for delivered")
            }
            if let deliveryCode {
                v.check(Validator.isDigits(deliveryCode, count: 6), "delivery_code", "must be 6 digits")
            } else {
                v.fail("delivery_code", "is required for delivered")
            }
        case .deliveryFailed:
            if reasonCode == nil { v.fail("reason_code", "is required for delivery_failed") }
            if let reason {
                v.text(reason, "reason", max: 200)
            } else if reasonCode == .other {
                v.fail("reason", "is required when reason_code is other")
            }
        default:
            if reasonCode != nil { v.fail("reason_code", "is only for delivery_failed") }
            if let reason { v.text(reason, "reason", max: 200) }
        }
        try v.done()
    }

    /// The words stored and shown for a failed attempt: the courier's, else the code's.
    var reasonText: String? { reason ?? reasonCode?.label }

    /// What makes two sends of one client event the same scan.
    var requestHash: String {
        let parts: [String] = [
            type.rawValue, String(occurredAt.timeIntervalSince1970), postOfficeID?.uuidString ?? "",
            (reasonCode?.rawValue ?? "") + "/" + (reason ?? ""), codCollectedVND.map(String.init) ?? "",
            recipientName ?? "", deliveryCode ?? "",
        ]
        return Digest.sha256Hex(parts.joined(separator: "|"))
    }
}
