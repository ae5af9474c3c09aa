import Foundation
import HTTPTypes
import Kernel
import Logistics
import Orders
import PostgresNIO
import Testing

@testable import MarketAPI

@Suite("The admin's accounts page")
struct ConsoleUsersTests {
    @Test func anAdminSwitchesAnAccountOffAndOnAndTheSessionEndsAtOnce() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let (admin, _, adminID) = try await ConsoleTests.Browser.staff(world, role: "admin", office: nil)
            let (email, id) = try await AccountRecoveryTests.register(api, phone: AccountRecoveryTests.uniquePhone())
            let session = try await api.login(email, "correct-horse-battery")
            let page = try await admin.send(.get, "/console/nguoi-dung")
            #expect(page.status == .ok && page.text.contains(email))
            // No button to lock oneself out.
            #expect(!page.text.contains("/console/nguoi-dung/\(adminID)/khoa"))
            let off = try await admin.send(
                .post, "/console/nguoi-dung/\(id)/khoa", form: ["csrf": ConsoleTests.Browser.csrf(page) ?? ""])
            #expect(off.status == .seeOther)
            #expect(try await api.request(.get, "/v1/me", token: session).status == .unauthorized)
            let after = try await admin.send(.get, "/console/nguoi-dung?ket-qua=da-khoa")
            #expect(after.text.contains("Đã khoá tài khoản") && after.text.contains("/console/nguoi-dung/\(id)/mo"))
            let on = try await admin.send(
                .post, "/console/nguoi-dung/\(id)/mo", form: ["csrf": ConsoleTests.Browser.csrf(after) ?? ""])
            #expect(on.status == .seeOther)
            _ = try await api.login(email, "correct-horse-battery")
            let own = try await admin.send(
                .post, "/console/nguoi-dung/\(adminID)/khoa", form: ["csrf": ConsoleTests.Browser.csrf(after) ?? ""])
            #expect(own.status == .conflict)
        }
    }
}
