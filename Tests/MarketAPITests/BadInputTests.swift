import Foundation
import HTTPTypes
import Testing

@testable import MarketAPI

@Suite("Bad input is a 4xx problem, never a 5xx or a partial write")
struct BadInputTests {
    @Test func malformedJSONIsA400() async throws {
        try await withTestApp { api in
            for body in ["{", "not json", "{\"email\": }", "[1,2", ""] {
                let reply = try await api.request(.post, "/v1/auth/register", raw: body)
                #expect([400, 422].contains(reply.status.code), "\(body)")
                #expect(reply.contentType == "application/problem+json")
            }
            let reply = try await api.request(.post, "/v1/auth/register", raw: "{\"email\": ")
            #expect(reply.status == .badRequest)
            #expect(reply.json["type"] as? String == "/problems/malformed-json")
        }
    }

    @Test func wrongTypesMissingAndUnknownFieldsNameTheField() async throws {
        try await withTestApp { api in
            let wrongType = try await api.request(
                .post,
                "/v1/auth/register",
                json: ["email": 42, "password": "long-enough-pw", "display_name": "A", "phone": "0905123456"]
            )
            #expect(wrongType.status == .unprocessableContent)
            #expect(wrongType.errorFields == ["email"])

            let missing = try await api.request(
                .post, "/v1/auth/register", json: ["email": "a@b.vn", "password": "long-enough-pw"])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.errorFields.count == 1)

            let unknown = try await api.request(
                .post,
                "/v1/auth/register",
                json: [
                    "email": "a@b.vn", "password": "long-enough-pw", "display_name": "A", "phone": "0905123456",
                    "is_admin": true,
                ]
            )
            #expect(unknown.status == .unprocessableContent)
        }
    }

    @Test func everyBadFieldIsListedAndNothingIsWritten() async throws {
        try await withTestApp { api in
            let reply = try await api.request(
                .post,
                "/v1/auth/register",
                json: ["email": "no-at-sign", "password": "short", "display_name": "Tên\u{0}", "phone": "12345"]
            )
            #expect(reply.status == .unprocessableContent)
            #expect(Set(reply.errorFields) == ["email", "password", "display_name", "phone"])
            let users = try await api.db.query("SELECT count(*) FROM users").decode(Int.self).reduce(0, +)
            #expect(users == 0)
            let pending = try await api.db.query("SELECT count(*) FROM registration_requests").decode(Int.self)
                .reduce(0, +)
            #expect(pending == 0)
        }
    }

    @Test func vietnameseEmojiAndSQLMetacharactersAreJustText() async throws {
        try await withTestApp { api in
            let name = "Nguyễn Thị Ánh 🌾'; DROP TABLE users; --"
            let created = try await api.register(
                email: "o'brien+test@example.vn", password: "pässwörd-🔑-long", displayName: name, phone: "02353123456")
            #expect(created["display_name"] as? String == name)
            _ = try await api.login("o'brien+test@example.vn", "pässwörd-🔑-long")
        }
    }

    @Test func oversizedBodiesAreRefusedWith413() async throws {
        try await withTestApp(config: testConfig { $0.maxBodyBytes = 4096 }) { api in
            let big = String(repeating: "a", count: 10_000)
            let reply = try await api.request(
                .post,
                "/v1/auth/register",
                json: ["email": "a@b.vn", "password": "long-enough-pw", "display_name": big, "phone": "0905123456"]
            )
            #expect(reply.status == .contentTooLarge)
            #expect(reply.contentType == "application/problem+json")
        }
    }

    @Test func deeplyNestedJSONIsRefusedCleanly() async throws {
        try await withTestApp { api in
            let nested = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
            let reply = try await api.request(
                .post, "/v1/auth/login", raw: "{\"email\": \(nested), \"password\": \"x\"}")
            #expect((400..<500).contains(reply.status.code))
        }
    }

    @Test func wrongContentTypeAndBadQueryValuesAre4xx() async throws {
        try await withTestApp { api in
            let text = try await api.request(
                .post,
                "/v1/auth/login",
                raw: "email=a",
                headers: [.contentType: "application/x-www-form-urlencoded"]
            )
            #expect(text.status == .unsupportedMediaType)
            #expect(text.contentType == "application/problem+json")
            let admin = try await api.adminToken()
            let badLimit = try await api.request(.get, "/v1/users?limit=abc", token: admin)
            #expect([400, 422].contains(badLimit.status.code))
            #expect(badLimit.contentType == "application/problem+json")
            let badRole = try await api.request(.get, "/v1/users?role=king", token: admin)
            #expect((400..<500).contains(badRole.status.code))
            let hugeLimit = try await api.request(.get, "/v1/users?limit=99999999999999999999", token: admin)
            #expect((400..<500).contains(hugeLimit.status.code))
        }
    }
}
