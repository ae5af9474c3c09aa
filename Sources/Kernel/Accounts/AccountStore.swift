import Foundation
import HummingbirdBcrypt
import Logging
import PostgresNIO

/// Accounts, role grants and bearer tokens: the named queries behind registration, login and the
/// admin user management.
public struct AccountStore: Sendable {
    public let db: Database
    public let passwords: Passwords
    public let throttle: LoginThrottle
    public let tokenLifetime: TimeInterval
    public let logger: Logger
    /// Verified against when an email is unknown, so both failures cost one bcrypt check.
    public let decoyHash: String
    /// Token lookups answered without the database; nil (or off) reads every one.
    public let principalCache: PrincipalCache?

    public init(
        db: Database, passwords: Passwords, throttle: LoginThrottle, tokenLifetime: TimeInterval, logger: Logger,
        principalCache: PrincipalCache? = nil
    ) {
        self.db = db
        self.passwords = passwords
        self.throttle = throttle
        self.tokenLifetime = tokenLifetime
        self.logger = logger
        self.decoyHash = Bcrypt.hash(UUID().uuidString, cost: passwords.cost)
        self.principalCache = principalCache
    }

    // MARK: Sign-up and staff accounts

    /// Creates an account with its grants in one transaction, audited as done by `actor`.
    public func create(_ account: NewAccount, actor: UUID?, requestID: String?) async throws -> UserRecord {
        let hash = try await passwords.hash(account.password)
        do {
            let id = try await db.withTransaction(logger: logger) { connection -> UUID in
                let rows = try await connection.query(
                    """
                    INSERT INTO users (email, password_hash, display_name, phone)
                    VALUES (\(account.email), \(hash), \(account.displayName), \(account.phone))
                    RETURNING id
                    """,
                    logger: logger
                )
                guard let id = try await rows.decode(UUID.self).first(where: { _ in true }) else {
                    throw DomainError.conflict(
                        kind: "email-taken", detail: "An account with this email already exists.")
                }
                for grant in account.grants {
                    try await insertGrant(grant, userID: id, actor: actor, on: connection)
                }
                try await AuditEntry(
                    actorID: actor ?? id,
                    action: "user.create",
                    entityType: "user",
                    entityID: id.uuidString.lowercased(),
                    requestID: requestID,
                    details: ["roles": account.grants.map(\.role.rawValue).joined(separator: ",")]
                ).record(on: connection, logger: logger)
                return id
            }
            return try await user(id: id)
        } catch let error as PSQLError where error.sqlState == "23505" {
            throw DomainError.conflict(kind: "email-taken", detail: "An account with this email already exists.")
        } catch let error as PSQLError where error.sqlState == "23503" {
            throw DomainError.validation([
                FieldError(field: "roles", message: "names a supplier or post office that does not exist")
            ])
        }
    }

    /// The bootstrap admin of SPEC §7: created when missing, never changed when present.
    public func ensureAdmin(email: String, password: String) async throws {
        let account = try NewAccount.validated(
            email: email,
            password: password,
            displayName: "Administrator",
            phone: nil,
            grants: [GrantSpec(role: .admin)]
        )
        let exists = try await !db.query("SELECT 1 FROM users WHERE lower(email) = \(account.email)", logger: logger)
            .isEmpty
        if exists { return }
        do {
            _ = try await create(account, actor: nil, requestID: nil)
            logger.info("bootstrap admin created", metadata: ["email": .string(account.email)])
        } catch DomainError.conflict {
            // Another process created it at the same moment.
        }
    }
}
