import Foundation
import HTTPTypes
import Hummingbird
import Kernel

/// A forgotten password reset by a code sent to the email or the phone, and the inbox of what
/// happened to a person's orders and packages (`/thong-bao`), for buyers and producers alike.
extension ShopSite {
    func registerRecovery<Context: RequestContext>(
        on router: Router<Context>,
        clientAddress: @escaping @Sendable (Request, Context) -> String,
        isSecure: @escaping @Sendable (Request) -> Bool
    ) {
        router.get("quen-mat-khau") { request, _ in
            await visit(request, secure: isSecure(request)) { forgotPage($0) }
        }
        router.post("quen-mat-khau") { request, context in
            await post(request, secure: isSecure(request)) { visitor, fields in
                try await sendResetCode(visitor, fields, client: clientAddress(request, context))
            }
        }
        router.post("quen-mat-khau/dat-lai") { request, context in
            await post(request, secure: isSecure(request)) { visitor, fields in
                try await resetPassword(
                    &visitor, fields, client: clientAddress(request, context), secure: isSecure(request))
            }
        }
        router.get("thong-bao") { request, _ in
            await visit(request, secure: isSecure(request)) { try await inboxPage($0) }
        }
        router.post("thong-bao/da-doc") { request, _ in
            await post(request, secure: isSecure(request)) { visitor, _ in try await markInboxRead(visitor) }
        }
    }

    func forgotPage(
        _ visitor: ShopVisitor, name: String = "", codeSent: Bool = false, problem: String? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var values: [String: Any] = ["csrf": visitor.csrf, "name": name, "codeSent": codeSent]
        if let problem { values["problem"] = problem }
        return render("shop-forgot", visitor, values, status: status)
    }

    /// The same page whether or not an account has that email or phone: nobody learns who has one.
    func sendResetCode(_ visitor: ShopVisitor, _ fields: FormBody, client: String) async throws -> Response {
        let typed = (fields["ten-dang-nhap"] ?? "").trimmingCharacters(in: .whitespaces)
        if let wait = await admitSignIn(client) {
            return forgotPage(
                visitor, name: typed, problem: "Có quá nhiều yêu cầu từ máy này. Hãy thử lại sau \(wait) giây.",
                status: .tooManyRequests)
        }
        guard let name = SignInName.parse(typed) else {
            return forgotPage(
                visitor, name: typed, problem: "Hãy nhập email hoặc số điện thoại của tài khoản.",
                status: .unprocessableContent)
        }
        try await services.accounts.requestPasswordReset(name: name, rules: services.passwordReset, requestID: nil)
        return forgotPage(visitor, name: typed, codeSent: true)
    }

    /// With the right code: the new password, every other session ended, and this browser signed in.
    func resetPassword(_ visitor: inout ShopVisitor, _ fields: FormBody, client: String, secure: Bool) async throws
        -> Response
    {
        let typed = (fields["ten-dang-nhap"] ?? "").trimmingCharacters(in: .whitespaces)
        if let wait = await admitSignIn(client) {
            return forgotPage(
                visitor, name: typed, codeSent: true,
                problem: "Có quá nhiều yêu cầu từ máy này. Hãy thử lại sau \(wait) giây.", status: .tooManyRequests)
        }
        let password = fields["password"] ?? ""
        do {
            guard let name = SignInName.parse(typed) else {
                throw DomainError.validation([FieldError(field: "code", message: "is wrong")])
            }
            try await services.accounts.confirmPasswordReset(
                name: name, code: (fields["ma"] ?? "").trimmingCharacters(in: .whitespaces), newPassword: password,
                rules: services.passwordReset, requestID: nil)
            let (token, _) = try await services.accounts.login(name: name, password: password)
            return try await startSession(token, visitor: &visitor, next: "/", secure: secure)
        } catch DomainError.validation(let errors) {
            let problem =
                errors.contains { $0.field == "new_password" }
                ? "Mật khẩu mới cần từ 10 đến 128 ký tự."
                : "Mã không đúng hoặc đã hết hạn. Mỗi mã chỉ được nhập sai 5 lần; hãy xin mã mới nếu cần."
            return forgotPage(
                visitor, name: typed, codeSent: true, problem: problem, status: .unprocessableContent)
        }
    }

    func inboxPage(_ visitor: ShopVisitor) async throws -> Response {
        let session = try requireBuyer(visitor, next: "/thong-bao")
        let page = try await services.notifications.inbox(
            of: session.principal.userID, unreadOnly: false, limit: 50, after: nil)
        let items: [[String: Any]] = page.items.map { item in
            [
                "title": item.title, "body": item.body, "when": VietnameseFormat.dateTime(item.createdAt),
                "unread": item.readAt == nil, "href": item.link.map(Self.localPath) ?? "",
            ]
        }
        return render(
            "shop-notifications", visitor,
            [
                "csrf": visitor.csrf, "items": items, "hasItems": !items.isEmpty, "unread": page.unread,
                "hasUnread": page.unread > 0,
            ])
    }

    func markInboxRead(_ visitor: ShopVisitor) async throws -> Response {
        let session = try requireBuyer(visitor, next: "/thong-bao")
        try await services.notifications.markAllRead(of: session.principal.userID)
        return PageResponse.redirect(to: "/thong-bao")
    }
}
