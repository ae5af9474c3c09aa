import Foundation
import HTTPTypes
import Testing

@testable import MarketAPI
@testable import MarketWeb

/// Issue 18: the console adds no request path that authorization does not cover. Every console route,
/// as each kind of caller: nobody gets a page without a session; a buyer or a producer gets the
/// "not allowed" page for staff work; another office's clerk gets "not found" for this office's data.
@Suite("Console routes × callers")
struct ConsoleRouteMatrixTests {
    @Test func everyConsoleRouteAnswersEachCallerAsAuthorizationSays() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let product = try await world.draft("Nước mắm nhĩ Cửa Đại")
            try await world.expect(.post, "/v1/products/\(product)/submit", world.producer, status: .ok)
            let supplier = try await world.applySupplier(try await api.buyerToken(), name: "HTX Gốm Thanh Hà")
            let certificate = try await world.expect(
                .post, "/v1/products/\(try await world.listed("Mật ong rừng Trà My"))/ocop-certifications",
                world.producer, json: ScopeWorld.certificate(), status: .created)
            let certificateID = try #require(certificate.json["id"] as? String)
            let producerID = try #require(
                try await world.expect(.get, "/v1/me", world.producer, status: .ok).json["id"] as? String)

            func browser(_ email: String?, role: String? = nil, office: UUID? = nil) async throws
                -> ConsoleTests.Browser
            {
                let browser = ConsoleTests.Browser(api)
                guard let email else { return browser }
                var grants: [[String: String]] = []
                if let role {
                    grants.append(
                        ["role": role, "post_office_id": office?.uuidString ?? ""].filter { !$0.value.isEmpty })
                }
                try await world.expect(
                    .post, "/v1/users", world.admin,
                    json: [
                        "email": email, "password": "staff-password-1", "display_name": "Người thử", "roles": grants,
                    ],
                    status: .created)
                #expect(try await browser.signIn(email, "staff-password-1").status == .seeOther)
                return browser
            }
            let n = UUID().uuidString.prefix(6)
            let today = LogisticsWorld.today
            let callers: [(String, ConsoleTests.Browser)] = [
                ("anonymous", try await browser(nil)),
                ("buyer", try await browser("buyer-\(n)@example.vn", role: "buyer")),
                (
                    "other office's clerk",
                    try await browser("clerk-b-\(n)@example.vn", role: "clerk", office: world.officeB)
                ),
            ]
            // GET pages: path → expected status per caller.
            let pages: [(String, [Int])] = [
                ("/console/", [303, 200, 200]),
                ("/console/duyet-san-pham", [303, 403, 200]),
                ("/console/duyet-nguoi-ban", [303, 403, 200]),
                ("/console/duyet-ocop", [303, 403, 200]),
                ("/console/bang-ke", [303, 403, 403]),
                ("/console/chuyen-khoan", [303, 403, 403]),
                ("/console/tai-chinh", [303, 403, 403]),
                ("/console/doi-soat", [303, 403, 403]),
                ("/console/doi-soat.csv", [303, 403, 403]),
                ("/console/chi-tra", [303, 403, 403]),
                ("/console/chi-tra/\(UUID())", [303, 403, 403]),
                ("/console/chi-tra/\(UUID())/ngan-hang.csv", [303, 403, 403]),
                ("/console/chi-tra/\(UUID())/tai-quay.csv", [303, 403, 403]),
                // Everyone's own inbox.
                ("/console/thong-bao", [303, 200, 200]),
                ("/console/nguoi-dung", [303, 403, 403]),
                // The clerk's desk: its own office for any clerk, office A's data not found for B's.
                ("/console/dieu-phoi?buu-cuc=\(world.officeA)", [303, 403, 404]),
                ("/console/lo-trinh/\(UUID())/\(today)", [303, 403, 404]),
                ("/console/lo-trinh/\(UUID())/\(today)/in", [303, 403, 404]),
                ("/console/nop-tien", [303, 403, 200]),
                ("/console/nop-tien/\(UUID())", [303, 403, 404]),
                ("/console/chenh-lech", [303, 403, 200]),
                // Complaints: every clerk and courier has the page (its own office's work on it).
                ("/console/khieu-nai", [303, 403, 200]),
                ("/console/nhat-ky", [303, 403, 403]),
                ("/console/sao-ke", [303, 403, 403]),
                ("/console/sao-ke/\(UUID())", [303, 403, 403]),
                ("/console/buu-cuc", [303, 403, 403]),
                ("/console/buu-cuc/\(world.officeA)", [303, 403, 403]),
                ("/console/bang-cuoc", [303, 403, 403]),
                // The route map's scripts and stylesheet, public like the others.
                ("/console/assets/leaflet.min.js", [200, 200, 200]),
                ("/console/assets/leaflet.css", [200, 200, 200]),
                ("/console/assets/route-map.js", [200, 200, 200]),
                ("/console/sw.js", [200, 200, 200]),
            ]
            // Form posts on office A's data (a scan of a parcel nobody has: 404 for staff, 403 for others).
            let forms: [(String, [Int])] = [
                ("/console/duyet-san-pham/\(product)/duyet", [303, 403, 404]),
                ("/console/duyet-san-pham/\(product)/tu-choi", [303, 403, 404]),
                ("/console/duyet-nguoi-ban/\(supplier)/duyet", [303, 403, 404]),
                ("/console/duyet-ocop/\(certificateID)/xac-nhan", [303, 403, 404]),
                ("/console/duyet-ocop/\(certificateID)/tu-choi", [303, 403, 404]),
                ("/console/quet/EC999999995VN", [303, 403, 404]),
                ("/console/chuyen-khoan/\(UUID())/ap-vao-don", [303, 403, 403]),
                ("/console/chuyen-khoan/\(UUID())/hoan-tien", [303, 403, 403]),
                ("/console/chi-tra", [303, 403, 403]),
                ("/console/chi-tra/\(UUID())/dong/\(UUID())/da-chi", [303, 403, 403]),
                ("/console/chi-tra/\(UUID())/dong/\(UUID())/that-bai", [303, 403, 403]),
                ("/console/thong-bao/da-doc", [303, 303, 303]),
                // A parcel nobody has: not found for a clerk, not allowed for a buyer.
                ("/console/ma-nhan-hang", [303, 403, 404]),
                ("/console/nguoi-dung/\(producerID)/khoa", [303, 403, 403]),
                ("/console/nguoi-dung/\(producerID)/mo", [303, 403, 403]),
                ("/console/dieu-phoi/lap-chuyen", [303, 403, 404]),
                ("/console/buu-ta/\(UUID())", [303, 403, 404]),
                ("/console/nop-tien/\(UUID())", [303, 403, 404]),
                // Only finance settles a discrepancy.
                ("/console/chenh-lech/\(UUID())/xu-ly", [303, 403, 403]),
                // Only a clerk of the delivering office decides a complaint.
                ("/console/khieu-nai/\(UUID())/quyet-dinh", [303, 403, 404]),
                ("/console/sao-ke", [303, 403, 403]),
                // Only an admin changes offices and tariffs.
                ("/console/buu-cuc", [303, 403, 403]),
                ("/console/buu-cuc/\(world.officeA)", [303, 403, 403]),
                ("/console/buu-cuc/\(world.officeA)/xa", [303, 403, 403]),
                ("/console/bang-cuoc", [303, 403, 403]),
                // Only an admin creates accounts, grants and revokes roles.
                ("/console/nguoi-dung", [303, 403, 403]),
                ("/console/nguoi-dung/\(producerID)/vai-tro", [303, 403, 403]),
                ("/console/nguoi-dung/\(producerID)/vai-tro/\(UUID())/thu-hoi", [303, 403, 403]),
            ]
            for (index, (who, browser)) in callers.enumerated() {
                for (path, statuses) in pages {
                    let reply = try await browser.send(.get, path)
                    #expect(Int(reply.status.code) == statuses[index], "GET \(path) as \(who): \(reply.status.code)")
                }
                let home = try await browser.send(.get, "/console/")
                let csrf = ConsoleTests.Browser.csrf(home) ?? "none"
                for (path, statuses) in forms {
                    let reply = try await browser.send(
                        .post, path,
                        form: [
                            "csrf": csrf, "reason": "Ảnh mờ", "type": "picked_up", "event": UUID().uuidString,
                            "van-don": "EC999999995VN", "buu-cuc": world.officeA.uuidString, "ngay": today,
                            "ca": "morning", "loai": "pickup", "diem-toi-da": "10", "kg-toi-da": "20",
                            "so-tien": "1000",
                            "cach": "write_off", "quyet-dinh": "tu-choi", "ghi-chu": "Không hoàn tiền.",
                        ])
                    #expect(Int(reply.status.code) == statuses[index], "POST \(path) as \(who): \(reply.status.code)")
                }
            }
            // Nothing any of them did changed office A's data.
            #expect(try await ConsoleTests.status(api, product, world) == "pending_review")
            #expect(try await api.request(.get, "/v1/me", token: world.producer).status == .ok)
            // Every console route is in this test's lists (or is the sign-in, sign-out, stylesheet or script).
            let covered = Set(pages.map { "GET \($0.0)" } + forms.map { "POST \($0.0)" }).count
            #expect(covered + 5 == ConsoleSite.routes.count, "console routes: \(ConsoleSite.routes.map(\.1))")
        }
    }
}
