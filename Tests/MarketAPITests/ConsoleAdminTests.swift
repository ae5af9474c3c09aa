import Foundation
import HTTPTypes
import Kernel
import Logistics
import Testing

@testable import MarketAPI
@testable import MarketWeb

/// The admin's pages (issue 18): accounts found by role or email, roles granted and revoked through the
/// same store as the API, and the audit trail with its filters.
@Suite("Console: accounts, roles and the audit trail")
struct ConsoleAdminTests {
    typealias Browser = ConsoleTests.Browser

    @Test func anAdminFindsAnAccountGrantsAndRevokesARoleAndReadsItInTheAuditTrail() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let (admin, adminEmail, _) = try await Browser.staff(world, role: "admin", office: nil, name: "Quản Trị")
            let email = "tuyen-\(UUID().uuidString.prefix(6).lowercased())@example.vn"
            let created = try await world.expect(
                .post, "/v1/users", world.admin,
                json: ["email": email, "password": "staff-password-1", "display_name": "Ngô Thị Tuyến"],
                status: .created)
            let id = try #require(created.json["id"] as? String).lowercased()

            // Found by the start of the address (a LIKE wildcard typed in it matches only itself).
            let found = try await admin.send(.get, "/console/nguoi-dung?email=\(email.prefix(11))")
            #expect(found.status == .ok)
            #expect(found.text.contains("Ngô Thị Tuyến"))
            #expect(!found.text.contains(adminEmail))
            #expect(
                try await admin.send(.get, "/console/nguoi-dung?email=%25").text.contains(
                    "Không có tài khoản nào khớp."))
            let csrf = try #require(Browser.csrf(found))

            // A clerk's role needs an office; a producer's is not granted here; then the clerk role at office A.
            #expect(
                try await admin.send(
                    .post, "/console/nguoi-dung/\(id)/vai-tro", form: ["csrf": csrf, "vai-tro": "clerk"]
                ).status == .unprocessableContent)
            #expect(
                try await admin.send(
                    .post, "/console/nguoi-dung/\(id)/vai-tro", form: ["csrf": csrf, "vai-tro": "producer"]
                ).status == .unprocessableContent)
            let granted = try await admin.send(
                .post, "/console/nguoi-dung/\(id)/vai-tro",
                form: ["csrf": csrf, "vai-tro": "clerk", "buu-cuc": world.officeA.uuidString])
            #expect(granted.status == .seeOther)
            // The courier role at the same office breaks SPEC §1's separation: refused, with the reason.
            let both = try await admin.send(
                .post, "/console/nguoi-dung/\(id)/vai-tro",
                form: ["csrf": csrf, "vai-tro": "courier", "buu-cuc": world.officeA.uuidString])
            #expect(both.status == .conflict)
            #expect(both.text.contains("vừa là giao dịch viên vừa là bưu tá"))
            let grants =
                try await world.expect(.get, "/v1/users/\(id)", world.admin, status: .ok).json["roles"]
                as? [[String: Any]] ?? []
            #expect(grants.map { $0["role"] as? String } == ["clerk"])
            #expect(grants.first?["post_office_id"] as? String == world.officeA.uuidString.lowercased())

            // A clerk is not an admin: the same form is refused.
            let clerk = try await Browser.staff(world, role: "clerk", office: world.officeA).browser
            let clerkCSRF = try #require(Browser.csrf(try await clerk.send(.get, "/console/")))
            #expect(
                try await clerk.send(
                    .post, "/console/nguoi-dung/\(id)/vai-tro", form: ["csrf": clerkCSRF, "vai-tro": "finance"]
                ).status == .forbidden)

            // Revoked from the page's own form.
            let page = try await admin.send(.get, "/console/nguoi-dung?email=\(email)")
            #expect(page.text.contains("giao dịch viên · "))
            let revoke = try #require(page.text.firstMatch(of: /action="(\/console\/nguoi-dung\/[^"]+\/thu-hoi)"/)?.1)
            #expect(try await admin.send(.post, String(revoke), form: ["csrf": csrf]).status == .seeOther)
            let after =
                try await world.expect(.get, "/v1/users/\(id)", world.admin, status: .ok).json["roles"]
                as? [[String: Any]] ?? []
            #expect(after.isEmpty)

            // The trail: both changes by this admin on this user, newest first, with their details.
            let trail = try await admin.send(.get, "/console/nhat-ky?loai=user&ma=\(id)&nguoi=\(adminEmail)")
            #expect(trail.status == .ok)
            // (Each event's heading; the filter's list names every action too.)
            let revoked = try #require(trail.text.range(of: "<h2>Thu hồi vai trò "))
            let grantedAt = try #require(trail.text.range(of: "<h2>Cấp vai trò "))
            #expect(revoked.lowerBound < grantedAt.lowerBound)
            #expect(trail.text.contains("Quản Trị (\(adminEmail.lowercased()))"))
            #expect(trail.text.contains(world.officeA.uuidString.lowercased()))
            let onlyGrants = try await admin.send(.get, "/console/nhat-ky?ma=\(id)&hanh-dong=role.grant")
            #expect(onlyGrants.text.contains("<h2>Cấp vai trò ") && !onlyGrants.text.contains("<h2>Thu hồi vai trò "))
            let tomorrow = BusinessDay.adding(1, to: BusinessDay.string(for: Date())) ?? ""
            let future = try await admin.send(.get, "/console/nhat-ky?ma=\(id)&tu=\(tomorrow)")
            #expect(future.text.contains("Không có thay đổi nào khớp bộ lọc."))
            let nobody = try await admin.send(.get, "/console/nhat-ky?nguoi=khong-ai%40example.vn")
            #expect(nobody.text.contains("Không có tài khoản nào với email này."))
            for bad in ["loai=bang_khac", "ma=a%27b", "tu=2026-02-30", "hanh-dong=DROP"] {
                #expect(try await admin.send(.get, "/console/nhat-ky?\(bad)").status == .unprocessableContent, "\(bad)")
            }
            #expect(try await clerk.send(.get, "/console/nhat-ky").status == .forbidden)
        }
    }
}

extension ConsoleAdminTests {
    @Test func anAdminCreatesAStaffAccountWhoseOwnerSetsThePassword() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let admin = try await Browser.staff(world, role: "admin", office: nil).browser
            let csrf = try #require(Browser.csrf(try await admin.send(.get, "/console/nguoi-dung")))
            let email = "buu-ta-\(UUID().uuidString.prefix(6).lowercased())@example.vn"
            let form = [
                "csrf": csrf, "ten": "Lò Văn Sáng", "email": email, "dien-thoai": "0905 222 333", "vai-tro": "courier",
                "buu-cuc": world.officeA.uuidString,
            ]
            let created = try await admin.send(.post, "/console/nguoi-dung", form: form)
            #expect(created.status == .seeOther)
            let page = try await admin.send(.get, try #require(created.headers[.location]))
            #expect(page.text.contains("Lò Văn Sáng") && page.text.contains("bưu tá · "))
            // Nobody knows the password: the owner gets a reset code and sets it.
            let code = try #require(try await api.queuedCode(to: email, template: "password_reset"))
            let reset = try await api.request(
                .post, "/v1/auth/password-reset/confirm",
                json: ["email": email, "code": code, "new_password": "mật-khẩu-riêng-của-sáng"])
            #expect(reset.status == .noContent || reset.status == .ok)
            let token = try await api.login(email, "mật-khẩu-riêng-của-sáng")
            let me = try await api.request(.get, "/v1/me", token: token)
            #expect((me.json["roles"] as? [[String: Any]])?.first?["role"] as? String == "courier")
            // The same address again: the existing account is named, nothing new.
            let again = try await admin.send(.post, "/console/nguoi-dung", form: form)
            #expect(again.status == .conflict && again.text.contains("Đã có tài khoản"))
            var bad = form
            bad["email"] = "không-phải-email"
            bad["buu-cuc"] = ""
            #expect(try await admin.send(.post, "/console/nguoi-dung", form: bad).status == .unprocessableContent)
        }
    }
}
