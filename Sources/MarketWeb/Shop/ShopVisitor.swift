import Foundation
import Kernel

/// Whoever opened a shop page: signed in or not, with the cart of this browser. A visitor without a
/// session still has a random id in a cookie (`cbd_visitor`) that its forms' CSRF tokens derive
/// from, so an anonymous cart or sign-in form cannot be posted from another site either.
struct ShopVisitor: Sendable {
    static let cookieName = "cbd_visitor"

    var session: WebSession?
    var visitorID: String
    var cart: CartCookie
    var secure: Bool
    /// Cookies this response must set (a new visitor id, a changed cart).
    var cookies: [String] = []

    var caller: Caller { Caller(principal: session?.principal, requestID: nil) }
    var csrf: String { CSRF.token(forSecret: session?.token.text ?? visitorID) }

    /// What the layout's header shows.
    var header: [String: Any] {
        var header: [String: Any] = ["csrf": csrf, "cartCount": cart.itemCount, "hasCart": !cart.lines.isEmpty]
        if let session {
            header["user"] = ["name": session.displayName, "seller": session.principal.has(.producer)]
        }
        return header
    }

    /// The cart after a change, with the cookie that keeps it (30 days).
    mutating func keep(_ cart: CartCookie) {
        self.cart = cart
        cookies.append(
            SessionCookie.setCookie(
                CartCookie.name, cart.lines.isEmpty ? nil : cart.value, secure: secure, maxAge: 30 * 86_400))
    }
}
