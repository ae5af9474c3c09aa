import Foundation
import Logging
import PostgresNIO

/// Signing up in two steps: the details and a code sent to the email, then the code. The account is
/// created only at the second step, so the first answers the same for every address.
extension AccountStore {
    /// Step one. Answers nothing, whether the address is new (a code is sent, and the details wait
    /// with the password's hash), taken (its owner is sent a notice instead), or has had its codes
    /// for this hour. The password is hashed in every case, so the time taken tells nothing either.
    public func requestRegistration(
        _ account: NewAccount, rules: PasswordReset, requestID: String?, now: Date = Date()
    ) async throws {
        let hash = try await passwords.hash(account.password)
        let code = PasswordReset.newCode()
        let minutes = Int(rules.lifetime / 60)
        try await db.withTransaction(logger: logger) { connection in
            // Requests for one address are counted one after another.
            try await connection.query(
                "SELECT pg_advisory_xact_lock(hashtextextended(\("register:" + account.email), 0))", logger: logger)
            let owner = try await connection.query(
                "SELECT id FROM users WHERE lower(email) = \(account.email)", logger: logger
            ).collect().decode(UUID.self).first
            if let owner {
                try await noticeTaken(
                    account.email, owner: owner, rules: rules, requestID: requestID, now: now, on: connection)
                return
            }
            let recent =
                try await connection.query(
                    """
                    SELECT count(*)::int FROM registration_requests
                    WHERE email = \(account.email) AND created_at > \(now) - interval '1 hour'
                    """,
                    logger: logger
                ).collect().decode(Int.self).first ?? 0
            guard recent < rules.maxCodesPerHour else {
                try await AuditEntry(
                    actorID: nil, action: "registration.throttled", entityType: "sign_in_name",
                    entityID: SignInName.email(account.email).throttleKey, requestID: requestID
                ).record(on: connection, logger: logger)
                return
            }
            // Only the newest code works. Newest in the order the lock let requests in: their clocks
            // were read before the password was hashed, so `now` may not follow that order.
            try await connection.query(
                """
                UPDATE registration_requests SET expires_at = \(now)
                WHERE email = \(account.email) AND used_at IS NULL AND expires_at > \(now)
                """,
                logger: logger)
            let id = UUID()
            try await connection.query(
                """
                INSERT INTO registration_requests
                    (id, email, display_name, phone, password_hash, code_digest, created_at, expires_at)
                VALUES (\(id), \(account.email), \(account.displayName), \(account.phone), \(hash),
                        \(Registration.digest(code: code, requestID: id)), clock_timestamp(),
                        \(now.addingTimeInterval(rules.lifetime)))
                """,
                logger: logger)
            let (subject, body) = Registration.codeMessage(code: code, minutes: minutes)
            try await OutboundMessage(
                userID: nil, channel: .email, recipient: account.email, template: "registration_code",
                subject: subject, body: body, params: ["code": code, "minutes": String(minutes)], secret: true,
                source: "register:\(id.uuidString.lowercased())"
            ).enqueue(on: connection, logger: logger)
            try await AuditEntry(
                actorID: nil, action: "registration.request", entityType: "sign_in_name",
                entityID: SignInName.email(account.email).throttleKey, requestID: requestID
            ).record(on: connection, logger: logger)
        }
    }

    /// The owner of a taken address hears of the attempt, at most `maxCodesPerHour` times an hour.
    private func noticeTaken(
        _ email: String, owner: UUID, rules: PasswordReset, requestID: String?, now: Date,
        on connection: PostgresConnection
    ) async throws {
        let recent =
            try await connection.query(
                """
                SELECT count(*)::int FROM outbound_messages
                WHERE template = 'registration_taken' AND recipient = \(email)
                  AND created_at > \(now) - interval '1 hour'
                """,
                logger: logger
            ).collect().decode(Int.self).first ?? 0
        if recent < rules.maxCodesPerHour {
            let (subject, body) = Registration.takenMessage()
            try await OutboundMessage(
                userID: owner, channel: .email, recipient: email, template: "registration_taken", subject: subject,
                body: body, source: "register-taken:\(UUID().uuidString.lowercased())"
            ).enqueue(on: connection, logger: logger)
        }
        try await AuditEntry(
            actorID: nil, action: "registration.taken", entityType: "user", entityID: owner.uuidString.lowercased(),
            requestID: requestID
        ).record(on: connection, logger: logger)
    }

    /// Forgets sign-ups older than a day, confirmed or not (`market worker`): their codes have expired
    /// and the hourly count no longer reads them; the accounts they made are in `users` and the audit.
    public func purgeRegistrationRequests(now: Date = Date()) async throws -> Int {
        let rows = try await db.query(
            """
            WITH gone AS (
                DELETE FROM registration_requests WHERE created_at < \(now) - interval '1 day' RETURNING 1
            )
            SELECT count(*)::int FROM gone
            """,
            logger: logger)
        return try rows.decode(Int.self).first ?? 0
    }

    /// Step two: with the right code the account exists (a buyer), and with `signIn` a session is
    /// opened for it (the shop's page; the API signs in as usual). Each try is counted on the newest
    /// request before the code is compared, so at most `maxFailures` guesses are ever checked per
    /// code; a wrong code, an unknown address and a taken one answer alike.
    public func confirmRegistration(
        email: String, code: String, signIn: Bool, rules: PasswordReset, requestID: String?, now: Date = Date()
    ) async throws -> (user: UserRecord, session: (token: BearerToken, expiresAt: Date)?) {
        var v = Validator()
        v.email(email, "email")
        v.check(Validator.isDigits(code, count: 6), "code", "must be the 6 digits you received")
        try v.done()
        let email = email.lowercased()
        let wrong = DomainError.validation([FieldError(field: "code", message: "is wrong or has expired")])
        let reserved = try await db.query(
            """
            UPDATE registration_requests SET failures = failures + 1
            WHERE id = (SELECT id FROM registration_requests WHERE email = \(email)
                        ORDER BY created_at DESC, id LIMIT 1)
              AND used_at IS NULL AND expires_at > \(now) AND failures < \(rules.maxFailures)
            RETURNING id, code_digest
            """,
            logger: logger
        ).decode((UUID, String).self)
        let matched = reserved.first { id, digest in
            Digest.constantTimeEqual(Array(Registration.digest(code: code, requestID: id).utf8), Array(digest.utf8))
        }?.0
        guard let requestRow = matched else {
            try await audit(
                "registration.failed", entityType: "sign_in_name", entityID: SignInName.email(email).throttleKey,
                requestID: requestID)
            throw wrong
        }
        let token = BearerToken.generate()
        let expiresAt = now.addingTimeInterval(tokenLifetime)
        let userID: UUID
        do {
            userID = try await db.withTransaction(logger: logger) { connection -> UUID in
                let used = try await connection.query(
                    """
                    UPDATE registration_requests SET used_at = \(now)
                    WHERE id = \(requestRow) AND used_at IS NULL
                    RETURNING display_name, phone, password_hash
                    """,
                    logger: logger
                ).collect().decode((String, String?, String).self)
                guard let (name, phone, hash) = used.first else { throw wrong }
                guard
                    let id = try await connection.query(
                        """
                        INSERT INTO users (email, password_hash, display_name, phone)
                        VALUES (\(email), \(hash), \(name), \(phone)) RETURNING id
                        """,
                        logger: logger
                    ).collect().decode(UUID.self).first
                else { throw wrong }
                _ = try await insertGrant(GrantSpec(role: .buyer), userID: id, actor: nil, on: connection)
                try await connection.query(
                    "UPDATE registration_requests SET user_id = \(id) WHERE id = \(requestRow)", logger: logger)
                try await AuditEntry(
                    actorID: id, action: "user.create", entityType: "user", entityID: id.uuidString.lowercased(),
                    requestID: requestID, details: ["roles": Role.buyer.rawValue, "verified": "email"]
                ).record(on: connection, logger: logger)
                if signIn {
                    try await connection.query(
                        """
                        INSERT INTO auth_tokens (token_hash, user_id, created_at, expires_at)
                        VALUES (\(token.digest), \(id), \(now), \(expiresAt))
                        """,
                        logger: logger)
                }
                return id
            }
        } catch let error as PSQLError where error.sqlState == "23505" {
            // Created meanwhile (by an admin): whoever holds the code holds the mailbox, so saying so
            // tells them nothing they could not learn from it.
            throw DomainError.conflict(kind: "email-taken", detail: "An account with this email already exists.")
        }
        return (try await user(id: userID), signIn ? (token, expiresAt) : nil)
    }
}
