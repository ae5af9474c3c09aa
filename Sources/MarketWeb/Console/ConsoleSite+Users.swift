import Foundation
import HTTPTypes
import Hummingbird
import Kernel

/// The admin's accounts page: who has an account, with which roles, and switching one off (every
/// session ends at once) or on again, through the same `AccountStore.update` as the API.
extension ConsoleSite {
    func users(_ session: WebSession, after: String?, result: String?) async throws -> Response {
        guard session.principal.isAdmin else {
            throw DomainError.forbidden("This page is for admins.")
        }
        let cursor = try after.map { text throws(DomainError) in try PageCursor.decode(text, field: "sau") }
        let page = try await services.accounts.users(limit: 50, after: cursor, role: nil)
        let items: [[String: Any]] = page.users.map { user in
            [
                "id": user.id.uuidString.lowercased(), "name": user.displayName, "email": user.email,
                "phone": user.phone.map(VietnameseFormat.phone) ?? "—",
                "roles": WebSession.roleNames(user.grants),
                "active": user.isActive, "self": user.id == session.principal.userID,
                "created": VietnameseFormat.date(user.createdAt), "csrf": session.csrf,
            ]
        }
        var values: [String: Any] = [
            "user": session.header, "items": items,
            "next": page.next.map { "/console/nguoi-dung?sau=\($0.encoded)" } ?? "",
        ]
        switch result {
        case "da-khoa": values["notice"] = "Đã khoá tài khoản: mọi phiên đăng nhập của người đó đã kết thúc."
        case "da-mo": values["notice"] = "Đã mở lại tài khoản. Người đó đăng nhập lại bằng mật khẩu của mình."
        default: break
        }
        return render("users", values)
    }

    func setActive(_ session: WebSession, id text: String?, active: Bool) async throws -> Response {
        guard let text, let id = UUID(uuidString: text) else { throw DomainError.notFound("No user with this id.") }
        guard session.principal.isAdmin else { throw DomainError.forbidden("This page is for admins.") }
        _ = try await services.accounts.update(
            id, UserChanges(isActive: active), actor: session.principal.userID, requestID: nil)
        return PageResponse.redirect(to: "/console/nguoi-dung?ket-qua=\(active ? "da-mo" : "da-khoa")")
    }
}
