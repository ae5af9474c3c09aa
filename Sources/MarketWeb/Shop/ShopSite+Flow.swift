import Foundation
import HTTPTypes
import Hummingbird
import Kernel

/// Visitors, forms and errors: the same for every shop page.
extension ShopSite {
    func visitor(_ request: Request, secure: Bool) async throws -> ShopVisitor {
        var session: WebSession?
        if let token = SessionCookie.token(in: request.headers),
            let principal = try await services.accounts.principal(forToken: token)
        {
            let user = try await services.accounts.user(id: principal.userID, knownGrants: principal.grants)
            session = WebSession(principal: principal, displayName: user.displayName, token: token)
        }
        // A signed-in buyer's cart is on the server; anyone else's in the browser's cookie. A cookie cart
        // that is still there once signed in (a sign-in through the console) joins the server's.
        let cookieCart = CartCookie(value: SessionCookie.value(CartCookie.name, in: request.headers))
        var clearCookieCart = false
        let cart: CartCookie
        if let session {
            try await services.carts.add(cookieCart.lines, for: session.principal.userID)
            clearCookieCart = !cookieCart.lines.isEmpty
            cart = CartCookie(lines: try await services.carts.lines(of: session.principal.userID))
        } else {
            cart = cookieCart
        }
        var cookies: [String] = []
        if clearCookieCart { cookies.append(SessionCookie.setCookie(CartCookie.name, nil, secure: secure)) }
        if let id = SessionCookie.value(ShopVisitor.cookieName, in: request.headers), id.utf8.count == 43 {
            return ShopVisitor(session: session, visitorID: id, cart: cart, secure: secure, cookies: cookies)
        }
        let id = BearerToken.generate().text
        cookies.append(SessionCookie.setCookie(ShopVisitor.cookieName, id, secure: secure, maxAge: 365 * 86_400))
        return ShopVisitor(session: session, visitorID: id, cart: cart, secure: secure, cookies: cookies)
    }

    /// A page anyone may open; the visitor's new cookies ride on whatever it answers.
    func visit(_ request: Request, secure: Bool, _ body: (ShopVisitor) async throws -> Response) async -> Response {
        var visitor: ShopVisitor?
        do {
            let found = try await self.visitor(request, secure: secure)
            visitor = found
            return Self.withCookies(found.cookies, try await body(found))
        } catch {
            return Self.withCookies(visitor?.cookies ?? [], problem(error, visitor))
        }
    }

    /// A form post: the visitor, then the CSRF token its pages carry, then the work.
    func post(
        _ request: Request, secure: Bool, _ body: (inout ShopVisitor, FormBody) async throws -> Response
    ) async -> Response {
        await visit(request, secure: secure) { found in
            var visitor = found
            let buffer = try await request.body.collect(upTo: 64 * 1024)
            let fields = FormBody(String(buffer: buffer))
            guard CSRF.isValid(fields[CSRF.field], forSecret: visitor.session?.token.text ?? visitor.visitorID)
            else {
                return message(
                    visitor, heading: "Trang đã cũ",
                    text: "Trang này đã mở quá lâu hoặc bạn vừa đăng nhập, đăng xuất. Hãy mở lại trang và làm lại.",
                    status: .forbidden)
            }
            visitor.cookies = []
            let response = try await body(&visitor, fields)
            return Self.withCookies(visitor.cookies, response)
        }
    }

    static func withCookies(_ cookies: [String], _ response: Response) -> Response {
        var response = response
        for cookie in cookies { response.headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return response
    }

    /// A signed-in buyer, or the sign-in page that comes back here afterwards.
    func requireBuyer(_ visitor: ShopVisitor, next: String) throws -> WebSession {
        guard let session = visitor.session else {
            throw ShopRedirect(location: "/dang-nhap?tiep=" + URLText.component(next))
        }
        return session
    }

    /// Only an address on this site (a path, not `//elsewhere`) may be where a sign-in goes next.
    static func localPath(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
            !next.unicodeScalars.contains(where: { $0.value < 0x20 })
        else { return "/" }
        return next
    }

    // MARK: Rendering

    func render(
        _ template: String, _ visitor: ShopVisitor?, _ values: [String: Any], status: HTTPResponse.Status = .ok
    ) -> Response {
        var values = values
        if let visitor { values["header"] = visitor.header }
        guard let html = templates.library.render(values, withTemplate: template) else {
            logger.error("shop template missing", metadata: ["template": "\(template)"])
            return PageResponse.html("Lỗi hệ thống.", status: .internalServerError)
        }
        return PageResponse.html(html, status: status)
    }

    func message(_ visitor: ShopVisitor?, heading: String, text: String, status: HTTPResponse.Status) -> Response {
        render("shop-message", visitor, ["heading": heading, "text": text], status: status)
    }

    /// A domain error as a page a buyer understands.
    func problem(_ error: any Error, _ visitor: ShopVisitor?) -> Response {
        switch error {
        case let redirect as ShopRedirect:
            return PageResponse.redirect(to: redirect.location)
        case DomainError.unauthenticated:
            return PageResponse.redirect(to: "/dang-nhap")
        case DomainError.notFound:
            return message(
                visitor, heading: "Không tìm thấy", text: "Trang này không có hoặc đã ngừng bán.", status: .notFound)
        case DomainError.forbidden:
            return message(
                visitor, heading: "Không được phép", text: "Tài khoản của bạn không làm được việc này.",
                status: .forbidden)
        case DomainError.validation(let fields):
            return message(
                visitor, heading: "Thông tin chưa đúng",
                text: "Hãy kiểm tra lại: " + ShopWords.fieldNames(fields.map(\.field)) + ".",
                status: .unprocessableContent)
        case DomainError.conflict(let kind, _, _, _) where kind == "insufficient-stock":
            return message(
                visitor, heading: "Không đủ hàng",
                text: "Một số sản phẩm trong giỏ không còn đủ số lượng. Hãy giảm số lượng trong giỏ hàng rồi đặt lại.",
                status: .conflict)
        case DomainError.conflict:
            return message(
                visitor, heading: "Không thực hiện được",
                text: "Đơn hàng hoặc sản phẩm này vừa thay đổi trạng thái. Hãy mở lại trang.", status: .conflict)
        case DomainError.unprocessable, DomainError.badRequest:
            return message(
                visitor, heading: "Không thực hiện được",
                text: "Yêu cầu này không hợp lệ. Hãy mở lại trang và làm lại.",
                status: .unprocessableContent)
        case DomainError.tooManyRequests(_, let seconds):
            return message(
                visitor, heading: "Quá nhiều yêu cầu", text: "Hãy thử lại sau \(max(1, (seconds + 59) / 60)) phút.",
                status: .tooManyRequests)
        default:
            logger.error("shop page failed", metadata: ["error": "\(String(reflecting: error))"])
            return message(
                visitor, heading: "Lỗi hệ thống", text: "Đã có lỗi. Hãy thử lại sau ít phút.",
                status: .internalServerError)
        }
    }
}

/// Thrown by a page that sends the browser elsewhere (to sign in first).
struct ShopRedirect: Error {
    var location: String
}
