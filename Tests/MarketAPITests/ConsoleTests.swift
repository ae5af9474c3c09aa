import Foundation
import HTTPTypes
import Kernel
import Testing

@testable import MarketAPI
@testable import MarketWeb

/// The Bưu cục console's foundation (issue 18): sessions bound to API tokens, CSRF on every form, a
/// strict CSP, Vietnamese pages, the domain's own authorization.
@Suite("Console: sign-in, sessions, CSRF, the clerk's product review, another office's not-found")
struct ConsoleTests {
    @Test func formattingAndFormsAreVietnameseAndExact() {
        #expect(VietnameseFormat.money(1_234_000) == "1.234.000\u{00A0}₫")
        #expect(VietnameseFormat.money(0) == "0\u{00A0}₫")
        #expect(VietnameseFormat.money(999) == "999\u{00A0}₫")
        #expect(VietnameseFormat.money(-85_000) == "-85.000\u{00A0}₫")
        #expect(VietnameseFormat.phone("0905123456") == "0905 123 456")
        #expect(VietnameseFormat.phone("+84905123456") == "0905 123 456")
        #expect(VietnameseFormat.phone("not a phone") == "not a phone")
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
            #expect(wrong.text.contains("Sai email, số điện thoại hoặc mật khẩu."))
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
}
