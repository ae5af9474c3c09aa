import Foundation
import Kernel

/// A signed-in person on a page (staff in the console, a buyer or producer in the shop): who, with
/// which roles, and the CSRF token of their session.
struct WebSession: Sendable {
    var principal: Principal
    var displayName: String
    var token: BearerToken

    var caller: Caller { Caller(principal: principal, requestID: nil) }
    var csrf: String { CSRF.token(forSecret: token.text) }

    /// What the page header shows.
    var header: [String: Any] {
        ["name": displayName, "roles": WebSession.roleNames(principal), "csrf": csrf]
    }

    /// The roles in the words of the glossary, in a fixed order.
    static func roleNames(_ principal: Principal) -> String {
        roleNames(principal.grants)
    }

    static func roleNames(_ grants: [RoleGrant]) -> String {
        let names: [(Role, String)] = [
            (.admin, "quản trị viên"), (.clerk, "giao dịch viên"), (.courier, "bưu tá"), (.finance, "kế toán"),
            (.producer, "người bán"), (.buyer, "người mua"),
        ]
        let held = Set(grants.map(\.role))
        return names.filter { held.contains($0.0) }.map(\.1).joined(separator: ", ")
    }
}
