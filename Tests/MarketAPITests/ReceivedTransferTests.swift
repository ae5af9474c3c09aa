import Foundation
import Kernel
import Logistics
import Testing

@testable import MarketAPI

/// Issue 16, SPEC §6: a signed transfer with the wrong amount, or one arriving after its order was
/// cancelled, was only stored: no ledger entry, nothing for finance, and the ledger check said all was
/// well. Every transfer is now booked as it arrives; finance applies it or pays it back.
@Suite("Received transfers: booked on arrival, applied or paid back by finance, proven by the ledger check")
struct ReceivedTransferTests {
    static func balance(_ api: TestAPI, _ kind: String) async throws -> Int64 {
        try await api.db.query("SELECT COALESCE(sum(balance_vnd), 0)::int8 FROM ledger_accounts WHERE kind = \(kind)")
            .decode(Int64.self).reduce(0, +)
    }

    @Test func aShortTransferIsHeldUntilTheRestArrivesThenApplied() async throws {
        try await withTestApp { api in
            let (world, fish, _, _) = try await OrderTests.shop(api)
            let finance = try await world.financeToken()
            let buyer = try await api.buyerToken()
            let placed = try await OrderTests.order(api, token: buyer, lines: [(fish, 2)], method: "bank_transfer")
            let number = try #require(placed.json["number"] as? String)
            let total = try #require(placed.json["grand_total_vnd"] as? Int)
            let orderID = try #require(placed.json["id"] as? String)

            let short = try await PaymentTests.notify(api, event: "t-short", order: number, amount: total - 5_000)
            #expect(short.json["outcome"] as? String == "amount_mismatch")
            // On the books at once: the bank holds it, suspense owes it.
            #expect(try await Self.balance(api, "bank_clearing") == Int64(total - 5_000))
            #expect(try await Self.balance(api, "unapplied_receipts") == -Int64(total - 5_000))
            try await LedgerTests.ledgerIsClean(api)
            let open = try await world.expect(.get, "/v1/finance/payment-receipts?status=open", finance, status: .ok)
            let items = open.json["items"] as? [[String: Any]] ?? []
            #expect(items.count == 1)
            #expect(items.first?["outcome"] as? String == "amount_mismatch")
            let receipt = try #require(items.first?["id"] as? String)
            try await world.expect(.get, "/v1/finance/payment-receipts", buyer, status: .forbidden)

            // Short by 5,000 đ: cannot pay the order yet.
            let early = try await world.expect(
                .post, "/v1/finance/payment-receipts/\(receipt)/apply", finance, status: .conflict)
            #expect(early.json["type"] as? String == "/problems/receipts-do-not-add-up")
            // The buyer sends the rest; both together pay the order exactly.
            let rest = try await PaymentTests.notify(api, event: "t-rest", order: number, amount: 5_000)
            #expect(rest.json["outcome"] as? String == "amount_mismatch")
            let applied = try await world.expect(
                .post, "/v1/finance/payment-receipts/\(receipt)/apply", finance, status: .ok)
            #expect(applied.json["status"] as? String == "applied")
            let order = try await world.expect(.get, "/v1/orders/\(orderID)", buyer, status: .ok)
            #expect(order.json["status"] as? String == "placed")
            #expect(try await Self.balance(api, "unapplied_receipts") == 0)
            #expect(try await Self.balance(api, "buyer_prepayments") == -Int64(total))
            #expect(try await Self.balance(api, "bank_clearing") == Int64(total))
            let after = try await world.expect(
                .get, "/v1/finance/payment-receipts?status=applied", finance, status: .ok)
            #expect((after.json["items"] as? [[String: Any]])?.count == 2)
            try await world.expect(.post, "/v1/finance/payment-receipts/\(receipt)/apply", finance, status: .conflict)
            try await LedgerTests.ledgerIsClean(api)
        }
    }

    @Test func aLateOrUnknownTransferIsPaidBackOnce() async throws {
        try await withTestApp { api in
            let (world, fish, _, _) = try await OrderTests.shop(api)
            let finance = try await world.financeToken()
            let buyer = try await api.buyerToken()
            let placed = try await OrderTests.order(api, token: buyer, lines: [(fish, 1)], method: "bank_transfer")
            let number = try #require(placed.json["number"] as? String)
            let total = try #require(placed.json["grand_total_vnd"] as? Int)
            let orderID = try #require(placed.json["id"] as? String)
            try await world.expect(.post, "/v1/orders/\(orderID)/cancel", buyer, status: .ok)

            let late = try await PaymentTests.notify(api, event: "t-late", order: number, amount: total)
            #expect(late.json["outcome"] as? String == "not_awaiting_payment")
            let unknown = try await PaymentTests.notify(
                api, event: "t-unknown", order: "DH000000000000", amount: 70_000)
            #expect(unknown.json["outcome"] as? String == "unknown_order")
            #expect(try await Self.balance(api, "unapplied_receipts") == -Int64(total + 70_000))
            try await LedgerTests.ledgerIsClean(api)

            let open = try await world.expect(.get, "/v1/finance/payment-receipts?status=open", finance, status: .ok)
            let items = open.json["items"] as? [[String: Any]] ?? []
            let lateID = try #require(items.first { $0["event_id"] as? String == "t-late" }?["id"] as? String)
            let unknownID = try #require(items.first { $0["event_id"] as? String == "t-unknown" }?["id"] as? String)
            let cancelled = try await world.expect(
                .post, "/v1/finance/payment-receipts/\(lateID)/apply", finance, status: .conflict)
            #expect(cancelled.json["type"] as? String == "/problems/order-not-awaiting-payment")
            let orphan = try await world.expect(
                .post, "/v1/finance/payment-receipts/\(unknownID)/apply", finance, status: .conflict)
            #expect(orphan.json["type"] as? String == "/problems/receipt-has-no-order")
            try await world.expect(
                .post, "/v1/finance/payment-receipts/\(lateID)/refund", finance, json: ["reason": "  "],
                status: .unprocessableContent)

            let owed = try await world.expect(
                .post, "/v1/finance/payment-receipts/\(lateID)/refund", finance,
                json: ["reason": "Đơn đã huỷ trước khi tiền về"], status: .ok)
            #expect(owed.json["status"] as? String == "refund_owed")
            try await world.expect(
                .post, "/v1/finance/payment-receipts/\(lateID)/refund", finance, json: ["reason": "lần nữa"],
                status: .conflict)
            // It joins the refunds owed, next to the packages' own.
            let refunds = try await world.expect(.get, "/v1/finance/refunds?status=owed", finance, status: .ok)
            let listed = (refunds.json["items"] as? [[String: Any]] ?? []).first {
                $0["receipt_id"] as? String == lateID
            }
            #expect(listed?["amount_vnd"] as? Int == total)
            #expect(try await Self.balance(api, "refunds_payable") == -Int64(total))

            let paid = try await world.expect(
                .post, "/v1/finance/payment-receipts/\(lateID)/refund-paid", finance,
                json: ["bank_reference": "FT26340HOANTIEN"], status: .ok)
            #expect(paid.json["status"] as? String == "refunded")
            #expect(paid.json["refund_reference"] as? String == "FT26340HOANTIEN")
            try await world.expect(
                .post, "/v1/finance/payment-receipts/\(lateID)/refund-paid", finance,
                json: ["bank_reference": "FT26340LAI"], status: .conflict)
            #expect(try await Self.balance(api, "refunds_payable") == 0)
            #expect(try await Self.balance(api, "unapplied_receipts") == -70_000)
            try await LedgerTests.ledgerIsClean(api)

            // A transfer that never reached the books is what the check exists to catch.
            try await api.db.query(
                """
                INSERT INTO payment_notifications (event_id, order_number, amount_vnd, sent_at, outcome)
                VALUES ('t-unbooked', 'DH000000000001', 12000, now(), 'unknown_order')
                """)
            let findings = try await LedgerCheck(db: Database(api.db), logger: testLogger).run()
            let problems = findings.flatMap(\.problems)
            #expect(problems.contains { $0.contains("t-unbooked") })
        }
    }
}
