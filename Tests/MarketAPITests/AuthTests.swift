import Foundation
import HTTPTypes
import Kernel
import PostgresNIO
import Testing

@testable import MarketAPI

@Suite("Sign-up, sign-in, tokens")
struct AuthTests {
    @Test func aBuyerRegistersSignsInAndSeesItself() async throws {
        try await withTestApp { api in
            let created = try await api.request(
                .post,
                "/v1/auth/register",
                json: [
                    "email": "Mai.Nguyen@Example.vn", "password": "mật-khẩu-dài-lắm", "display_name": "Nguyễn Thị Mai",
                    "phone": "+84905123456",
                ]
            )
            #expect(created.status == .created)
            #expect(created.json["email"] as? String == "mai.nguyen@example.vn")
            let roles = created.json["roles"] as? [[String: Any]] ?? []
            #expect(roles.map { $0["role"] as? String } == ["buyer"])
            #expect(created.json["password_hash"] == nil)

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

    @Test func theSameEmailCannotRegisterTwiceEvenConcurrently() async throws {
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
            #expect(statuses.filter { $0 == .created }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 7)
            let again = try await api.request(.post, "/v1/auth/register", json: body())
            #expect(again.json["type"] as? String == "/problems/email-taken")
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
