import Foundation
import Logging
import PostgresNIO

/// Changing a password, and resetting a forgotten one by a one-time code.
extension AccountStore {
    /// The new password a person chose, checked as at registration.
    public static func validatedNewPassword(_ password: String, field: String) throws(DomainError) {
        var v = Validator()
        v.newPassword(password, field)
        try v.done()
    }

    /// Changes the signed-in user's password after checking the current one (under the same lock-out
    /// rule as sign-in, so a borrowed session cannot guess it), and revokes every other session.
    public func changePassword(
        userID: UUID, current: String, new: String, keepingToken keep: String?, requestID: String?, now: Date = Date()
    ) async throws {
        try Self.validatedNewPassword(new, field: "new_password")
        let rows = try await db.query("SELECT email, password_hash FROM users WHERE id = \(userID)", logger: logger)
        guard let (email, hash) = try rows.decode((String, String).self).first else {
            throw DomainError.notFound("No user with this id.")
        }
        let key = SignInName.email(email.lowercased()).throttleKey
        let attempt = try await reserveAttempt(key: key, now: now)
        if case .refused(let retryAfter) = throttle.admit(attempt, now: now) {
            throw DomainError.tooManyRequests(
                detail: "Too many wrong passwords for this account; try again later.", retryAfterSeconds: retryAfter)
        }
        guard try await passwords.verify(current, hash: hash) else {
            try await recordFailure(key: key, userID: userID, attempt: attempt.number, requestID: requestID, now: now)
            throw DomainError.validation([FieldError(field: "current_password", message: "is not your password")])
        }
        let newHash = try await passwords.hash(new)
        try await db.withTransaction(logger: logger) { connection in
            try await connection.query(
                "UPDATE login_attempts SET failures = 0, updated_at = \(now) WHERE email_digest = \(key) AND locked_until IS NULL",
                logger: logger)
            try await setPassword(userID: userID, hash: newHash, keepingToken: keep, now: now, on: connection)
            try await AuditEntry(
                actorID: userID, action: "user.password_change", entityType: "user",
                entityID: userID.uuidString.lowercased(), requestID: requestID
            ).record(on: connection, logger: logger)
        }
        principalCache?.invalidate(user: userID)
    }

    /// Sends a one-time code to the account's email or phone. Answers the same (nothing) whether or
    /// not an account has that name, and whether or not this hour's codes are used up.
    public func requestPasswordReset(
        name: SignInName, rules: PasswordReset, requestID: String?, now: Date = Date()
    ) async throws {
        guard let (userID, _, isActive) = try await account(named: name), isActive else {
            try await audit(
                "password_reset.unknown", entityType: "sign_in_name", entityID: name.throttleKey, requestID: requestID)
            return
        }
        let code = PasswordReset.newCode()
        let minutes = Int(rules.lifetime / 60)
        try await db.withTransaction(logger: logger) { connection in
            // The account's row lock makes concurrent requests count one after another.
            let users = try await connection.query(
                "SELECT email, phone_national FROM users WHERE id = \(userID) FOR UPDATE", logger: logger
            ).collect().decode((String, String?).self)
            guard let (email, phone) = users.first else { return }
            let recent =
                try await connection.query(
                    """
                    SELECT count(*)::int FROM password_resets
                    WHERE user_id = \(userID) AND created_at > \(now) - interval '1 hour'
                    """,
                    logger: logger
                ).collect().decode(Int.self).first ?? 0
            guard recent < rules.maxCodesPerHour else {
                try await AuditEntry(
                    actorID: nil, action: "password_reset.throttled", entityType: "user",
                    entityID: userID.uuidString.lowercased(), requestID: requestID
                ).record(on: connection, logger: logger)
                return
            }
            // Only the newest code works: newest in the order the row lock let requests in (the
            // database's clock then, not `now`, read before the lock).
            try await connection.query(
                """
                UPDATE password_resets SET expires_at = \(now)
                WHERE user_id = \(userID) AND used_at IS NULL AND expires_at > \(now)
                """,
                logger: logger)
            let resetID = UUID()
            try await connection.query(
                """
                INSERT INTO password_resets (id, user_id, code_digest, channel, created_at, expires_at)
                VALUES (\(resetID), \(userID), \(PasswordReset.digest(code: code, userID: userID)),
                        \(name.channel.rawValue), clock_timestamp(), \(now.addingTimeInterval(rules.lifetime)))
                """,
                logger: logger)
            let (subject, body) = PasswordReset.message(code: code, minutes: minutes)
            try await OutboundMessage(
                userID: userID, channel: name.channel, recipient: name.channel == .email ? email : (phone ?? ""),
                template: "password_reset", subject: subject, body: body,
                params: ["code": code, "minutes": String(minutes)], secret: true,
                source: "reset:\(resetID.uuidString.lowercased())"
            ).enqueue(on: connection, logger: logger)
            try await AuditEntry(
                actorID: nil, action: "password_reset.request", entityType: "user",
                entityID: userID.uuidString.lowercased(), requestID: requestID,
                details: ["channel": name.channel.rawValue]
            ).record(on: connection, logger: logger)
        }
    }

    /// Sets a new password with the code: each try is counted on the code before it is compared, so
    /// at most `maxFailures` guesses are ever checked per code; the right code works once, revokes
    /// every session and lifts a sign-in lock (the person proved they hold the email or phone).
    public func confirmPasswordReset(
        name: SignInName, code: String, newPassword: String, rules: PasswordReset, requestID: String?,
        now: Date = Date()
    ) async throws {
        var v = Validator()
        v.check(Validator.isDigits(code, count: 6), "code", "must be the 6 digits you received")
        try v.done()
        try Self.validatedNewPassword(newPassword, field: "new_password")
        let wrong = DomainError.validation([FieldError(field: "code", message: "is wrong or has expired")])
        guard let (userID, _, isActive) = try await account(named: name), isActive else {
            try await audit(
                "password_reset.failed", entityType: "sign_in_name", entityID: name.throttleKey, requestID: requestID)
            throw wrong
        }
        let reserved = try await db.query(
            """
            UPDATE password_resets SET failures = failures + 1
            WHERE id = (SELECT id FROM password_resets WHERE user_id = \(userID)
                        ORDER BY created_at DESC, id LIMIT 1)
              AND used_at IS NULL AND expires_at > \(now) AND failures < \(rules.maxFailures)
            RETURNING id, code_digest
            """,
            logger: logger
        ).decode((UUID, String).self)
        var matched: UUID?
        for (id, digest) in reserved
        where Digest.constantTimeEqual(
            Array(PasswordReset.digest(code: code, userID: userID).utf8), Array(digest.utf8))
        {
            matched = id
        }
        guard let resetID = matched else {
            try await audit(
                "password_reset.failed", entityType: "user", entityID: userID.uuidString.lowercased(),
                requestID: requestID)
            throw wrong
        }
        let hash = try await passwords.hash(newPassword)
        try await db.withTransaction(logger: logger) { connection in
            let used = try await connection.query(
                "UPDATE password_resets SET used_at = \(now) WHERE id = \(resetID) AND used_at IS NULL RETURNING 1",
                logger: logger
            ).collect()
            guard !used.isEmpty else { throw wrong }
            try await setPassword(userID: userID, hash: hash, keepingToken: nil, now: now, on: connection)
            let keys = try await connection.query(
                "SELECT lower(email), phone_national FROM users WHERE id = \(userID)", logger: logger
            ).collect().decode((String, String?).self).flatMap { email, phone in
                [SignInName.email(email).throttleKey] + (phone.map { [SignInName.phone($0).throttleKey] } ?? [])
            }
            try await connection.query(
                "DELETE FROM login_attempts WHERE email_digest = ANY(\(keys))", logger: logger)
            try await AuditEntry(
                actorID: userID, action: "password_reset.done", entityType: "user",
                entityID: userID.uuidString.lowercased(), requestID: requestID
            ).record(on: connection, logger: logger)
        }
        principalCache?.invalidate(user: userID)
    }

    /// The new hash, and every session but `keep` revoked (the trigger of migration 0017 tells the
    /// other processes' caches).
    func setPassword(
        userID: UUID, hash: String, keepingToken keep: String?, now: Date, on connection: PostgresConnection
    )
        async throws
    {
        try await connection.query(
            """
            UPDATE users SET password_hash = \(hash), password_changed_at = \(now), updated_at = \(now)
            WHERE id = \(userID)
            """,
            logger: logger)
        try await connection.query(
            """
            UPDATE auth_tokens SET revoked_at = \(now)
            WHERE user_id = \(userID) AND revoked_at IS NULL AND token_hash IS DISTINCT FROM \(keep)
            """,
            logger: logger)
    }
}
