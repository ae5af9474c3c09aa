import Foundation
import HTTPTypes
import Kernel
import Logistics
import Orders
import PostgresNIO
import Testing

@testable import MarketAPI

@Suite("A clerk reissues a delivery code to the buyer")
struct DeliveryCodeReissueTests {
    @Test func aClerkUnlocksAParcelWithACodeOnlyTheBuyerGets() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let (order, tracking) = try await w.readyOrder()
            let buyer = try #require(order["buyer_token"] as? String)
            let orderID = try #require(order["id"] as? String)
            let start = Date().addingTimeInterval(-3600)
            try await LedgerTests.outForDelivery(w, tracking[0], at: start)
            // Five wrong codes lock the parcel.
            let code = try #require(order["delivery_code"] as? String)
            let wrong = code == "000000" ? "000001" : "000000"
            for minute in 0..<5 {
                try await w.scan(
                    tracking[0], "delivered", at: start + 200 + Double(minute),
                    extra: ["cod_collected_vnd": 1, "recipient_name": "Mai", "delivery_code": wrong])
            }
            let locked = try await w.scan(
                tracking[0], "delivered", at: start + 300,
                extra: ["cod_collected_vnd": 1, "recipient_name": "Mai", "delivery_code": code])
            #expect(locked.status == .conflict)
            // Another office's clerk cannot; the courier cannot; the delivering office's clerk can.
            #expect(
                try await api.request(.post, "/v1/shipments/\(tracking[0])/delivery-code", token: w.world.clerkB).status
                    == .notFound)
            #expect(
                try await api.request(.post, "/v1/shipments/\(tracking[0])/delivery-code", token: w.couriers[0].token)
                    .status == .forbidden)
            let reissued = try await api.request(.post, "/v1/shipments/\(tracking[0])/delivery-code", token: w.clerk)
            #expect(reissued.status == .noContent && reissued.text.isEmpty)
            try await NotificationTests.notifier(api).notifyPending()
            let told = try await NotificationTests.inbox(api, buyer).first {
                $0["kind"] as? String == "order.delivery_code"
            }
            let fresh = try #require(
                try await api.request(.get, "/v1/orders/\(orderID)", token: buyer).json["delivery_code"] as? String)
            #expect(fresh != code)
            #expect((told?["body"] as? String)?.contains(fresh) == true)
            // Nobody else was told it (the buyer's own out-for-delivery notice, read after the change,
            // carries the code in force), and the outbox event does not carry it.
            let elsewhere = try await OrderTests.count(
                api,
                "SELECT count(*)::int FROM notifications n JOIN orders o ON o.id = '\(orderID)' WHERE n.body LIKE '%\(fresh)%' AND n.user_id <> o.buyer_id"
            )
            #expect(elsewhere == 0)
            let inOutbox = try await OrderTests.count(
                api, "SELECT count(*)::int FROM outbox WHERE payload::text LIKE '%\(fresh)%'")
            #expect(inOutbox == 0)
            // The old code no longer works; the new one delivers.
            let cod = LedgerTests.cod(try await LedgerTests.refreshed(w, order), tracking[0])
            let old = try await w.scan(
                tracking[0], "delivered", at: start + 400,
                extra: ["cod_collected_vnd": cod, "recipient_name": "Mai", "delivery_code": code])
            #expect(old.status == .unprocessableContent)
            try await w.scan(
                tracking[0], "delivered", at: start + 500,
                extra: ["cod_collected_vnd": cod, "recipient_name": "Mai", "delivery_code": fresh], status: .created)
            // Three reissues a day per order, then the buyer renews it himself.
            for _ in 0..<2 {
                #expect(
                    try await api.request(.post, "/v1/shipments/\(tracking[1])/delivery-code", token: w.clerk).status
                        == .noContent)
            }
            let fourth = try await api.request(.post, "/v1/shipments/\(tracking[1])/delivery-code", token: w.clerk)
            #expect(fourth.status == .tooManyRequests)
        }
    }
}
