import Foundation
import HTTPTypes
import Testing

@testable import MarketAPI
@testable import MarketWeb

/// The Bưu cục console's foundation (issue 18): sessions bound to API tokens, CSRF on every form, a
/// strict CSP, Vietnamese pages, the domain's own authorization.
@Suite("Console: sign-in, sessions, CSRF, the clerk's product review, another office's not-found")
struct ConsoleTests {
    /// A browser's cookie jar for one test: what Set-Cookie set, sent back as Cookie.
    final class Browser: @unchecked Sendable {
        var cookies: [String: String] = [:]
        let api: TestAPI

        init(_ api: TestAPI) { self.api = api }

        func send(_ method: HTTPRequest.Method, _ uri: String, form: [String: String]? = nil) async throws
            -> TestAPI.Reply
        {
            var headers = HTTPFields()
            if !cookies.isEmpty {
                headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")
            }
            var raw: String?
            if let form {
                headers[.contentType] = "application/x-www-form-urlencoded"
                raw = form.map { key, value in
                    "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                }.joined(separator: "&")
            }
            let reply = try await api.request(method, uri, raw: raw, headers: headers)
            for header in reply.headers[values: .setCookie] {
                let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
                guard pair.count == 2 else { continue }
                if header.contains("Max-Age=0") { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair[1] }
            }
            return reply
        }

        /// The CSRF value of the first form on a page.
        static func csrf(_ page: TestAPI.Reply) -> String? {
            guard let range = page.text.range(of: #"name="csrf" value=""#) else { return nil }
            return String(page.text[range.upperBound...].prefix { $0 != "\"" })
        }

        /// A new staff member (`role` at `office`), signed in in a browser of their own.
        static func staff(
            _ world: CatalogWorld, role: String, office: UUID?, name: String = "Nhân viên thử"
        ) async throws -> (browser: Browser, email: String, id: String) {
            let email = "\(role)-\(UUID().uuidString.prefix(8))@example.vn"
            var grant = ["role": role]
            if let office { grant["post_office_id"] = office.uuidString }
            let created = try await world.expect(
                .post, "/v1/users", world.admin,
                json: ["email": email, "password": "staff-password-1", "display_name": name, "roles": [grant]],
                status: .created)
            let browser = Browser(world.api)
            guard try await browser.signIn(email, "staff-password-1").status == .seeOther else {
                throw TestFailure("\(email) could not sign in to the console")
            }
            return (browser, email, created.json["id"] as? String ?? "")
        }

        func signIn(_ email: String, _ password: String) async throws -> TestAPI.Reply {
            let form = try await send(.get, "/console/dang-nhap")
            return try await send(
                .post, "/console/dang-nhap",
                form: ["email": email, "password": password, "csrf": Self.csrf(form) ?? ""])
        }
    }

    @Test func formattingAndFormsAreVietnameseAndExact() {
        #expect(VietnameseFormat.money(1_234_000) == "1.234.000\u{00A0}₫")
        #expect(VietnameseFormat.money(0) == "0\u{00A0}₫")
        #expect(VietnameseFormat.money(999) == "999\u{00A0}₫")
        #expect(VietnameseFormat.money(-85_000) == "-85.000\u{00A0}₫")
        #expect(VietnameseFormat.phone("0905123456") == "0905 123 456")
        #expect(VietnameseFormat.phone("+84905123456") == "+84905123456")
        // 17:30 UTC on 31/12 is already 1 January in Vietnam.
        let newYear = Date(timeIntervalSince1970: 1_798_738_200)  // 2026-12-31T17:30:00Z
        #expect(VietnameseFormat.date(newYear) == "01/01/2027")
        #expect(VietnameseFormat.dateTime(newYear) == "01/01/2027 00:30")
        let form = FormBody("email=b%C6%B0u%40example.vn&reason=H%C3%A0ng+h%E1%BB%8Fng&reason=second&empty=")
        #expect(form["email"] == "bưu@example.vn")
        #expect(form["reason"] == "Hàng hỏng")
        #expect(form["empty"] == "")
        #expect(CSRF.isValid(CSRF.token(forSecret: "a"), forSecret: "a"))
        #expect(!CSRF.isValid(CSRF.token(forSecret: "a"), forSecret: "b"))
        #expect(!CSRF.isValid(nil, forSecret: "a"))
    }

    @Test func aClerkSignsInReviewsAndSignsOut() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let product = try await world.draft("Mắm cá cơm Cửa Đại")
            try await world.expect(.post, "/v1/products/\(product)/submit", world.producer, status: .ok)
            let clerkEmail = "clerk-console-\(UUID().uuidString.prefix(6))@example.vn"
            try await world.expect(
                .post, "/v1/users", world.admin,
                json: [
                    "email": clerkEmail, "password": "staff-password-1", "display_name": "Trần Thị Lan",
                    "roles": [["role": "clerk", "post_office_id": world.officeA.uuidString]],
                ], status: .created)
            let browser = Browser(api)

            let anonymous = try await browser.send(.get, "/console/")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/console/dang-nhap")
            let form = try await browser.send(.get, "/console/dang-nhap")
            #expect(form.status == .ok)
            #expect(form.contentType == "text/html; charset=utf-8")
            #expect(form.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(form.text.contains("Đăng nhập"))
            #expect(
                form.headers[values: .setCookie].allSatisfy {
                    $0.contains("HttpOnly") && $0.contains("SameSite=Strict")
                })

            // Another site's page cannot post a sign-in: it has no pre-session value to echo.
            let forged = try await browser.send(
                .post, "/console/dang-nhap", form: ["email": clerkEmail, "password": "staff-password-1", "csrf": "x"])
            #expect(forged.status == .forbidden)
            let wrong = try await browser.signIn(clerkEmail, "not-the-password")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("Sai email hoặc mật khẩu."))
            let signedIn = try await browser.signIn(clerkEmail, "staff-password-1")
            #expect(signedIn.status == .seeOther)
            let session = try #require(
                signedIn.headers[values: .setCookie].first { $0.hasPrefix("\(SessionCookie.name)=") })
            #expect(session.contains("HttpOnly") && session.contains("SameSite=Strict") && session.contains("Path=/"))
            let token = try #require(browser.cookies[SessionCookie.name])

            let home = try await browser.send(.get, "/console/")
            #expect(home.status == .ok)
            #expect(home.text.contains("Trần Thị Lan") && home.text.contains("giao dịch viên"))
            #expect(home.text.contains("Duyệt sản phẩm"))
            let queue = try await browser.send(.get, "/console/duyet-san-pham")
            #expect(queue.text.contains("Mắm cá cơm Cửa Đại"))
            #expect(queue.text.contains("85.000\u{00A0}₫"))

            // A form without its token decides nothing.
            let noToken = try await browser.send(.post, "/console/duyet-san-pham/\(product)/duyet", form: [:])
            #expect(noToken.status == .forbidden)
            #expect(try await Self.status(api, product, world) == "pending_review")
            let csrf = try #require(Browser.csrf(queue))
            let empty = try await browser.send(
                .post, "/console/duyet-san-pham/\(product)/tu-choi", form: ["csrf": csrf, "reason": "  "])
            #expect(empty.status == .unprocessableContent)
            let long = try await browser.send(
                .post, "/console/duyet-san-pham/\(product)/tu-choi",
                form: ["csrf": csrf, "reason": String(repeating: "ạ", count: 501)])
            #expect(long.status == .unprocessableContent)
            #expect(try await Self.status(api, product, world) == "pending_review")
            let approved = try await browser.send(
                .post, "/console/duyet-san-pham/\(product)/duyet", form: ["csrf": csrf])
            #expect(approved.status == .seeOther)
            #expect(try await Self.status(api, product, world) == "active")
            let after = try await browser.send(.get, approved.headers[.location] ?? "")
            #expect(after.text.contains("Đã duyệt sản phẩm"))
            #expect(!after.text.contains("Mắm cá cơm Cửa Đại"))

            // Signing out revokes the token itself: the API refuses it too.
            let out = try await browser.send(.post, "/console/dang-xuat", form: ["csrf": CSRF.token(forSecret: token)])
            #expect(out.status == .seeOther)
            #expect(try await api.request(.get, "/v1/me", token: token).status == .unauthorized)
            #expect(try await browser.send(.get, "/console/").status == .seeOther)
        }
    }

    @Test func anotherOfficesClerkGetsTheNotFoundPage() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let product = try await world.draft("Chiếu cói Duy Xuyên")
            try await world.expect(.post, "/v1/products/\(product)/submit", world.producer, status: .ok)
            let browser = try await Browser.staff(world, role: "clerk", office: world.officeB, name: "Lê Văn Hùng")
                .browser
            let queue = try await browser.send(.get, "/console/duyet-san-pham")
            #expect(!queue.text.contains("Chiếu cói Duy Xuyên"))
            let csrf = try #require(Browser.csrf(queue))
            let other = try await browser.send(.post, "/console/duyet-san-pham/\(product)/duyet", form: ["csrf": csrf])
            #expect(other.status == .notFound)
            #expect(other.text.contains("Không tìm thấy"))
            #expect(try await Self.status(api, product, world) == "pending_review")
        }
    }

    @Test func aClerkApprovesASupplierAndChecksAnOcopCertificate() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let applicant = try await api.buyerToken()
            let supplier = try await world.applySupplier(applicant, name: "HTX Rau Trà Quế")
            let product = try await world.listed("Rau thơm Trà Quế")
            let certificate = try await world.expect(
                .post, "/v1/products/\(product)/ocop-certifications", world.producer, json: ScopeWorld.certificate(),
                status: .created)
            let certificateID = try #require(certificate.json["id"] as? String)
            let browser = try await Browser.staff(world, role: "clerk", office: world.officeA, name: "Võ Thị Mai")
                .browser
            let home = try await browser.send(.get, "/console/")
            #expect(home.text.contains("Duyệt người bán") && home.text.contains("Duyệt chứng nhận OCOP"))

            let applications = try await browser.send(.get, "/console/duyet-nguoi-ban")
            #expect(applications.text.contains("HTX Rau Trà Quế") && applications.text.contains("Hợp tác xã"))
            let csrf = try #require(Browser.csrf(applications))
            let approved = try await browser.send(
                .post, "/console/duyet-nguoi-ban/\(supplier)/duyet", form: ["csrf": csrf])
            #expect(approved.status == .seeOther)
            let supplierNow = try await world.expect(.get, "/v1/suppliers/\(supplier)", applicant, status: .ok)
            #expect(supplierNow.json["status"] as? String == "active")

            let certificates = try await browser.send(.get, "/console/duyet-ocop")
            #expect(certificates.text.contains("Rau thơm Trà Quế") && certificates.text.contains("4 sao"))
            let noReason = try await browser.send(
                .post, "/console/duyet-ocop/\(certificateID)/tu-choi", form: ["csrf": csrf, "reason": ""])
            #expect(noReason.status == .unprocessableContent)
            let verified = try await browser.send(
                .post, "/console/duyet-ocop/\(certificateID)/xac-nhan", form: ["csrf": csrf])
            #expect(verified.status == .seeOther)
            let after = try await browser.send(.get, verified.headers[.location] ?? "")
            #expect(after.text.contains("Đã xác nhận chứng nhận"))
            let badge = try await world.expect(.get, "/v1/products/\(product)", nil, status: .ok)
            #expect((badge.json["ocop"] as? [String: Any])?["stars"] as? Int == 4)
        }
    }

    static func status(_ api: TestAPI, _ product: String, _ world: CatalogWorld) async throws -> String? {
        try await world.expect(.get, "/v1/products/\(product)", world.producer, status: .ok).json["status"] as? String
    }
}

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
                        ])
                    #expect(Int(reply.status.code) == statuses[index], "POST \(path) as \(who): \(reply.status.code)")
                }
            }
            // Nothing any of them did changed office A's data.
            #expect(try await ConsoleTests.status(api, product, world) == "pending_review")
            // Every console route is in this test's lists (or is the sign-in, sign-out or stylesheet).
            let covered = Set(pages.map(\.0) + forms.map(\.0)).count
            #expect(covered + 4 == ConsoleSite.routes.count, "console routes: \(ConsoleSite.routes.map(\.1))")
        }
    }
}

/// The courier's manifest page: today's stops in order, each parcel's next scan as a form whose event
/// id makes a double tap harmless.
@Suite("Console: the courier's manifest and scans")
struct ConsoleCourierTests {
    @Test func aCourierPicksUpFromTheManifestOnceWhateverTheTaps() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 0)
            let email = "courier-console-\(UUID().uuidString.prefix(6))@example.vn"
            let created = try await w.world.expect(
                .post, "/v1/users", w.world.admin,
                json: [
                    "email": email, "password": "staff-password-1", "display_name": "Đặng Văn Phúc",
                    "phone": "0905111222",
                    "roles": [["role": "courier", "post_office_id": w.office.uuidString]],
                ], status: .created)
            let courierID = try #require(created.json["id"] as? String)
            try await w.world.expect(
                .patch, "/v1/couriers/\(courierID)", w.clerk, json: ["max_stops": 40, "max_grams": 150_000],
                status: .ok)
            let (readied, tracking) = try await w.readyOrder()
            // The order as the API tells its tracking numbers (readyOrder's JSON predates them).
            let order = try await LedgerTests.refreshed(w, readied)
            let planned = try await w.plan("pickup")
            #expect(planned.status == .created || planned.status == .ok)

            let browser = ConsoleTests.Browser(api)
            #expect(try await browser.signIn(email, "staff-password-1").status == .seeOther)
            let home = try await browser.send(.get, "/console/")
            #expect(home.text.contains("Bảng kê hôm nay"))
            let page = try await browser.send(.get, "/console/bang-ke")
            #expect(page.status == .ok)
            #expect(page.text.contains(tracking[0]) && page.text.contains("Đã lấy hàng"))
            #expect(page.text.contains("Chuyến lấy hàng"))
            // The form of the first parcel, posted twice as a double tap would.
            let form = try #require(Self.form(of: tracking[0], in: page.text))
            for _ in 0..<2 {
                let sent = try await browser.send(.post, "/console/quet/\(tracking[0])", form: form)
                #expect(sent.status == .seeOther)
            }
            let events = try await api.db.query(
                """
                SELECT count(*) FROM shipment_events e JOIN packages p ON p.id = e.package_id
                WHERE p.tracking_no = \(tracking[0])
                """
            ).decode(Int.self).reduce(0, +)
            #expect(events == 1)
            let after = try await browser.send(.get, "/console/bang-ke?ket-qua=da-ghi")
            #expect(after.text.contains("Đã ghi nhận."))
            // On to the recipient: at the office, out, then delivered through the same form a delivery
            // run shows (a wrong code first: counted, and the page says which field).
            try await w.scan(
                tracking[0], "arrived_at_hub", by: w.clerk, at: Date().addingTimeInterval(1),
                extra: ["post_office_id": w.office.uuidString])
            // The helper sends whole seconds; the pages record the moment of the tap: let the next
            // tap come after the hub scan's second.
            try await Task.sleep(for: .seconds(2))
            let csrf = try #require(ConsoleTests.Browser.csrf(after))
            let out = try await browser.send(
                .post, "/console/quet/\(tracking[0])",
                form: ["csrf": csrf, "type": "out_for_delivery", "event": UUID().uuidString])
            #expect(out.status == .seeOther)
            let code = try #require(order["delivery_code"] as? String)
            let cod =
                ((order["packages"] as? [[String: Any]]) ?? []).first {
                    $0["tracking_no"] as? String == tracking[0]
                }?["cod_amount_vnd"] as? Int
            let wrong = try await browser.send(
                .post, "/console/quet/\(tracking[0])",
                form: [
                    "csrf": csrf, "type": "delivered", "event": UUID().uuidString,
                    "code": code == "000000" ? "111111" : "000000",
                    "recipient": "Nguyễn Thị Mai", "cod": String(cod ?? 0),
                ])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.text.contains("mã nhận hàng"))
            let delivered = try await browser.send(
                .post, "/console/quet/\(tracking[0])",
                form: [
                    "csrf": csrf, "type": "delivered", "event": UUID().uuidString, "code": code,
                    "recipient": "Nguyễn Thị Mai", "cod": String(cod ?? 0),
                ])
            #expect(delivered.headers[.location] == "/console/bang-ke?ket-qua=da-ghi")
            #expect(delivered.status == .seeOther)
            let cash = try await api.db.query(
                """
                SELECT COALESCE(sum(balance_vnd), 0)::int8 FROM ledger_accounts
                WHERE kind = 'courier_cash' AND owner_id = \(UUID(uuidString: courierID))
                """
            ).decode(Int64.self).reduce(0, +)
            let history = try await api.db.query(
                """
                SELECT e.type || ':' || e.applied::text FROM shipment_events e JOIN packages p ON p.id = e.package_id
                WHERE p.tracking_no = \(tracking[0]) ORDER BY e.occurred_at
                """
            ).decode(String.self).reduce(into: [String]()) { $0.append($1) }
            #expect(cash == Int64(cod ?? -1), "events: \(history)")
            // A clerk is no courier: the page is not for him.
            let clerk = try await ConsoleTests.Browser.staff(w.world, role: "clerk", office: w.office).browser
            #expect(try await clerk.send(.get, "/console/bang-ke").status == .forbidden)
        }
    }

    /// The hidden fields of the first form posting to `/console/quet/<tracking>`.
    static func form(of tracking: String, in html: String) -> [String: String]? {
        guard let start = html.range(of: "action=\"/console/quet/\(tracking)\""),
            let end = html.range(of: "</form>", range: start.upperBound..<html.endIndex)
        else { return nil }
        let body = html[start.upperBound..<end.lowerBound]
        var fields: [String: String] = [:]
        for match in body.matches(of: /name="([a-z_]+)" value="([^"]*)"/) {
            fields[String(match.1)] = String(match.2)
        }
        return fields
    }
}

/// Finance's suspense queue in the console: a transfer that confirmed nothing, owed back from a form.
@Suite("Console: finance resolves held transfers")
struct ConsoleFinanceTests {
    @Test func financeOwesBackAShortTransferFromTheConsole() async throws {
        try await withTestApp { api in
            let (world, fish, _, _) = try await OrderTests.shop(api)
            let buyer = try await api.buyerToken()
            let placed = try await OrderTests.order(api, token: buyer, lines: [(fish, 1)], method: "bank_transfer")
            let number = try #require(placed.json["number"] as? String)
            let total = try #require(placed.json["grand_total_vnd"] as? Int)
            _ = try await PaymentTests.notify(api, event: "console-short", order: number, amount: total - 2_000)
            let finance = try await ConsoleTests.Browser.staff(world, role: "finance", office: nil).browser
            let home = try await finance.send(.get, "/console/")
            #expect(home.text.contains("Tiền chuyển khoản chờ xử lý") && home.text.contains("1 khoản"))
            let page = try await finance.send(.get, "/console/chuyen-khoan")
            #expect(page.text.contains(number) && page.text.contains("số tiền khác tổng đơn"))
            let receipt = try await api.db.query(
                "SELECT id FROM payment_notifications WHERE event_id = 'console-short'"
            ).decode(UUID.self).reduce(into: [UUID]()) { $0.append($1) }.first
            let id = try #require(receipt?.uuidString.lowercased())
            let csrf = try #require(ConsoleTests.Browser.csrf(page))
            // Short by 2,000 đ: it cannot pay the order; the page says so, and nothing moves.
            let apply = try await finance.send(.post, "/console/chuyen-khoan/\(id)/ap-vao-don", form: ["csrf": csrf])
            #expect(apply.status == .conflict)
            let owed = try await finance.send(
                .post, "/console/chuyen-khoan/\(id)/hoan-tien", form: ["csrf": csrf, "reason": "Khách chuyển thiếu"])
            #expect(owed.status == .seeOther)
            let status =
                try await api.db.query("SELECT resolution FROM payment_notifications WHERE event_id = 'console-short'")
                .decode(String?.self).reduce(into: [String?]()) { $0.append($1) }.first ?? nil
            #expect(status == "refund")
            try await LedgerTests.ledgerIsClean(api)
        }
    }
}
