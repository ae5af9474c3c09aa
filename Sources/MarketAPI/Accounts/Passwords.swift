import HummingbirdBcrypt
import NIOPosix

/// bcrypt hashing, run on NIO's thread pool: a hash costs tens of milliseconds of CPU, which must
/// not stall the cooperative threads that serve other requests.
struct Passwords: Sendable {
    var cost: UInt8

    /// A valid hash of a random password: verifying against it when the email is unknown makes a
    /// failed login take as long whether or not the account exists.
    static let decoyHash = Bcrypt.hash("decoy-password-that-never-matches", cost: 4)

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
