import Foundation
import HTTPTypes
import Testing

@testable import MarketAPI
@testable import MarketWeb

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
