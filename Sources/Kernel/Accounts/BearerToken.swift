import Foundation

/// A bearer token: 32 random bytes shown to the client once as base64url. Only its SHA-256 digest is
/// stored, so a copy of the database cannot be used to sign in.
public struct BearerToken: Sendable {
    public let text: String

    public static func generate() -> BearerToken {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let text = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return BearerToken(checked: text)
    }

    private init(checked text: String) { self.text = text }

    /// Accepts only what `generate` produces (43 base64url characters), so junk never reaches the database.
    public init?<S: StringProtocol>(_ text: S) {
        guard text.utf8.count == 43,
            text.utf8.allSatisfy({
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D
                    || $0 == 0x5F
            })
        else { return nil }
        self.text = String(text)
    }

    /// Lower-case hex SHA-256 of the token text: the stored key.
    public var digest: String { Digest.sha256Hex(text) }
}
