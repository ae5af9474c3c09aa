import Foundation
import HTTPTypes
import Kernel
import PostgresNIO
import Testing

@testable import MarketAPI

/// Issue 21, accounts people can keep: sign-in by phone, password change, reset by a one-time code
/// (bounded, the same answer for every address), admins deactivating and editing accounts.
@Suite("Accounts: sign-in by phone, password change and reset, deactivation")
struct AccountRecoveryTests {
    static func register(_ api: TestAPI, phone: String) async throws -> (email: String, id: String) {
        let email = "keep-\(UUID().uuidString.prefix(8))@example.vn".lowercased()
        let user = try await api.register(
            email: email, password: "correct-horse-battery", displayName: "Lê Thị Hoa", phone: phone)
        return (email, user["id"] as? String ?? "")
    }

    static func uniquePhone() -> String {
        // MobiFone's 090: a prefix a network issues (095 was S-Fone's, retired).
        "090" + String(format: "%07d", Int.random(in: 0..<10_000_000))
    }

    /// The code of the newest reset message queued for `recipient` (what an SMS or email would carry).
    static func queuedCode(_ api: TestAPI, to recipient: String) async throws -> String? {
        try await api.queuedCode(to: recipient, template: "password_reset")
    }

    @Test func signInByPhoneInEitherFormButNotByASharedOne() async throws {
        try await withTestApp { api in
            let phone = Self.uniquePhone()
            let (email, _) = try await Self.register(api, phone: phone)
            for form in [phone, "+84" + phone.dropFirst(), "\(phone.prefix(4)) \(phone.dropFirst(4))"] {
                let reply = try await api.request(
                    .post, "/v1/auth/login", json: ["phone": form, "password": "correct-horse-battery"])
                #expect(reply.status == .ok, "\(form): \(reply.text)")
            }
            // Both names at once, or neither: the request is malformed, not a failed sign-in.
            let both = try await api.request(
                .post, "/v1/auth/login", json: ["email": email, "phone": phone, "password": "correct-horse-battery"])
            #expect(both.status == .unprocessableContent)
            // A second account with the same phone: the phone no longer names one person.
            _ = try await Self.register(api, phone: phone)
            let shared = try await api.request(
                .post, "/v1/auth/login", json: ["phone": phone, "password": "correct-horse-battery"])
            #expect(shared.status == .unauthorized)
            let byEmail = try await api.request(
                .post, "/v1/auth/login", json: ["email": email, "password": "correct-horse-battery"])
            #expect(byEmail.status == .ok)
        }
    }

    @Test func changingThePasswordNeedsTheCurrentOneAndEndsOtherSessions() async throws {
        try await withTestApp { api in
            let (email, _) = try await Self.register(api, phone: Self.uniquePhone())
            let here = try await api.login(email, "correct-horse-battery")
            let elsewhere = try await api.login(email, "correct-horse-battery")
            let wrong = try await api.request(
                .post, "/v1/me/password", token: here,
                json: ["current_password": "not-my-password", "new_password": "a-new-password-1"])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.errorFields == ["current_password"])
            let short = try await api.request(
                .post, "/v1/me/password", token: here,
                json: ["current_password": "correct-horse-battery", "new_password": "short"])
            #expect(short.status == .unprocessableContent)
            let changed = try await api.request(
                .post, "/v1/me/password", token: here,
                json: ["current_password": "correct-horse-battery", "new_password": "a-new-password-1"])
            #expect(changed.status == .noContent, "\(changed.text)")
            #expect(try await api.request(.get, "/v1/me", token: here).status == .ok)
            #expect(try await api.request(.get, "/v1/me", token: elsewhere).status == .unauthorized)
            let old = try await api.request(
                .post, "/v1/auth/login", json: ["email": email, "password": "correct-horse-battery"])
            #expect(old.status == .unauthorized)
            _ = try await api.login(email, "a-new-password-1")
            // Guessing the current password from a borrowed session is bounded like sign-in.
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<5 {
                statuses.append(
                    try await api.request(
                        .post, "/v1/me/password", token: here,
                        json: ["current_password": "guess-guess-guess", "new_password": "another-password-1"]
                    ).status)
            }
            #expect(statuses.last == .tooManyRequests, "\(statuses)")
        }
    }

    @Test func aResetCodeWorksOnceEndsEverySessionAndAnswersAlikeForUnknownAddresses() async throws {
        try await withTestApp { api in
            let phone = Self.uniquePhone()
            let (email, _) = try await Self.register(api, phone: phone)
            let session = try await api.login(email, "correct-horse-battery")
            let unknown = try await api.request(
                .post, "/v1/auth/password-reset", json: ["email": "nobody-\(UUID())@example.vn"])
            let known = try await api.request(.post, "/v1/auth/password-reset", json: ["email": email])
            #expect(unknown.status == .accepted && known.status == .accepted)
            #expect(unknown.text == known.text)
            let code = try #require(try await Self.queuedCode(api, to: email))
            #expect(code.count == 6)
            // The code is stored only as a digest.
            let stored = try await api.db.query(
                "SELECT count(*)::int FROM password_resets WHERE code_digest = \(code)", logger: testLogger)
            for try await count in stored.decode(Int.self) { #expect(count == 0) }

            let wrongCode = code == "000000" ? "000001" : "000000"
            let wrong = try await api.request(
                .post, "/v1/auth/password-reset/confirm",
                json: ["email": email, "code": wrongCode, "new_password": "reset-password-1"])
            #expect(wrong.status == .unprocessableContent)
            let right = try await api.request(
                .post, "/v1/auth/password-reset/confirm",
                json: ["email": email, "code": code, "new_password": "reset-password-1"])
            #expect(right.status == .noContent, "\(right.text)")
            #expect(try await api.request(.get, "/v1/me", token: session).status == .unauthorized)
            _ = try await api.login(email, "reset-password-1")
            let again = try await api.request(
                .post, "/v1/auth/password-reset/confirm",
                json: ["email": email, "code": code, "new_password": "reset-password-2"])
            #expect(again.status == .unprocessableContent)

            // By phone, the code goes by SMS to the phone (to the log while no provider is set).
            #expect(try await api.request(.post, "/v1/auth/password-reset", json: ["phone": phone]).status == .accepted)
            let smsCode = try #require(try await Self.queuedCode(api, to: phone))
            let bySMS = try await api.request(
                .post, "/v1/auth/password-reset/confirm",
                json: ["phone": "+84" + phone.dropFirst(), "code": smsCode, "new_password": "reset-password-3"])
            #expect(bySMS.status == .noContent, "\(bySMS.text)")
        }
    }

    @Test func aCodeAllowsFiveGuessesAndAnAccountThreeCodesAnHour() async throws {
        try await withTestApp { api in
            let (email, id) = try await Self.register(api, phone: Self.uniquePhone())
            #expect(try await api.request(.post, "/v1/auth/password-reset", json: ["email": email]).status == .accepted)
            let code = try #require(try await Self.queuedCode(api, to: email))
            let wrongCode = code == "000000" ? "000001" : "000000"
            // Ten guesses at once: at most five are ever compared, so the right code after them fails.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        _ = try await api.request(
                            .post, "/v1/auth/password-reset/confirm",
                            json: ["email": email, "code": wrongCode, "new_password": "reset-password-1"])
                    }
                }
                try await group.waitForAll()
            }
            let late = try await api.request(
                .post, "/v1/auth/password-reset/confirm",
                json: ["email": email, "code": code, "new_password": "reset-password-1"])
            #expect(late.status == .unprocessableContent)
            let failures = try await api.db.query(
                "SELECT failures FROM password_resets WHERE user_id = \(UUID(uuidString: id)!)", logger: testLogger)
            for try await count in failures.decode(Int.self) { #expect(count == 5) }
            let audited = try await api.db.query(
                "SELECT count(*)::int FROM audit_log WHERE action = 'password_reset.failed' AND entity_id = \(id)",
                logger: testLogger)
            for try await count in audited.decode(Int.self) { #expect(count == 11) }
            // Three codes an hour; the fourth request answers the same and sends nothing.
            for _ in 0..<3 {
                #expect(
                    try await api.request(.post, "/v1/auth/password-reset", json: ["email": email]).status == .accepted)
            }
            let codes = try await api.db.query(
                "SELECT count(*)::int FROM password_resets WHERE user_id = \(UUID(uuidString: id)!)",
                logger: testLogger)
            for try await count in codes.decode(Int.self) { #expect(count == 3) }
        }
    }

    @Test func anAdminDeactivatesAtOnceEditsAndNeverDeactivatesHimself() async throws {
        try await withTestApp { api in
            let admin = try await api.adminToken()
            let (email, id) = try await Self.register(api, phone: Self.uniquePhone())
            let session = try await api.login(email, "correct-horse-battery")
            let buyerTry = try await api.request(
                .patch, "/v1/users/\(id)", token: session, json: ["is_active": false])
            #expect(buyerTry.status == .forbidden)
            let off = try await api.request(.patch, "/v1/users/\(id)", token: admin, json: ["is_active": false])
            #expect(off.status == .ok && off.json["is_active"] as? Bool == false, "\(off.text)")
            #expect(try await api.request(.get, "/v1/me", token: session).status == .unauthorized)
            let refused = try await api.request(
                .post, "/v1/auth/login", json: ["email": email, "password": "correct-horse-battery"])
            #expect(refused.status == .unauthorized)
            let on = try await api.request(
                .patch, "/v1/users/\(id)", token: admin,
                json: ["is_active": true, "display_name": "Lê Thị Hoa Mới", "phone": "+84905111333"])
            #expect(
                on.json["display_name"] as? String == "Lê Thị Hoa Mới" && on.json["phone"] as? String == "0905111333")
            // Reactivating does not bring the old session back.
            #expect(try await api.request(.get, "/v1/me", token: session).status == .unauthorized)
            _ = try await api.login(email, "correct-horse-battery")
            let me = try await api.request(.get, "/v1/me", token: admin)
            let adminID = try #require(me.json["id"] as? String)
            let own = try await api.request(.patch, "/v1/users/\(adminID)", token: admin, json: ["is_active": false])
            #expect(own.status == .conflict)
            let empty = try await api.request(.patch, "/v1/users/\(id)", token: admin, json: [String: Any]())
            #expect(empty.status == .unprocessableContent || empty.status == .badRequest)
            let trail = try await api.db.query(
                "SELECT action FROM audit_log WHERE entity_id = \(id) AND action LIKE 'user.%' ORDER BY id",
                logger: testLogger)
            var actions: [String] = []
            for try await action in trail.decode(String.self) { actions.append(action) }
            #expect(actions.contains("user.deactivate") && actions.contains("user.reactivate"), "\(actions)")
        }
    }

    @Test func aBuyerResetsAForgottenPasswordOnTheShopAndReadsTheInbox() async throws {
        try await withTestApp { api in
            let phone = Self.uniquePhone()
            let (email, id) = try await Self.register(api, phone: phone)
            let browser = ConsoleTests.Browser(api)
            let form = try await browser.send(.get, "/quen-mat-khau")
            #expect(form.status == .ok && form.text.contains("Email hoặc số điện thoại"))
            let sent = try await browser.send(
                .post, "/quen-mat-khau", form: ["ten-dang-nhap": phone, "csrf": ConsoleTests.Browser.csrf(form) ?? ""])
            #expect(sent.status == .ok && sent.text.contains("Mã 6 chữ số"))
            // An address nobody has gets the very same page.
            let stranger = try await browser.send(
                .post, "/quen-mat-khau",
                form: ["ten-dang-nhap": "0999999999", "csrf": ConsoleTests.Browser.csrf(form) ?? ""])
            #expect(stranger.status == .ok && stranger.text.contains("Mã 6 chữ số"))
            let code = try #require(try await Self.queuedCode(api, to: phone))
            let wrong = try await browser.send(
                .post, "/quen-mat-khau/dat-lai",
                form: [
                    "ten-dang-nhap": phone, "ma": code == "000000" ? "000001" : "000000",
                    "password": "a-brand-new-pass", "csrf": ConsoleTests.Browser.csrf(sent) ?? "",
                ])
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("Mã không đúng"))
            let reset = try await browser.send(
                .post, "/quen-mat-khau/dat-lai",
                form: [
                    "ten-dang-nhap": phone, "ma": code, "password": "a-brand-new-pass",
                    "csrf": ConsoleTests.Browser.csrf(sent) ?? "",
                ])
            #expect(reset.status == .seeOther, "\(reset.status) \(reset.text.prefix(300))")
            _ = try await api.login(email, "a-brand-new-pass")
            // Signed in by the reset: the inbox is there, with what happened.
            let owner = try #require(UUID(uuidString: id))
            try await api.db.query(
                """
                INSERT INTO notifications (user_id, kind, title, body, link, source)
                VALUES (\(owner), 'order.placed', 'Đã nhận đơn hàng DH1', 'Tổng <b>100.000 ₫</b>', '/don-hang', 'test:1')
                """, logger: testLogger)
            let inbox = try await browser.send(.get, "/thong-bao")
            #expect(inbox.status == .ok && inbox.text.contains("Đã nhận đơn hàng DH1"))
            #expect(inbox.text.contains("&lt;b&gt;100.000 ₫&lt;/b&gt;") && inbox.text.contains("Mới"))
            let read = try await browser.send(
                .post, "/thong-bao/da-doc", form: ["csrf": ConsoleTests.Browser.csrf(inbox) ?? ""])
            #expect(read.status == .seeOther)
            #expect(!(try await browser.send(.get, "/thong-bao")).text.contains("class=\"badge\""))
        }
    }
}
