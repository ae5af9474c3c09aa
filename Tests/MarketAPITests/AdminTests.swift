import Catalog
import Foundation
import HTTPTypes
import Kernel
import PostgresNIO
import Testing

@testable import MarketAPI

@Suite("Admins manage staff users and role grants")
struct AdminTests {
    /// Inserts a post office and a supplier to scope grants to.
    static func scopes(_ api: TestAPI) async throws -> (postOffice: UUID, supplier: UUID) {
        let postOffice = UUID()
        let supplier = UUID()
        try await api.db.query(
            """
            INSERT INTO post_offices (id, code, name, province_code, commune_code, address_line)
            VALUES (\(postOffice), \("PO-" + postOffice.uuidString.prefix(6)), 'Bưu cục Tam Kỳ', '48', '20341', '1 Phan Bội Châu')
            """
        )
        try await api.db.query("INSERT INTO suppliers (id, name) VALUES (\(supplier), 'HTX Quế Trà My')")
        return (postOffice, supplier)
    }

    @Test func onlyAdminsManageUsers() async throws {
        try await withTestApp { api in
            let buyer = try await api.buyerToken()
            let list = try await api.request(.get, "/v1/users", token: buyer)
            #expect(list.status == .forbidden)
            let create = try await api.request(
                .post,
                "/v1/users",
                token: buyer,
                json: ["email": "x@example.vn", "password": "long-enough-pw", "display_name": "X"]
            )
            #expect(create.status == .forbidden)
            #expect(try await api.request(.get, "/v1/users").status == .unauthorized)
        }
    }

    /// `POST /v1/users` as `admin` for a staff member with the given grants.
    static func createStaff(
        _ api: TestAPI,
        admin: String,
        email: String,
        name: String = "Lê Văn Tùng",
        roles: [[String: String]]
    ) async throws -> TestAPI.Reply {
        try await api.request(
            .post,
            "/v1/users",
            token: admin,
            json: ["email": email, "password": "long-enough-pw", "display_name": name, "roles": roles]
        )
    }

    @Test func anAdminCreatesACourierScopedToAPostOffice() async throws {
        try await withTestApp { api in
            let admin = try await api.adminToken()
            let (postOffice, supplier) = try await Self.scopes(api)

            let unscoped = try await Self.createStaff(
                api, admin: admin, email: "courier@example.vn", roles: [["role": "courier"]])
            #expect(unscoped.status == .unprocessableContent)
            #expect(unscoped.errorFields == ["roles[0].post_office_id"])

            let wrongScope = try await Self.createStaff(
                api, admin: admin, email: "courier@example.vn",
                roles: [
                    ["role": "courier", "post_office_id": postOffice.uuidString, "supplier_id": supplier.uuidString]
                ])
            #expect(wrongScope.errorFields == ["roles[0].supplier_id"])

            let created = try await Self.createStaff(
                api, admin: admin, email: "courier@example.vn",
                roles: [["role": "courier", "post_office_id": postOffice.uuidString]])
            #expect(created.status == .created)
            let roles = created.json["roles"] as? [[String: Any]] ?? []
            #expect(roles.first?["post_office_id"] as? String == postOffice.uuidString.lowercased())

            let courier = try await api.login("courier@example.vn", "long-enough-pw")
            let me = try await api.request(.get, "/v1/me", token: courier)
            #expect((me.json["roles"] as? [[String: Any]])?.first?["role"] as? String == "courier")

            let nowhere = try await Self.createStaff(
                api, admin: admin, email: "clerk@example.vn", name: "Clerk",
                roles: [["role": "clerk", "post_office_id": UUID().uuidString]])
            #expect(nowhere.status == .unprocessableContent)
            // Nothing was written for the failed request.
            let count = try await api.db.query("SELECT count(*) FROM users WHERE email = 'clerk@example.vn'").decode(
                Int.self
            ).reduce(0, +)
            #expect(count == 0)
        }
    }

    @Test func grantsAreAddedRemovedAndAudited() async throws {
        try await withTestApp { api in
            let admin = try await api.adminToken()
            let (_, supplier) = try await Self.scopes(api)
            let buyer = try await api.buyerToken(email: "grower@example.vn")
            let me = try await api.request(.get, "/v1/me", token: buyer)
            let userID = try #require(me.json["id"] as? String)

            let granted = try await api.request(
                .post,
                "/v1/users/\(userID)/roles",
                token: admin,
                json: ["role": "producer", "supplier_id": supplier.uuidString]
            )
            #expect(granted.status == .created)
            let grantID = try #require(granted.json["id"] as? String)
            let again = try await api.request(
                .post,
                "/v1/users/\(userID)/roles",
                token: admin,
                json: ["role": "producer", "supplier_id": supplier.uuidString]
            )
            #expect(again.status == .conflict)
            let missingScope = try await api.request(
                .post, "/v1/users/\(userID)/roles", token: admin, json: ["role": "producer"])
            #expect(missingScope.errorFields == ["supplier_id"])
            let unknownUser = try await api.request(
                .post, "/v1/users/\(UUID().uuidString)/roles", token: admin, json: ["role": "finance"])
            #expect(unknownUser.status == .notFound)
            let badEnum = try await api.request(
                .post, "/v1/users/\(userID)/roles", token: admin, json: ["role": "emperor"])
            #expect(badEnum.status == .unprocessableContent)
            #expect(badEnum.errorFields == ["role"])

            let roles = try await api.request(.get, "/v1/me", token: buyer).json["roles"] as? [[String: Any]] ?? []
            #expect(Set(roles.compactMap { $0["role"] as? String }) == ["buyer", "producer"])

            #expect(
                try await api.request(.delete, "/v1/users/\(userID)/roles/\(grantID)", token: admin).status
                    == .noContent)
            #expect(
                try await api.request(.delete, "/v1/users/\(userID)/roles/\(grantID)", token: admin).status == .notFound
            )
            #expect(
                try await api.request(.delete, "/v1/users/\(userID)/roles/not-a-uuid", token: admin).status == .notFound
            )

            let audit = try await api.request(
                .get, "/v1/audit-events?entity_type=user&entity_id=\(userID)", token: admin)
            let actions = (audit.json["items"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(actions == ["role.revoke", "role.grant", "user.create"])
            let actors = (audit.json["items"] as? [[String: Any]] ?? []).compactMap { $0["actor_id"] as? String }
            #expect(actors.count == 3)
        }
    }

    @Test func userListsPageWithAnOpaqueCursor() async throws {
        try await withTestApp { api in
            let admin = try await api.adminToken()
            for index in 0..<5 { _ = try await api.buyerToken(email: "page\(index)@example.vn") }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let uri = "/v1/users?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await api.request(.get, uri, token: admin)
                #expect(page.status == .ok)
                seen += (page.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                cursor = page.json["next_cursor"] as? String
            } while cursor != nil
            #expect(seen.count == 6)
            #expect(Set(seen).count == 6)
            let buyers = try await api.request(.get, "/v1/users?role=buyer&limit=100", token: admin)
            #expect((buyers.json["items"] as? [Any])?.count == 5)
            #expect(try await api.request(.get, "/v1/users?limit=0", token: admin).status == .unprocessableContent)
            #expect(try await api.request(.get, "/v1/users?limit=101", token: admin).status == .unprocessableContent)
            #expect(
                try await api.request(.get, "/v1/users?cursor=garbage", token: admin).status == .unprocessableContent)
            let forged = PageCursor(key: "9999-99-99", id: UUID().uuidString).encoded
            #expect(try await api.request(.get, "/v1/users?cursor=\(forged)", token: admin).status.code < 500)
        }
    }

    @Test func theBootstrapAdminIsCreatedOnce() async throws {
        try await withTestDatabase { client, _ in
            let accounts = AccountStore(config: testConfig(), db: Database(client), logger: testLogger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await accounts.ensureAdmin(email: "Boss@Example.vn", password: "boss-password-1")
                    }
                }
                try await group.waitForAll()
            }
            try await accounts.ensureAdmin(email: "boss@example.vn", password: "another-password")
            let rows = try await client.query("SELECT count(*) FROM users WHERE email = 'boss@example.vn'").decode(
                Int.self
            ).reduce(0, +)
            #expect(rows == 1)
            // The password of an existing admin is not reset by a restart with other settings.
            _ = try await accounts.login(email: "boss@example.vn", password: "boss-password-1")
        }
    }
}
