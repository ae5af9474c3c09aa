import Foundation
import HTTPTypes
import Kernel
import Logistics
import Orders
import PostgresNIO
import Testing

@testable import MarketAPI

@Suite("Notifications of failed deliveries and COD discrepancies")
struct OperationsNotificationTests {
    @Test func aFailedAttemptTellsTheBuyerAndAShortCollectionTellsFinanceAndTheOfficesClerks() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let (order, tracking) = try await w.readyOrder()
            let buyer = try #require(order["buyer_token"] as? String)
            let finance = try await w.world.financeToken()
            let start = Date().addingTimeInterval(-3 * 3600)
            try await LedgerTests.outForDelivery(w, tracking[0], at: start)
            try await w.scan(
                tracking[0], "delivery_failed", at: start + 200,
                extra: ["reason_code": "recipient_absent", "reason": "Không có ai ở nhà"],
                status: .created)
            let refreshed = try await LedgerTests.refreshed(w, order)
            try await LedgerTests.deliver(
                w, tracking[1], order: refreshed, collected: LedgerTests.cod(refreshed, tracking[1]) - 5_000,
                at: start + 600)
            try await NotificationTests.notifier(api).notifyPending()
            let failed = try await NotificationTests.inbox(api, buyer).first {
                $0["kind"] as? String == "package.delivery_failed"
            }
            #expect(
                (failed?["body"] as? String)?.contains("Không có ai ở nhà") == true, "\(String(describing: failed))")
            // A refusal goes straight back: the buyer hears that it is returning, not that it will come again.
            let (refusedOrder, refusedTracking) = try await w.readyOrder()
            let refuser = try #require(refusedOrder["buyer_token"] as? String)
            try await LedgerTests.outForDelivery(w, refusedTracking[0], at: start)
            try await w.scan(
                refusedTracking[0], "delivery_failed", at: start + 200, extra: ["reason_code": "refused"],
                status: .created)
            try await NotificationTests.notifier(api).notifyPending()
            let kinds = try await NotificationTests.inbox(api, refuser).compactMap { $0["kind"] as? String }
            #expect(kinds.contains("package.returning") && !kinds.contains("package.delivery_failed"), "\(kinds)")
            for (token, told) in [(finance, true), (w.clerk, true), (w.world.clerkB, false), (buyer, false)] {
                let inbox = try await NotificationTests.inbox(api, token)
                let note = inbox.first { $0["kind"] as? String == "discrepancy.opened" }
                #expect((note != nil) == told)
                if told {
                    #expect((note?["title"] as? String)?.contains("thiếu 5.000") == true, "\(String(describing: note))")
                    #expect((note?["body"] as? String)?.contains(tracking[1]) == true, "\(String(describing: note))")
                }
            }
        }
    }
}

@Suite("A refund paid is told to its buyer")
struct RefundNotificationTests {
    @Test func theBuyerOfACancelledPaidOrderHearsWhenTheMoneyIsBack() async throws {
        try await withTestApp { api in
            let world = try await ScopeWorld.make(api)
            let package = try await world.refund()
            let finance = world.token(.finance)
            try await world.expect(
                .post, "/v1/finance/refunds/\(package)/paid", finance, json: ["bank_reference": "RF777"], status: .ok)
            try await NotificationTests.notifier(api).notifyPending()
            let refunded = try await NotificationTests.inbox(api, world.buyer).first {
                $0["kind"] as? String == "refund.paid"
            }
            #expect((refunded?["body"] as? String)?.contains("₫") == true, "\(String(describing: refunded))")
            #expect(try await NotificationTests.inbox(api, world.token(.otherBuyer)).isEmpty)
        }
    }
}
