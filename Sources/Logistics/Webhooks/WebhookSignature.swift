import Crypto
import Foundation
import Kernel

/// Standard Webhooks signing (https://www.standardwebhooks.com): `webhook-signature` is
/// `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`, keyed with the bytes of the
/// secret after its `whsec_` prefix; several signatures (during a secret rotation) are space-separated.
public enum WebhookSignature {
    public static let prefix = "whsec_"

    /// A new secret: 32 random bytes.
    public static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return prefix + Data(bytes).base64EncodedString()
    }

    /// The key bytes of a secret, nil for one this service did not make.
    public static func key(of secret: String) -> SymmetricKey? {
        guard secret.hasPrefix(prefix), let data = Data(base64Encoded: String(secret.dropFirst(prefix.count))),
            !data.isEmpty
        else { return nil }
        return SymmetricKey(data: data)
    }

    /// One `v1,…` signature.
    public static func sign(id: String, timestamp: Int, body: String, secret: String) -> String? {
        guard let key = key(of: secret) else { return nil }
        var message = Data("\(id).\(timestamp).".utf8)
        message.append(Data(body.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: key)
        return "v1," + Data(mac).base64EncodedString()
    }

    /// The three headers of one attempt, signed with every secret given (the current one first).
    public static func headers(id: String, timestamp: Int, body: String, secrets: [String]) -> [(String, String)] {
        let signatures = secrets.compactMap { sign(id: id, timestamp: timestamp, body: body, secret: $0) }
        return [
            ("webhook-id", id), ("webhook-timestamp", String(timestamp)),
            ("webhook-signature", signatures.joined(separator: " ")),
        ]
    }

    /// What a receiver checks: one of the signatures matches, and the timestamp is within `tolerance`
    /// of `now` (a replayed old request is refused).
    public static func verify(
        id: String, timestamp: String, body: String, signatures: String, secret: String, now: Date = Date(),
        tolerance: TimeInterval = 300
    ) -> Bool {
        guard let seconds = Int(timestamp), abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance,
            let expected = sign(id: id, timestamp: seconds, body: body, secret: secret)
        else { return false }
        return signatures.split(separator: " ").contains { candidate in
            Digest.constantTimeEqual(Array(candidate.utf8), Array(expected.utf8))
        }
    }
}
