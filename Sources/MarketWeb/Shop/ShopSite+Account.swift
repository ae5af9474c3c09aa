import Foundation
import HTTPTypes
import Hummingbird
import Kernel

/// Buyers sign in, register and sign out. The session is the console's (the same cookie, the same
/// API token), so signing out here signs out everywhere.
extension ShopSite {
    func signInPage(
        _ visitor: ShopVisitor, next: String?, email: String = "", problem: String? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var values: [String: Any] = [
            "csrf": visitor.csrf, "next": Self.localPath(next), "email": email,
            "registerHref": "/dang-ky?tiep=" + URLText.component(Self.localPath(next)),
        ]
        if let problem { values["problem"] = problem }
        return render("shop-sign-in", visitor, values, status: status)
    }

    func registerPage(
        _ visitor: ShopVisitor, next: String?, fields: FormBody = FormBody(""), problem: String? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var values: [String: Any] = [
            "csrf": visitor.csrf, "next": Self.localPath(next), "name": fields["ten"] ?? "",
            "email": fields["email"] ?? "", "phone": fields["sdt"] ?? "",
        ]
        if let problem { values["problem"] = problem }
        return render("shop-register", visitor, values, status: status)
    }

    func signIn(_ visitor: inout ShopVisitor, _ fields: FormBody, client: String, secure: Bool) async throws
        -> Response
    {
        let email = (fields["email"] ?? "").trimmingCharacters(in: .whitespaces)
        let next = fields["tiep"]
        if let wait = await admitSignIn(client) {
            return signInPage(
                visitor, next: next, email: email,
                problem: "Có quá nhiều lần đăng nhập từ máy này. Hãy thử lại sau \(wait) giây.",
                status: .tooManyRequests)
        }
        do {
            // Email or phone in one box; text that is neither fails like a wrong password.
            guard let name = SignInName.parse(email) else { throw DomainError.unauthenticated("") }
            let (token, _) = try await services.accounts.login(name: name, password: fields["password"] ?? "")
            return try await startSession(token, visitor: &visitor, next: next, secure: secure)
        } catch DomainError.tooManyRequests(_, let seconds) {
            return signInPage(
                visitor, next: next, email: email,
                problem: "Đăng nhập sai quá nhiều lần. Hãy thử lại sau \(max(1, (seconds + 59) / 60)) phút.",
                status: .tooManyRequests)
        } catch DomainError.unauthenticated {
            return signInPage(
                visitor, next: next, email: email, problem: "Sai email, số điện thoại hoặc mật khẩu.",
                status: .unauthorized)
        }
    }

    /// Step one: the details, checked, and a code sent to the email. The next page is the same whether
    /// or not the email already has an account (its owner is told by email instead), so the shop
    /// tells nobody who has one.
    func register(_ visitor: ShopVisitor, _ fields: FormBody, client: String) async throws -> Response {
        let next = fields["tiep"]
        if let wait = await admitSignIn(client) {
            return registerPage(
                visitor, next: next, fields: fields,
                problem: "Có quá nhiều yêu cầu từ máy này. Hãy thử lại sau \(wait) giây.", status: .tooManyRequests)
        }
        let phone = (fields["sdt"] ?? "").filter { !$0.isWhitespace && $0 != "." }
        do {
            let account = try NewAccount.validated(
                email: (fields["email"] ?? "").trimmingCharacters(in: .whitespaces), password: fields["password"] ?? "",
                displayName: (fields["ten"] ?? "").trimmingCharacters(in: .whitespaces),
                phone: phone.isEmpty ? nil : phone, grants: [GrantSpec(role: .buyer)])
            try await services.accounts.requestRegistration(account, rules: services.passwordReset, requestID: nil)
            return confirmPage(visitor, next: next, email: account.email)
        } catch DomainError.validation(let errors) {
            return registerPage(
                visitor, next: next, fields: fields,
                problem: "Hãy kiểm tra lại: " + ShopWords.fieldNames(errors.map(\.field)) + ".",
                status: .unprocessableContent)
        }
    }

    func confirmPage(
        _ visitor: ShopVisitor, next: String?, email: String, problem: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        var values: [String: Any] = [
            "csrf": visitor.csrf, "next": Self.localPath(next), "email": email, "codeSent": true,
        ]
        // Registering again comes back to the same page afterwards (checkout, usually).
        if Self.localPath(next) != "/" { values["nextQuery"] = URLText.component(Self.localPath(next)) }
        if let problem { values["problem"] = problem }
        return render("shop-register", visitor, values, status: status)
    }

    /// Step two: the code makes the account, and this browser is signed in to it.
    func confirmRegistration(_ visitor: inout ShopVisitor, _ fields: FormBody, client: String, secure: Bool)
        async throws -> Response
    {
        let next = fields["tiep"]
        let email = (fields["email"] ?? "").trimmingCharacters(in: .whitespaces)
        if let wait = await admitSignIn(client) {
            return confirmPage(
                visitor, next: next, email: email,
                problem: "Có quá nhiều yêu cầu từ máy này. Hãy thử lại sau \(wait) giây.", status: .tooManyRequests)
        }
        do {
            let (_, session) = try await services.accounts.confirmRegistration(
                email: email, code: (fields["ma"] ?? "").trimmingCharacters(in: .whitespaces), signIn: true,
                rules: services.passwordReset, requestID: nil)
            guard let session else { return signInPage(visitor, next: next, email: email) }
            return try await startSession(session.token, visitor: &visitor, next: next, secure: secure)
        } catch DomainError.validation {
            return confirmPage(
                visitor, next: next, email: email,
                problem:
                    "Mã không đúng hoặc đã hết hạn. Mỗi mã chỉ được nhập sai 5 lần; hãy đăng ký lại để nhận mã mới.",
                status: .unprocessableContent)
        } catch DomainError.conflict(let kind, _, _, _) where kind == "email-taken" {
            return signInPage(
                visitor, next: next, email: email, problem: "Email này đã có tài khoản. Hãy đăng nhập.",
                status: .conflict)
        }
    }

    /// The session cookie; what the browser's cart held moves into the buyer's cart on the server.
    func startSession(_ token: BearerToken, visitor: inout ShopVisitor, next: String?, secure: Bool) async throws
        -> Response
    {
        if !visitor.cart.lines.isEmpty, let principal = try await services.accounts.principal(forToken: token) {
            try await services.carts.add(visitor.cart.lines, for: principal.userID)
            visitor.keep(CartCookie())
        }
        return PageResponse.redirect(
            to: Self.localPath(next),
            cookies: [
                SessionCookie.setCookie(
                    SessionCookie.name, token.text, secure: secure, maxAge: Int(services.accounts.tokenLifetime))
            ])
    }

    func signOut(_ visitor: inout ShopVisitor, secure: Bool) async throws -> Response {
        if let session = visitor.session {
            try await services.accounts.revoke(tokenDigest: session.token.digest)
        }
        return PageResponse.redirect(
            to: "/", cookies: [SessionCookie.setCookie(SessionCookie.name, nil, secure: secure)])
    }
}
