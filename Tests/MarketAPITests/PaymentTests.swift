import Catalog
import Foundation
import HTTPTypes
import Kernel
import Orders
import PostgresNIO
import Testing

@testable import MarketAPI

@Suite("Bank transfers: signed notifications confirm once; unpaid orders are released once")
struct PaymentTests {
    static let signature = HTTPField.Name("X-Signature")!

    static func notify(
        _ api: TestAPI, event: String, order: String, amount: Int, sentAt: Date = Date(),
        secret: String = "test-payment-secret", tamper: Bool = false
    ) async throws -> TestAPI.Reply {
        let formatter = ISO8601DateFormatter()
        let body = """
            {"event_id":"\(event)","order_number":"\(order)","amount_vnd":\(amount),"sent_at":"\(formatter.string(from: sentAt))","bank_reference":"FT26331\(event.prefix(4))"}
            """
        let signature = PaymentSignature.sign(Data(body.utf8), secret: secret)
        let sent = tamper ? body.replacingOccurrences(of: "\(amount)", with: "\(amount + 1)") : body
        return try await api.request(
            .post, "/v1/payments/notifications", raw: sent, headers: [Self.signature: signature])
    }

    @Test func signedNotificationsConfirmOnce() async throws {
        try await withTestApp { api in
            let (world, fish, _, _) = try await OrderTests.shop(api)
            let buyer = try await api.buyerToken()
            let placed = try await OrderTests.order(api, token: buyer, lines: [(fish, 2)], method: "bank_transfer")
            let number = try #require(placed.json["number"] as? String)
            let total = try #require(placed.json["grand_total_vnd"] as? Int)
            let id = try #require(placed.json["id"] as? String)

            // Forged (signed with another secret, or body changed after signing) and stale: refused, nothing kept.
            #expect(
                try await Self.notify(api, event: "e-forged", order: number, amount: total, secret: "guess").status
                    == .unauthorized)
            #expect(
                try await Self.notify(api, event: "e-tamper", order: number, amount: total, tamper: true).status
                    == .unauthorized)
            let stale = try await Self.notify(
                api, event: "e-old", order: number, amount: total, sentAt: Date().addingTimeInterval(-3600))
            #expect(stale.status == .unauthorized)
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM payment_notifications") == 0)

            // The wrong amount is recorded and flagged, not confirmed.
            let short = try await Self.notify(api, event: "e-short", order: number, amount: total - 1_000)
            #expect(short.json["outcome"] as? String == "amount_mismatch")
            #expect(
                try await world.expect(.get, "/v1/orders/\(id)", buyer, status: .ok).json["status"] as? String
                    == "awaiting_payment")

            let paid = try await Self.notify(api, event: "e-paid", order: number, amount: total)
            #expect(paid.status == .ok)
            #expect(paid.json["outcome"] as? String == "confirmed")
            let order = try await world.expect(.get, "/v1/orders/\(id)", buyer, status: .ok)
            #expect(order.json["status"] as? String == "placed")
            #expect(((order.json["packages"] as? [[String: Any]])?.first?["status"]) as? String == "new")

            // A replay of the same event changes nothing; a second payment is flagged.
            let replay = try await Self.notify(api, event: "e-paid", order: number, amount: total)
            #expect(replay.json["outcome"] as? String == "duplicate")
            let again = try await Self.notify(api, event: "e-paid-2", order: number, amount: total)
            #expect(again.json["outcome"] as? String == "not_awaiting_payment")
            let unknown = try await Self.notify(api, event: "e-unknown", order: "DH000000000000", amount: total)
            #expect(unknown.json["outcome"] as? String == "unknown_order")
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM payment_notifications") == 4)
            let events =
                "SELECT count(*)::int FROM outbox "
                + "WHERE topic IN ('order.created', 'order.placed', 'package.new')"
            #expect(try await OrderTests.count(api, events) == 3)
        }
    }

    @Test func unpaidOrdersAreReleasedOnceByConcurrentWorkers() async throws {
        try await withTestApp { api in
            let (_, fish, honey, _) = try await OrderTests.shop(api, fishStock: 10, honeyStock: 10)
            let buyer = try await api.buyerToken()
            var numbers: [String] = []
            for _ in 0..<6 {
                let placed = try await OrderTests.order(
                    api, token: buyer, lines: [(fish, 1), (honey, 1)], method: "bank_transfer")
                numbers.append(try #require(placed.json["number"] as? String))
            }
            let paidTotal = try await OrderTests.count(
                api, "SELECT grand_total_vnd::int FROM orders WHERE number = '\(numbers[0])'")
            _ = try await Self.notify(api, event: "paid-first", order: numbers[0], amount: paidTotal)
            #expect(try await OrderTests.stock(api, fish) == 4)
            // Time is up for all of them (only the unpaid ones are due).
            try await api.db.query("UPDATE orders SET payment_due_at = now() - interval '1 minute'")
            let service = OrderService(db: Database(api.db), logger: testLogger)
            let released = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<2 {
                    group.addTask { try await service.releaseUnpaid(limit: 3) + service.releaseUnpaid(limit: 3) }
                }
                return try await group.reduce(0, +)
            }
            #expect(released == 5)
            #expect(try await service.releaseUnpaid() == 0)
            #expect(try await OrderTests.stock(api, fish) == 9)
            #expect(try await OrderTests.stock(api, honey) == 9)
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM orders WHERE status = 'expired'") == 5)
            // Keys are kept at least a day; older ones go.
            try await api.db.query("UPDATE idempotency_keys SET created_at = now() - interval '49 hours'")
            #expect(try await service.purgeIdempotencyKeys(olderThanHours: 48) == 6)
            #expect(try await service.purgeIdempotencyKeys(olderThanHours: 48) == 0)
            // Paying an expired order is recorded, flagged and changes nothing.
            let late = try await Self.notify(api, event: "late", order: numbers[1], amount: paidTotal)
            #expect(late.json["outcome"] as? String == "not_awaiting_payment")
            #expect(try await OrderTests.stock(api, fish) == 9)
        }
    }
}
