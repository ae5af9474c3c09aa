import Foundation
import HTTPTypes
import Kernel
import PostgresNIO
import Testing

@testable import MarketAPI

@Suite("Sign-up, sign-in, tokens")
struct AuthTests {
    @Test func aBuyerRegistersWithTheEmailedCodeSignsInAndSeesItself() async throws {
        try await withTestApp { api in
            let asked = try await api.request(
                .post,
                "/v1/auth/register",
                json: [
                    "email": "Mai.Nguyen@Example.vn", "password": "mật-khẩu-dài-lắm", "display_name": "Nguyễn Thị Mai",
                    "phone": "+84905123456",
                ]
            )
            #expect(asked.status == .accepted)
            // No account until the code comes back; the code is stored only as a digest.
            #expect(
                try await api.db.query("SELECT 1 FROM users WHERE email = 'mai.nguyen@example.vn'").collect().isEmpty)
            let code = try #require(
                try await api.queuedCode(to: "mai.nguyen@example.vn", template: "registration_code"))
            let digests = try await api.db.query(
                "SELECT count(*)::int FROM registration_requests WHERE code_digest = \(code)"
            )
            .decode(Int.self).reduce(0, +)
            #expect(digests == 0)
            let created = try await api.request(
                .post, "/v1/auth/register/confirm", json: ["email": "MAI.NGUYEN@example.vn", "code": code])
            #expect(created.status == .created)
            #expect(created.json["email"] as? String == "mai.nguyen@example.vn")
            let roles = created.json["roles"] as? [[String: Any]] ?? []
            #expect(roles.map { $0["role"] as? String } == ["buyer"])
            #expect(created.json["password_hash"] == nil)
            // The code works once.
            let again = try await api.request(
                .post, "/v1/auth/register/confirm", json: ["email": "mai.nguyen@example.vn", "code": code])
            #expect(again.status == .unprocessableContent)
            #expect(again.errorFields == ["code"])

            let login = try await api.request(
                .post, "/v1/auth/login", json: ["email": "MAI.NGUYEN@example.vn", "password": "mật-khẩu-dài-lắm"])
            #expect(login.status == .ok)
            let token = try #require(login.json["token"] as? String)
            #expect(login.json["expires_at"] as? String != nil)

            let me = try await api.request(.get, "/v1/me", token: token)
            #expect(me.status == .ok)
            #expect(me.json["display_name"] as? String == "Nguyễn Thị Mai")

            // Only a digest of the token is stored.
            let stored = try await api.db.query("SELECT count(*) FROM auth_tokens WHERE token_hash = \(token)")
                .decode(Int.self).reduce(0, +)
            #expect(stored == 0)
        }
    }

    /// Issue 16: registration used to answer `email-taken`, which told anyone who has an account.
    @Test func aTakenEmailAnswersExactlyLikeANewOneAndItsOwnerIsTold() async throws {
        try await withTestApp { api in
            try await api.register(email: "taken@example.vn", password: "correct-horse-battery")
            func ask(_ email: String) async throws -> TestAPI.Reply {
                try await api.request(
                    .post, "/v1/auth/register",
                    json: [
                        "email": email, "password": "another-password-1", "display_name": "Kẻ lạ",
                        "phone": "0905123456",
                    ])
            }
            let taken = try await ask("Taken@example.vn")
            let fresh = try await ask("fresh@example.vn")
            #expect(taken.status == .accepted && fresh.status == .accepted)
            #expect(taken.text == fresh.text && taken.contentType == fresh.contentType)
            // The owner of the taken address is told, with no code; the new address gets a code.
            #expect(try await api.queuedCode(to: "taken@example.vn", template: "registration_taken") == nil)
            let notices = try await api.db.query(
                "SELECT count(*)::int FROM outbound_messages WHERE recipient = 'taken@example.vn' AND template = 'registration_taken'"
            ).decode(Int.self).reduce(0, +)
            #expect(notices == 1)
            // Its one code is from its own sign-up.
            #expect(try await api.queuedCode(to: "taken@example.vn", template: "registration_code") != nil)
            let codes = try await api.db.query(
                "SELECT count(*)::int FROM registration_requests WHERE email = 'taken@example.vn'"
            ).decode(Int.self).reduce(0, +)
            #expect(codes == 1)
            // Guessing a code for the taken address answers like a wrong code for any other.
            let guess = try await api.request(
                .post, "/v1/auth/register/confirm", json: ["email": "taken@example.vn", "code": "123456"])
            let wrong = try await api.request(
                .post, "/v1/auth/register/confirm", json: ["email": "nobody@example.vn", "code": "123456"])
            #expect(guess.status == .unprocessableContent && wrong.status == .unprocessableContent)
            #expect(guess.json["errors"] as? [[String: String]] == wrong.json["errors"] as? [[String: String]])
            // The stranger's password never replaced the owner's.
            _ = try await api.login("taken@example.vn", "correct-horse-battery")
        }
    }

    @Test func oneAccountPerEmailEvenWhenRequestsAndCodesRace() async throws {
        try await withTestApp { api in
            @Sendable func body() -> [String: Any] {
                [
                    "email": "twice@example.vn", "password": "correct-horse-battery", "display_name": "A",
                    "phone": "0905123456",
                ]
            }
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await api.request(.post, "/v1/auth/register", json: body()).status }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .accepted })
            // Three codes an hour per address; the rest answered the same and sent nothing.
            let sent = try await api.db.query(
                "SELECT count(*)::int FROM outbound_messages WHERE recipient = 'twice@example.vn' AND template = 'registration_code'"
            ).decode(Int.self).reduce(0, +)
            #expect(sent == 3)
            // The code of the one request still open (the others were replaced by the next in line).
            let live = try await api.db.query(
                """
                SELECT m.params->>'code' FROM outbound_messages m
                JOIN registration_requests r ON m.source = 'register:' || r.id
                WHERE r.email = 'twice@example.vn' AND r.expires_at > now()
                """
            ).decode(String.self).reduce(into: [String]()) { $0.append($1) }
            #expect(live.count == 1)
            let code = try #require(live.first)
            // That code, sent eight times at once: one account.
            let confirmed = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await api.request(
                            .post, "/v1/auth/register/confirm", json: ["email": "twice@example.vn", "code": code]
                        ).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(confirmed.filter { $0 == .created }.count == 1)
            #expect(confirmed.filter { $0 == .unprocessableContent }.count == 7)
            let users = try await api.db.query("SELECT count(*)::int FROM users WHERE email = 'twice@example.vn'")
                .decode(Int.self).reduce(0, +)
            #expect(users == 1)
            // The worker forgets sign-ups a day old, the account stays.
            let accounts = AccountStore(config: testConfig(), db: Database(api.db), logger: testLogger)
            #expect(try await accounts.purgeRegistrationRequests() == 0)
            #expect(try await accounts.purgeRegistrationRequests(now: Date().addingTimeInterval(2 * 86_400)) == 3)
            _ = try await api.login("twice@example.vn", "correct-horse-battery")
        }
    }

    @Test func aRegistrationCodeAllowsFiveGuessesCountedBeforeTheyAreCompared() async throws {
        try await withTestApp { api in
            let email = "guess-\(UUID().uuidString.prefix(8))@example.vn".lowercased()
            let asked = try await api.request(
                .post, "/v1/auth/register",
                json: ["email": email, "password": "correct-horse-battery", "display_name": "B", "phone": "0905123456"])
            #expect(asked.status == .accepted)
            let code = try #require(try await api.queuedCode(to: email, template: "registration_code"))
            let wrongCode = code == "000000" ? "000001" : "000000"
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        let reply = try await api.request(
                            .post, "/v1/auth/register/confirm", json: ["email": email, "code": wrongCode])
                        #expect(reply.status == .unprocessableContent)
                    }
                }
                try await group.waitForAll()
            }
            let late = try await api.request(.post, "/v1/auth/register/confirm", json: ["email": email, "code": code])
            #expect(late.status == .unprocessableContent)
            let failures = try await api.db.query("SELECT failures FROM registration_requests WHERE email = \(email)")
                .decode(Int.self).reduce(0, +)
            #expect(failures == 5)
            let audited = try await api.db.query(
                "SELECT count(*)::int FROM audit_log WHERE action = 'registration.failed'"
            ).decode(Int.self).reduce(0, +)
            #expect(audited == 11)
            #expect(try await api.db.query("SELECT 1 FROM users WHERE email = \(email)").collect().isEmpty)
        }
    }

    @Test func wrongPasswordAndUnknownEmailLookTheSame() async throws {
        try await withTestApp { api in
            _ = try await api.buyerToken(email: "known@example.vn")
            let wrong = try await api.request(
                .post, "/v1/auth/login", json: ["email": "known@example.vn", "password": "not-the-password"])
            let unknown = try await api.request(
                .post, "/v1/auth/login", json: ["email": "nobody@example.vn", "password": "not-the-password"])
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(wrong.json["detail"] as? String == unknown.json["detail"] as? String)
        }
    }

    /// Issue 16: a real account locked after the limit and an unknown email never did, which told an
    /// attacker who has an account. Every email now answers the same at every step.
    @Test func unknownAndKnownEmailsAnswerAlikeAtEveryStep() async throws {
        try await withTestApp { api in
            _ = try await api.buyerToken(email: "known@example.vn")
            func answers(_ email: String) async throws -> [String] {
                var seen: [String] = []
                for _ in 0..<5 {
                    let reply = try await api.request(
                        .post, "/v1/auth/login", json: ["email": email, "password": "not-the-password"])
                    seen.append("\(reply.status.code) \(reply.json["detail"] as? String ?? "")")
                }
                return seen
            }
            let known = try await answers("known@example.vn")
            let unknown = try await answers("nobody@example.vn")
            #expect(known == unknown)
            #expect(known.map { $0.prefix(3) } == ["401", "401", "401", "429", "429"])
            let digests = try await api.db.query("SELECT count(*) FROM login_attempts").decode(Int.self).reduce(0, +)
            #expect(digests == 2)
        }
    }

    @Test func repeatedFailuresLockTheAccountForAWhile() async throws {
        try await withTestApp { api in
            _ = try await api.buyerToken(email: "target@example.vn")
            for _ in 0..<3 {
                let failed = try await api.request(
                    .post, "/v1/auth/login", json: ["email": "target@example.vn", "password": "guess-guess-guess"])
                #expect(failed.status == .unauthorized)
            }
            // Locked now: even the right password is refused until the lock ends.
            let locked = try await api.request(
                .post, "/v1/auth/login", json: ["email": "target@example.vn", "password": "correct-horse-battery"])
            #expect(locked.status == .tooManyRequests)
            #expect(Int(locked.headers[.retryAfter] ?? "") ?? 0 > 0)

            try await api.db.query(
                """
                UPDATE login_attempts SET locked_until = now() - interval '1 second'
                WHERE email_digest = encode(sha256('target@example.vn'), 'hex')
                """)
            let after = try await api.request(
                .post, "/v1/auth/login", json: ["email": "target@example.vn", "password": "correct-horse-battery"])
            #expect(after.status == .ok)
            let audit = try await api.db.query("SELECT count(*) FROM audit_log WHERE action = 'user.lock'").decode(
                Int.self
            ).reduce(0, +)
            #expect(audit == 1)
            let failures = try await api.db.query(
                "SELECT count(*) FROM audit_log WHERE action = 'login.failed'"
            ).decode(Int.self).reduce(0, +)
            #expect(failures == 3)
        }
    }

    /// Issue 16: 60 guesses at once used to be all checked (the lock was read before bcrypt and set
    /// after), and a success inside the window cleared it. Now each guess is counted before its check.
    @Test func concurrentGuessesAreCheckedAtMostTheLimit() async throws {
        try await withTestApp { api in
            _ = try await api.buyerToken(email: "target@example.vn")
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await api.request(
                            .post, "/v1/auth/login",
                            json: ["email": "target@example.vn", "password": "guess-guess-guess"]
                        ).status.code
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 401 }.count == 3)
            #expect(statuses.filter { $0 == 429 }.count == 37)
            // The account is locked: the right password waits like the rest.
            let right = try await api.request(
                .post, "/v1/auth/login", json: ["email": "target@example.vn", "password": "correct-horse-battery"])
            #expect(right.status == .tooManyRequests)
            let failures = try await api.db.query(
                "SELECT count(*) FROM audit_log WHERE action = 'login.failed'"
            ).decode(Int.self).reduce(0, +)
            #expect(failures == 3)
        }
    }

    @Test func aSuccessDoesNotLiftALockSetMeanwhile() async throws {
        try await withTestApp { api in
            _ = try await api.buyerToken(email: "target@example.vn")
            // Two failures counted; the third guess (the last allowed) and the right password race.
            try await api.db.query(
                """
                INSERT INTO login_attempts (email_digest, failures)
                VALUES (encode(sha256('target@example.vn'), 'hex'), 2)
                ON CONFLICT (email_digest) DO UPDATE SET failures = 2
                """)
            async let guess = api.request(
                .post, "/v1/auth/login", json: ["email": "target@example.vn", "password": "guess-guess-guess"])
            async let right = api.request(
                .post, "/v1/auth/login", json: ["email": "target@example.vn", "password": "correct-horse-battery"])
            let (g, r) = try await (guess, right)
            // Whichever was counted first: if the guess was the third, it locks and the right password
            // (fourth) is refused; if the right password was third, it signs in and the guess is refused.
            #expect(
                Set([g.status.code, r.status.code]) == [401, 429] || Set([g.status.code, r.status.code]) == [200, 429])
            let locked = try await api.db.query(
                """
                SELECT count(*) FROM login_attempts
                WHERE email_digest = encode(sha256('target@example.vn'), 'hex') AND locked_until > now()
                """
            ).decode(Int.self).reduce(0, +)
            #expect((r.status == .ok) == (locked == 0))
        }
    }

    @Test func tokensAreRequiredValidAndRevokedByLogout() async throws {
        try await withTestApp { api in
            let none = try await api.request(.get, "/v1/me")
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate] == "Bearer")
            #expect(none.contentType == "application/problem+json")

            let garbage = try await api.request(.get, "/v1/me", headers: [.authorization: "Bearer not-a-token"])
            #expect(garbage.status == .unauthorized)
            let wrongScheme = try await api.request(.get, "/v1/me", headers: [.authorization: "Basic dXNlcjpwYXNz"])
            #expect(wrongScheme.status == .unauthorized)
            let unknown = try await api.request(.get, "/v1/me", token: BearerToken.generate().text)
            #expect(unknown.status == .unauthorized)

            let token = try await api.buyerToken()
            #expect(try await api.request(.get, "/v1/me", token: token).status == .ok)
            let other = try await api.login(
                (try await api.request(.get, "/v1/me", token: token).json["email"] as? String) ?? "",
                "correct-horse-battery")
            #expect(try await api.request(.post, "/v1/auth/logout", token: token).status == .noContent)
            #expect(try await api.request(.get, "/v1/me", token: token).status == .unauthorized)
            // Logging out revokes that token only.
            #expect(try await api.request(.get, "/v1/me", token: other).status == .ok)
        }
    }

    @Test func expiredTokensNoLongerWork() async throws {
        try await withTestApp { api in
            let token = try await api.buyerToken()
            #expect(try await api.request(.get, "/v1/me", token: token).status == .ok)
            try await api.db.query("UPDATE auth_tokens SET expires_at = now() - interval '1 second'")
            let expired = try await api.request(.get, "/v1/me", token: token)
            #expect(expired.status == .unauthorized)
        }
    }

    @Test func aDeactivatedUserIsSignedOut() async throws {
        try await withTestApp { api in
            let token = try await api.buyerToken(email: "leaving@example.vn")
            try await api.db.query("UPDATE users SET is_active = false WHERE email = 'leaving@example.vn'")
            #expect(try await api.request(.get, "/v1/me", token: token).status == .unauthorized)
            let login = try await api.request(
                .post, "/v1/auth/login", json: ["email": "leaving@example.vn", "password": "correct-horse-battery"])
            #expect(login.status == .unauthorized)
        }
    }
}
