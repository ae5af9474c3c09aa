import Foundation
import Logging
import PostgresNIO

/// Signing in: the lock-out rule applied to attempts counted before their password is checked.
extension AccountStore {
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
        try await login(name: .email(email.lowercased()), password: password, requestID: requestID, now: now)
    }

    /// Signs in by email or by phone. A phone held by several active accounts finds none of them
    /// (its owners sign in by email), and answers exactly like an unknown one.
    public func login(name: SignInName, password: String, requestID: String? = nil, now: Date = Date()) async throws
        -> (token: BearerToken, expiresAt: Date)
    {
        // Counted per email or phone, account or not: an unknown one locks like a real one, so no
        // answer (401, 429, or the time either takes) tells which have accounts.
        let key = name.throttleKey
        let attempt = try await reserveAttempt(key: key, now: now)
        if case .refused(let retryAfter) = throttle.admit(attempt, now: now) {
            throw DomainError.tooManyRequests(
                detail: "Too many failed sign-ins for this account; try again later.", retryAfterSeconds: retryAfter)
        }
        guard let (id, hash, isActive) = try await account(named: name) else {
            _ = try await passwords.verify(password, hash: decoyHash)
            try await recordFailure(key: key, userID: nil, attempt: attempt.number, requestID: requestID, now: now)
            throw DomainError.unauthenticated("Wrong email, phone or password.")
        }
        guard try await passwords.verify(password, hash: hash), isActive else {
            try await recordFailure(key: key, userID: id, attempt: attempt.number, requestID: requestID, now: now)
            throw DomainError.unauthenticated("Wrong email, phone or password.")
        }
        let token = BearerToken.generate()
        let expiresAt = now.addingTimeInterval(tokenLifetime)
        try await db.withTransaction(logger: logger) { connection in
            // Re-checked after the hash: a lock set by a concurrent failure meanwhile is not lifted.
            let cleared = try await connection.query(
                """
                UPDATE login_attempts SET failures = 0, updated_at = \(now)
                WHERE email_digest = \(key) AND (locked_until IS NULL OR locked_until <= \(now))
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

    /// The account a sign-in name names: by email, or by a phone exactly one active account holds.
    func account(named name: SignInName) async throws -> (id: UUID, hash: String, isActive: Bool)? {
        switch name {
        case .email(let email):
            let rows = try await db.query(
                "SELECT id, password_hash, is_active FROM users WHERE lower(email) = \(email)", logger: logger)
            return try rows.decode((UUID, String, Bool).self).first.map { ($0.0, $0.1, $0.2) }
        case .phone(let phone):
            let rows = try await db.query(
                "SELECT id, password_hash, is_active FROM users WHERE phone_national = \(phone) AND is_active LIMIT 2",
                logger: logger)
            let found = try rows.decode((UUID, String, Bool).self)
            guard found.count == 1, let only = found.first else { return nil }
            return (only.0, only.1, only.2)
        }
    }

    /// Counts this attempt as a failure until it proves otherwise, in one statement (the row lock makes
    /// concurrent attempts take numbers one after another). A lock still running is left as it is and
    /// counts nothing; an expired one is cleared.
    func reserveAttempt(key: String, now: Date) async throws -> LoginThrottle.Attempt {
        let rows = try await db.query(
            """
            INSERT INTO login_attempts AS a (email_digest, failures, updated_at) VALUES (\(key), 1, \(now))
            ON CONFLICT (email_digest) DO UPDATE SET
                failures = CASE WHEN a.locked_until > \(now) THEN a.failures ELSE a.failures + 1 END,
                locked_until = CASE WHEN a.locked_until > \(now) THEN a.locked_until END,
                updated_at = \(now)
            RETURNING failures, locked_until
            """,
            logger: logger
        )
        guard let (number, lockedUntil) = try rows.decode((Int, Date?).self).first else {
            throw DomainError.unauthenticated("Wrong email, phone or password.")
        }
        return LoginThrottle.Attempt(number: number, lockedUntil: lockedUntil)
    }

    /// A checked guess that failed: audited (an unknown email by its digest), and when it was the last
    /// one allowed, the email locks (the count starts again after the lock).
    func recordFailure(key: String, userID: UUID?, attempt: Int, requestID: String?, now: Date) async throws {
        let (entityType, entityID) = userID.map { ("user", $0.uuidString.lowercased()) } ?? ("email", key)
        try await db.withTransaction(logger: logger) { connection in
            try await AuditEntry(
                actorID: nil, action: "login.failed", entityType: entityType, entityID: entityID, requestID: requestID
            ).record(on: connection, logger: logger)
            guard let lockedUntil = throttle.lockAfterFailure(attempt: attempt, now: now) else { return }
            let locked = try await connection.query(
                """
                UPDATE login_attempts SET failures = 0, locked_until = \(lockedUntil), updated_at = \(now)
                WHERE email_digest = \(key) AND (locked_until IS NULL OR locked_until <= \(now))
                RETURNING 1
                """,
                logger: logger
            ).collect()
            if !locked.isEmpty {
                try await AuditEntry(
                    actorID: nil, action: "user.lock", entityType: entityType, entityID: entityID,
                    requestID: requestID
                ).record(on: connection, logger: logger)
            }
        }
    }

    /// Forgets counters untouched for a day whose lock (if any) has ended (`market worker`).
    public func purgeLoginAttempts(now: Date = Date()) async throws -> Int {
        let rows = try await db.query(
            """
            WITH gone AS (
                DELETE FROM login_attempts
                WHERE updated_at < \(now) - interval '1 day' AND (locked_until IS NULL OR locked_until < \(now))
                RETURNING 1
            )
            SELECT count(*)::int FROM gone
            """,
            logger: logger)
        return try rows.decode(Int.self).first ?? 0
    }

    func audit(_ action: String, entityType: String, entityID: String, requestID: String?) async throws {
        try await db.withConnection { connection in
            try await AuditEntry(
                actorID: nil, action: action, entityType: entityType, entityID: entityID, requestID: requestID
            ).record(on: connection, logger: logger)
        }
    }
}
