import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix

/// bcrypt hashing, run on NIO's thread pool: a hash costs tens of milliseconds of CPU, which must
/// not stall the cooperative threads that serve other requests.
///
/// bcrypt reads only the first 72 bytes of its input, and passwords may be up to 128 characters (up
/// to 512 bytes of UTF-8), so two long passwords sharing their first 72 bytes would both open the
/// account. Hashes are therefore taken over the password's SHA-256 (44 characters of base64) and
/// marked with `prehashed`; hashes written before that (plain bcrypt) still verify as they were.
public struct Passwords: Sendable {
    public var cost: UInt8

    public init(cost: UInt8) {
        self.cost = cost
    }

    public static let prehashed = "sha256+"

    /// A valid hash of a random password: verifying against it when the email is unknown makes a
    /// failed login take as long whether or not the account exists.
    public static let decoyHash = prehashed + Bcrypt.hash(digest("decoy-password-that-never-matches"), cost: 4)

    public static func digest(_ password: String) -> String {
        Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive {
            Self.prehashed + Bcrypt.hash(Self.digest(password), cost: cost)
        }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive {
            if hash.hasPrefix(Self.prehashed) {
                return Bcrypt.verify(Self.digest(password), hash: String(hash.dropFirst(Self.prehashed.count)))
            }
            return Bcrypt.verify(password, hash: hash)
        }
    }
}
