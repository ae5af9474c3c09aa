import Foundation
import HTTPTypes
import Hummingbird
import Kernel

/// Staff's inbox (COD discrepancies for finance and the office's clerks, a disabled webhook for its
/// owner), and the counter's form that has a new delivery code sent to a buyer.
extension ConsoleSite {
    func inbox(_ session: WebSession) async throws -> Response {
        let page = try await services.notifications.inbox(
            of: session.principal.userID, unreadOnly: false, limit: 50, after: nil)
        let items: [[String: Any]] = page.items.map { item in
            [
                "title": item.title, "body": item.body, "when": VietnameseFormat.dateTime(item.createdAt),
                "unread": item.readAt == nil,
            ]
        }
        return render(
            "inbox",
            [
                "user": session.header, "items": items, "unread": page.unread, "hasUnread": page.unread > 0,
                "csrf": session.csrf,
            ])
    }

    func markInboxRead(_ session: WebSession) async throws -> Response {
        try await services.notifications.markAllRead(of: session.principal.userID)
        return PageResponse.redirect(to: "/console/thong-bao")
    }

    /// The clerk types the parcel's number from the buyer's phone call or paper: the buyer gets the code.
    func reissueCode(_ session: WebSession, trackingNo: String?) async throws -> Response {
        let number = (trackingNo ?? "").uppercased().filter { !$0.isWhitespace }
        guard S10Text.looksValid(number) else {
            return message(
                session, heading: "Mã vận đơn không đúng",
                text: "Mã vận đơn gồm 2 chữ cái, 9 chữ số và VN (ví dụ EC000000014VN). Hãy nhập lại.",
                status: .unprocessableContent)
        }
        try await services.scans.reissueDeliveryCode(trackingNo: number, caller: session.caller)
        return message(
            session, heading: "Đã gửi mã nhận hàng mới",
            text:
                "Người mua của kiện \(number) sẽ nhận mã mới qua thông báo (và tin nhắn nếu có). Mã cũ không còn dùng được.",
            status: .ok)
    }
}

/// The shape of an S10 number, before the domain checks its check digit.
enum S10Text {
    static func looksValid(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 13 else { return false }
        let letters = scalars[0..<2] + scalars[11..<13]
        return letters.allSatisfy { ("A"..."Z").contains($0) }
            && scalars[2..<11].allSatisfy { ("0"..."9").contains($0) }
    }
}
