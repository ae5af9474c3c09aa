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

    // MARK: Sessions

    /// Checks the password under the lock-out rule and issues a token.
    ///
    /// The attempt is counted before the password is checked (`reserveAttempt`), in one statement, so
    /// that concurrent guesses cannot all pass a lock that none of them has set yet: at most
    /// `maxFailures` guesses are ever checked per lock window. A success clears the count only when no
    /// lock was set meanwhile; a lock set by a concurrent failure holds even against the right password.
    /// Every failure is audited.
    public func login(email: String, password: String, requestID: String? = nil, now: Date = Date()) async throws -> (
        token: BearerToken, expiresAt: Date
    ) {
        let normalized = email.lowercased()
        let rows = try await db.query(
            "SELECT id, password_hash, is_active FROM users WHERE lower(email) = \(normalized)",
            logger: logger
        )
        guard let (id, hash, isActive) = try rows.decode((UUID, String, Bool).self).first else {
            _ = try await passwords.verify(password, hash: decoyHash)
            try await audit(
                "login.failed", entityType: "email", entityID: Digest.sha256Hex(normalized), requestID: requestID)
            throw DomainError.unauthenticated("Wrong email or password.")
        }
        let attempt = try await reserveAttempt(userID: id, now: now)
        if case .refused(let retryAfter) = throttle.admit(attempt, now: now) {
            throw DomainError.tooManyRequests(
                detail: "Too many failed sign-ins for this account; try again later.", retryAfterSeconds: retryAfter)
        }
        guard try await passwords.verify(password, hash: hash), isActive else {
            try await recordFailure(userID: id, attempt: attempt.number, requestID: requestID, now: now)
            throw DomainError.unauthenticated("Wrong email or password.")
        }
        let token = BearerToken.generate()
        let expiresAt = now.addingTimeInterval(tokenLifetime)
        try await db.withTransaction(logger: logger) { connection in
            // Re-checked after the hash: a lock set by a concurrent failure meanwhile is not lifted.
            let cleared = try await connection.query(
                """
                UPDATE users SET failed_logins = 0
                WHERE id = \(id) AND (locked_until IS NULL OR locked_until <= \(now))
                RETURNING locked_until
                """,
                logger: logger
            ).collect()
            guard !cleared.isEmpty else {
                throw DomainError.tooManyRequests(
                    detail: "Too many failed sign-ins for this account; try again later.",
                    retryAfterSeconds: Int(throttle.lockDuration))
            }
            try await connection.query(
                """
                INSERT INTO auth_tokens (token_hash, user_id, created_at, expires_at)
                VALUES (\(token.digest), \(id), \(now), \(expiresAt))
                """,
                logger: logger
            )
        }
        return (token, expiresAt)
    }

    /// Counts this attempt as a failure until it proves otherwise, in one statement (the row lock makes
    /// concurrent attempts take numbers one after another). A lock still running is left as it is and
    /// counts nothing; an expired one is cleared.
    private func reserveAttempt(userID: UUID, now: Date) async throws -> LoginThrottle.Attempt {
        let rows = try await db.query(
            """
            UPDATE users SET
                failed_logins = CASE WHEN locked_until > \(now) THEN failed_logins ELSE failed_logins + 1 END,
                locked_until = CASE WHEN locked_until > \(now) THEN locked_until END
            WHERE id = \(userID)
            RETURNING failed_logins, locked_until
            """,
            logger: logger
        )
        guard let (number, lockedUntil) = try rows.decode((Int, Date?).self).first else {
            throw DomainError.unauthenticated("Wrong email or password.")
        }
        return LoginThrottle.Attempt(number: number, lockedUntil: lockedUntil)
    }

    /// A checked guess that failed: audited, and when it was the last one allowed, the account locks
    /// (the count starts again after the lock).
    private func recordFailure(userID: UUID, attempt: Int, requestID: String?, now: Date) async throws {
        try await db.withTransaction(logger: logger) { connection in
            try await AuditEntry(
                actorID: nil, action: "login.failed", entityType: "user", entityID: userID.uuidString.lowercased(),
                requestID: requestID
            ).record(on: connection, logger: logger)
            guard let lockedUntil = throttle.lockAfterFailure(attempt: attempt, now: now) else { return }
            let locked = try await connection.query(
                """
                UPDATE users SET failed_logins = 0, locked_until = \(lockedUntil)
                WHERE id = \(userID) AND (locked_until IS NULL OR locked_until <= \(now))
                RETURNING id
                """,
                logger: logger
            ).collect()
            if !locked.isEmpty {
                try await AuditEntry(
                    actorID: nil, action: "user.lock", entityType: "user", entityID: userID.uuidString.lowercased(),
                    requestID: requestID
                ).record(on: connection, logger: logger)
            }
        }
    }

    private func audit(_ action: String, entityType: String, entityID: String, requestID: String?) async throws {
        try await db.withConnection { connection in
            try await AuditEntry(
                actorID: nil, action: action, entityType: entityType, entityID: entityID, requestID: requestID
            ).record(on: connection, logger: logger)
        }
    }

    /// The principal behind a live token, or nil for an unknown, expired or revoked one. Every
    /// signed-in request asks this: from the process's cache when it holds the token, else with a
    /// statement prepared once per connection.
    public func principal(forToken token: BearerToken, now: Date = Date()) async throws -> Principal? {
        let digest = token.digest
        var ticket: PrincipalCache.Ticket?
        if let cache = principalCache {
            let (cached, fresh) = cache.lookup(digest, now: now)
            if let cached { return cached }
            ticket = fresh
        }
        let rows = try await db.withConnection { connection in
            try await connection.rows(TokenPrincipal(digest: digest, now: now), logger: logger)
        }
        var userID: UUID?
        var expiresAt: Date?
        var grants: [RoleGrant] = []
        for (uid, expires, gid, role, supplierID, postOfficeID, grantedAt) in rows {
            userID = uid
            expiresAt = expires
            if let gid, let role = role.flatMap(Role.init(rawValue:)), let grantedAt {
                grants.append(
                    RoleGrant(
                        id: gid, role: role, supplierID: supplierID, postOfficeID: postOfficeID, grantedAt: grantedAt))
            }
        }
        guard let userID, let expiresAt else { return nil }
        let principal = Principal(userID: userID, grants: grants)
        if let ticket { principalCache?.store(digest, principal: principal, expiresAt: expiresAt, ticket: ticket) }
        return principal
    }

    public struct TokenPrincipal: PostgresPreparedStatement {
        public static let sql = """
            SELECT u.id, t.expires_at, g.id, g.role, g.supplier_id, g.post_office_id, g.granted_at
            FROM auth_tokens t
            JOIN users u ON u.id = t.user_id AND u.is_active
            LEFT JOIN role_grants g ON g.user_id = u.id
            WHERE t.token_hash = $1::text AND t.revoked_at IS NULL AND t.expires_at > $2::timestamptz
            ORDER BY g.granted_at, g.id
            """
        public typealias Row = (UUID, Date, UUID?, String?, UUID?, UUID?, Date?)
        var digest: String
        var now: Date

        public func makeBindings() throws -> PostgresBindings {
            var binds = PostgresBindings()
            binds.append(digest)
            binds.append(now)
            return binds
        }

        public func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    public func revoke(tokenDigest: String, now: Date = Date()) async throws {
        try await db.query(
            "UPDATE auth_tokens SET revoked_at = \(now) WHERE token_hash = \(tokenDigest) AND revoked_at IS NULL",
            logger: logger
        )
        // Other processes hear of it from the trigger of migration 0017.
        principalCache?.invalidate(digest: tokenDigest)
    }

    // MARK: Reading users

    /// `knownGrants` spares a query when the caller already holds them (the signed-in principal's).
    public func user(id: UUID, knownGrants: [RoleGrant]? = nil) async throws -> UserRecord {
        let rows = try await db.query(
            "SELECT id, email, display_name, phone, is_active, created_at FROM users WHERE id = \(id)",
            logger: logger
        )
        guard
            let (id, email, name, phone, active, createdAt) = try rows.decode(
                (UUID, String, String, String?, Bool, Date).self
            ).first
        else {
            throw DomainError.notFound("No user with this id.")
        }
        let grants: [RoleGrant]
        if let knownGrants {
            grants = knownGrants
        } else {
            grants = try await self.grants(of: [id])[id] ?? []
        }
        return UserRecord(
            id: id, email: email, displayName: name, phone: phone, isActive: active, createdAt: createdAt,
            grants: grants)
    }

    /// Users newest first, optionally only those holding `role`.
    public func users(limit: Int, after cursor: PageCursor?, role: Role?) async throws -> (
        users: [UserRecord], next: PageCursor?
    ) {
        // The key is PostgreSQL's own text form of created_at, so no precision is lost between pages.
        let afterTime: String? = cursor?.key
        let afterID: UUID? = try cursor.map { cursor throws(DomainError) in
            guard let id = UUID(uuidString: cursor.id), Self.isTimestamp(cursor.key) else {
                throw .invalid("cursor", "is not a cursor this service issued")
            }
            return id
        }
        let rows = try await db.query(
            """
            SELECT u.id, u.email, u.display_name, u.phone, u.is_active, u.created_at,
                   u.created_at::text
            FROM users u
            WHERE (\(afterTime)::text IS NULL OR (u.created_at, u.id) < (\(afterTime)::timestamptz, \(afterID)))
              AND (\(role?.rawValue)::text IS NULL
                   OR EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.role = \(role?.rawValue)))
            ORDER BY u.created_at DESC, u.id DESC
            LIMIT \(limit + 1)
            """,
            logger: logger
        )
        var fetched: [(user: UserRecord, key: String)] = []
        for (id, email, name, phone, active, createdAt, micros) in try rows.decode(
            (UUID, String, String, String?, Bool, Date, String).self
        ) {
            let user = UserRecord(
                id: id, email: email, displayName: name, phone: phone, isActive: active, createdAt: createdAt,
                grants: [])
            fetched.append((user, micros))
        }
        let page = PageCursor.page(fetched, limit: limit) { PageCursor(key: $0.key, id: $0.user.id.uuidString) }
        var users = page.items.map(\.user)
        let next = page.next
        let grants = try await self.grants(of: users.map(\.id))
        for index in users.indices { users[index].grants = grants[users[index].id] ?? [] }
        return (users, next)
    }

    /// Cursor keys are checked before they reach SQL, so a forged one is a 422, not a database error.
    public static func isTimestamp(_ text: String) -> Bool {
        text.utf8.count <= 40 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || " -:.+".utf8.contains($0) }
    }

    private func grants(of userIDs: [UUID]) async throws -> [UUID: [RoleGrant]] {
        guard !userIDs.isEmpty else { return [:] }
        let rows = try await db.query(
            """
            SELECT user_id, id, role, supplier_id, post_office_id, granted_at
            FROM role_grants WHERE user_id = ANY(\(userIDs)) ORDER BY granted_at, id
            """,
            logger: logger
        )
        var result: [UUID: [RoleGrant]] = [:]
        for (userID, id, role, supplierID, postOfficeID, grantedAt) in try rows.decode(
            (UUID, UUID, String, UUID?, UUID?, Date).self
        ) {
            guard let role = Role(rawValue: role) else { continue }
            result[userID, default: []].append(
                RoleGrant(id: id, role: role, supplierID: supplierID, postOfficeID: postOfficeID, grantedAt: grantedAt)
            )
        }
        return result
    }

    // MARK: Role grants

    public func grant(_ spec: GrantSpec, to userID: UUID, actor: UUID, requestID: String?) async throws -> RoleGrant {
        let errors = spec.scopeErrors()
        if !errors.isEmpty { throw DomainError.validation(errors) }
        do {
            let grant = try await db.withTransaction(logger: logger) { connection in
                let exists =
                    try await connection.query("SELECT 1 FROM users WHERE id = \(userID) FOR UPDATE", logger: logger)
                    .decode(Int.self).first(where: { _ in true }) != nil
                guard exists else { throw DomainError.notFound("No user with this id.") }
                let grant = try await insertGrant(spec, userID: userID, actor: actor, on: connection)
                try await AuditEntry(
                    actorID: actor,
                    action: "role.grant",
                    entityType: "user",
                    entityID: userID.uuidString.lowercased(),
                    requestID: requestID,
                    details: grantDetails(grant)
                ).record(on: connection, logger: logger)
                return grant
            }
            principalCache?.invalidate(user: userID)
            return grant
        } catch let error as PSQLError where error.sqlState == "23505" {
            throw DomainError.conflict(
                kind: "grant-exists", detail: "The user already holds this role with this scope.")
        } catch let error as PSQLError where error.sqlState == "23503" {
            let field = spec.supplierID != nil ? "supplier_id" : "post_office_id"
            throw DomainError.validation([FieldError(field: field, message: "does not exist")])
        } catch let error as PSQLError where error.sqlState == "MK002" {
            throw DomainError.separationOfDuties
        }
    }

    public func revokeGrant(_ grantID: UUID, of userID: UUID, actor: UUID, requestID: String?) async throws {
        try await db.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                DELETE FROM role_grants WHERE id = \(grantID) AND user_id = \(userID)
                RETURNING id, role, supplier_id, post_office_id, granted_at
                """,
                logger: logger
            )
            guard
                let (id, role, supplierID, postOfficeID, grantedAt) = try await rows.decode(
                    (UUID, String, UUID?, UUID?, Date).self
                ).first(where: { _ in true }), let role = Role(rawValue: role)
            else {
                throw DomainError.notFound("This user has no such role grant.")
            }
            let grant = RoleGrant(
                id: id, role: role, supplierID: supplierID, postOfficeID: postOfficeID, grantedAt: grantedAt)
            try await AuditEntry(
                actorID: actor,
                action: "role.revoke",
                entityType: "user",
                entityID: userID.uuidString.lowercased(),
                requestID: requestID,
                details: grantDetails(grant)
            ).record(on: connection, logger: logger)
        }
        principalCache?.invalidate(user: userID)
    }

    @discardableResult
    private func insertGrant(_ spec: GrantSpec, userID: UUID, actor: UUID?, on connection: PostgresConnection)
        async throws -> RoleGrant
    {
        let rows = try await connection.query(
            """
            INSERT INTO role_grants (user_id, role, supplier_id, post_office_id, granted_by)
            VALUES (\(userID), \(spec.role.rawValue), \(spec.supplierID), \(spec.postOfficeID), \(actor))
            RETURNING id, granted_at
            """,
            logger: logger
        )
        guard let (id, grantedAt) = try await rows.decode((UUID, Date).self).first(where: { _ in true }) else {
            throw DomainError.conflict(kind: "grant-exists", detail: "The grant could not be recorded.")
        }
        return RoleGrant(
            id: id, role: spec.role, supplierID: spec.supplierID, postOfficeID: spec.postOfficeID, grantedAt: grantedAt)
    }

    private func grantDetails(_ grant: RoleGrant) -> [String: String] {
        var details = ["role": grant.role.rawValue, "grant_id": grant.id.uuidString.lowercased()]
        if let supplierID = grant.supplierID { details["supplier_id"] = supplierID.uuidString.lowercased() }
        if let postOfficeID = grant.postOfficeID { details["post_office_id"] = postOfficeID.uuidString.lowercased() }
        return details
    }
}
