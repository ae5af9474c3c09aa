import Crypto
import Foundation

/// `@inlinable`: called on every request (token digests) and order (request hashes) from other modules,
/// where an opaque generic `hex` ran unspecialized, byte by byte through witness tables.
public enum Digest {
    @inlinable
    public static func sha256Hex(_ text: String) -> String {
        hex(SHA256.hash(data: Data(text.utf8)))
    }

    /// Lower-case hex, two digits a byte. Written out because `String(format:)` per byte went through
    /// `vfprintf` 32 times per digest, which showed in the order path's profile.
    @inlinable
    public static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether two byte strings are equal, in a time that depends on their lengths only: comparing a
    /// guessed secret must not tell how many of its first bytes were right.
    public static func constantTimeEqual(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
