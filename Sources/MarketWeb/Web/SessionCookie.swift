import Foundation
import HTTPTypes
import Kernel

/// The browser's session: the same bearer token the API issues, kept in an HttpOnly, SameSite=Strict
/// cookie (Secure when the request came over TLS), so a page acts with exactly the user's roles and
/// signing out revokes the token everywhere.
public enum SessionCookie {
    public static let name = "cbd_session"
    /// Before sign-in: a random value the sign-in form must echo (double-submit), so another site
    /// cannot post a sign-in in the user's browser.
    public static let preSessionName = "cbd_presession"

    /// The value of cookie `name` in a `Cookie:` header, if any.
    public static func value(_ name: String, in headers: HTTPFields) -> String? {
        for header in headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, parts[0] == name { return parts[1] }
            }
        }
        return nil
    }

    public static func token(in headers: HTTPFields) -> BearerToken? {
        value(name, in: headers).flatMap { BearerToken(Substring($0)) }
    }

    /// `Set-Cookie` for a value under `path`; nil value clears it.
    public static func setCookie(
        _ name: String, _ value: String?, path: String = "/", secure: Bool, maxAge: Int? = nil
    ) -> String {
        var parts = ["\(name)=\(value ?? "")", "Path=\(path)", "HttpOnly", "SameSite=Strict"]
        if value == nil {
            parts.append("Max-Age=0")
        } else if let maxAge {
            parts.append("Max-Age=\(maxAge)")
        }
        if secure { parts.append("Secure") }
        return parts.joined(separator: "; ")
    }
}
