import Foundation
import HTTPTypes
import Kernel
import Logistics
import Orders
import PostgresNIO
import Testing

@testable import MarketAPI

@Suite("The console's inbox and counter")
struct ConsoleInboxTests {
    @Test func financeReadsADiscrepancyAndAClerkSendsANewCodeFromTheCounter() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let (order, tracking) = try await w.readyOrder()
            let buyer = try #require(order["buyer_token"] as? String)
            let (finance, _, _) = try await ConsoleTests.Browser.staff(w.world, role: "finance", office: nil)
            let refreshed = try await LedgerTests.refreshed(w, order)
            try await LedgerTests.deliver(
                w, tracking[0], order: refreshed, collected: LedgerTests.cod(refreshed, tracking[0]) + 2_000,
                at: Date().addingTimeInterval(-3600))
            try await NotificationTests.notifier(api).notifyPending()
            let home = try await finance.send(.get, "/console/")
            #expect(home.text.contains("thông báo chưa đọc"), "\(home.text.prefix(400))")
            let inbox = try await finance.send(.get, "/console/thong-bao")
            #expect(inbox.status == .ok && inbox.text.contains("thừa 2.000"), "\(inbox.text.prefix(600))")
            let read = try await finance.send(
                .post, "/console/thong-bao/da-doc", form: ["csrf": ConsoleTests.Browser.csrf(inbox) ?? ""])
            #expect(read.status == .seeOther)
            #expect(!(try await finance.send(.get, "/console/")).text.contains("thông báo chưa đọc"))

            // The counter: office A's clerk types the second parcel's number; only the buyer learns the code.
            let clerk = ConsoleTests.Browser(api)
            let me = try await api.request(.get, "/v1/me", token: w.clerk)
            let email = try #require(me.json["email"] as? String)
            #expect(try await clerk.signIn(email, "staff-password-1").status == .seeOther)
            let counter = try await clerk.send(.get, "/console/")
            #expect(counter.text.contains("Gửi mã nhận hàng mới"))
            let bad = try await clerk.send(
                .post, "/console/ma-nhan-hang",
                form: ["csrf": ConsoleTests.Browser.csrf(counter) ?? "", "van-don": "abc"])
            #expect(bad.status == .unprocessableContent)
            let sent = try await clerk.send(
                .post, "/console/ma-nhan-hang",
                form: ["csrf": ConsoleTests.Browser.csrf(counter) ?? "", "van-don": tracking[1].lowercased()])
            #expect(sent.status == .ok && sent.text.contains("Đã gửi mã nhận hàng mới"))
            let fresh = try #require(
                try await api.request(.get, "/v1/orders/\(order["id"] as? String ?? "")", token: buyer).json[
                    "delivery_code"] as? String)
            #expect(fresh != order["delivery_code"] as? String && !sent.text.contains(fresh))
        }
    }
}
