import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logistics

/// Staff's inbox (COD discrepancies for finance and the office's clerks, a disabled webhook for its
/// owner), and the counter's form that has a new delivery code sent to a buyer.
extension ConsoleSite {
    func inbox(_ session: WebSession) async throws -> Response {
        let page = try await services.notifications.inbox(
            of: session.principal.userID, unreadOnly: false, limit: 50, after: nil)
        let items: [[String: Any]] = page.items.map { item in
            var row: [String: Any] = [
                "title": item.title, "body": item.body, "when": VietnameseFormat.dateTime(item.createdAt),
                "unread": item.readAt == nil,
            ]
            // A notice that asks for work opens the page where it is done (only the console's own pages).
            if let link = item.link, link.hasPrefix("/console/"), link != "/console/" { row["link"] = link }
            return row
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
        let typed = (trackingNo ?? "").uppercased().filter { !$0.isWhitespace }
        guard let number = try? S10.parsed(typed).description else {
            return message(
                session, heading: "Mã vận đơn không đúng",
                text:
                    "Mã vận đơn gồm 2 chữ cái, 9 chữ số và VN (ví dụ EC000000014VN), chữ số cuối là số kiểm tra. Hãy nhập lại.",
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
