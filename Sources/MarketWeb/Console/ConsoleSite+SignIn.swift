import Foundation
import HTTPTypes
import Hummingbird
import Kernel

/// Signing in and out of the console.
extension ConsoleSite {
    func signInForm(email: String, problem: String?, secure: Bool, status: HTTPResponse.Status) -> Response {
        let presession = BearerToken.generate().text
        var values: [String: Any] = ["email": email, "csrf": presession]
        if let problem { values["problem"] = problem }
        return render(
            "sign-in", values, status: status,
            cookies: [
                SessionCookie.setCookie(
                    SessionCookie.preSessionName, presession, path: "/console", secure: secure, maxAge: 3600)
            ])
    }

    func signIn(_ request: Request, client: String, secure: Bool) async -> Response {
        let fields: FormBody
        do {
            fields = try await Self.fields(request)
        } catch {
            return problem(error, session: nil)
        }
        let email = (fields["email"] ?? "").trimmingCharacters(in: .whitespaces)
        // Double submit: the form must carry the value of this browser's own pre-session cookie.
        guard let expected = SessionCookie.value(SessionCookie.preSessionName, in: request.headers),
            CSRF.constantTimeEqual(Array((fields[CSRF.field] ?? "").utf8), Array(expected.utf8))
        else {
            return signInForm(
                email: email, problem: "Trang đăng nhập đã hết hạn. Hãy nhập lại.", secure: secure,
                status: .forbidden)
        }
        if let wait = await admitSignIn(client) {
            return signInForm(
                email: email, problem: "Có quá nhiều lần đăng nhập từ máy này. Hãy thử lại sau \(wait) giây.",
                secure: secure, status: .tooManyRequests)
        }
        do {
            // Email or phone in one box; text that is neither fails like a wrong password.
            guard let name = SignInName.parse(email) else { throw DomainError.unauthenticated("") }
            let (token, _) = try await services.accounts.login(name: name, password: fields["password"] ?? "")
            let lifetime = Int(services.accounts.tokenLifetime)
            return PageResponse.redirect(
                to: "/console/",
                cookies: [
                    SessionCookie.setCookie(SessionCookie.name, token.text, secure: secure, maxAge: lifetime),
                    SessionCookie.setCookie(SessionCookie.preSessionName, nil, path: "/console", secure: secure),
                ])
        } catch DomainError.tooManyRequests(_, let seconds) {
            return signInForm(
                email: email,
                problem: "Đăng nhập sai quá nhiều lần. Hãy thử lại sau \(max(1, (seconds + 59) / 60)) phút.",
                secure: secure, status: .tooManyRequests)
        } catch DomainError.unauthenticated {
            return signInForm(
                email: email, problem: "Sai email, số điện thoại hoặc mật khẩu.", secure: secure, status: .unauthorized)
        } catch {
            return problem(error, session: nil)
        }
    }

    /// Revokes the session's token (on every process, as the API's logout does) and forgets the cookie.
    func signOut(_ request: Request, secure: Bool) async -> Response {
        await form(request) { session, _ in
            try await services.accounts.revoke(tokenDigest: session.token.digest)
            return PageResponse.redirect(
                to: "/console/dang-nhap", cookies: [SessionCookie.setCookie(SessionCookie.name, nil, secure: secure)])
        }
    }
}
