import Crypto
import Foundation
import Kernel

/// The token every form carries. Derived from the session's own secret (the bearer token in the
/// HttpOnly cookie), so it is the same on every API process, needs no storage, is useless with any
/// other session, and cannot be computed by a page that cannot read the cookie. Compared in constant
/// time. Before sign-in the form echoes the pre-session cookie instead (double submit).
public enum CSRF {
    public static let field = "csrf"

    public static func token(forSecret secret: String) -> String {
        let digest = SHA256.hash(data: Data("cbd-csrf-v1:\(secret)".utf8))
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    public static func isValid(_ sent: String?, forSecret secret: String) -> Bool {
        guard let sent else { return false }
        return constantTimeEqual(Array(sent.utf8), Array(token(forSecret: secret).utf8))
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        Digest.constantTimeEqual(a, b)
    }
}
