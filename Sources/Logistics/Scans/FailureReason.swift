import Foundation

/// Why a delivery attempt failed, as carriers code it (GHN's, GHTK's and VNPost's failed-delivery
/// reasons reduce to these): a refusal sends the parcel back at once, every other reason holds it
/// for the buyer's or the seller's instruction.
public enum FailureReason: String, Sendable, CaseIterable, Codable {
    case recipientAbsent = "recipient_absent"
    case phoneUnreachable = "phone_unreachable"
    case wrongAddress = "wrong_address"
    case refused
    case postponed
    case unsafe
    case other

    /// The glossary's words, for manifests, tracking and notifications.
    public var label: String {
        switch self {
        case .recipientAbsent: "Người nhận vắng nhà"
        case .phoneUnreachable: "Không liên lạc được người nhận"
        case .wrongAddress: "Sai hoặc thiếu địa chỉ"
        case .refused: "Người nhận từ chối nhận hàng"
        case .postponed: "Người nhận hẹn giao lại"
        case .unsafe: "Không thể giao do thời tiết / đường sá"
        case .other: "Lý do khác"
        }
    }
}

/// The shift a moment falls in (Asia/Ho_Chi_Minh, morning before noon): attempts within one shift
/// count once.
public enum DeliveryShift {
    public static func key(_ moment: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day, .hour], from: moment)
        return String(
            format: "%04d-%02d-%02d-%@", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
            (parts.hour ?? 0) < 12 ? "am" : "pm")
    }
}
