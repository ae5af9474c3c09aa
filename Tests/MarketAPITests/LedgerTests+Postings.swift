import Catalog
import Foundation
import HTTPTypes
import Kernel
import Logistics
import PostgresNIO
import Testing

@testable import MarketAPI

/// Postings: one per parcel whatever the scans, prepaid orders, and who may move money.
extension LedgerTests {
    @Test func prepaidOrdersGoThroughTheSameBooks() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let (order, tracking) = try await w.readyOrderPaid()
            #expect(
                try await OrderTests.count(
                    api, "SELECT count(*)::int FROM ledger_transactions WHERE kind = 'prepayment'")
                    == 1)
            var fresh = try await w.world.expect(
                .get, "/v1/orders/\(order["id"] as? String ?? "")", w.world.admin, status: .ok
            ).json
            fresh["buyer_token"] = ""
            for number in tracking {
                try await Self.outForDelivery(w, number, at: Date().addingTimeInterval(-3600))
                try await w.scan(
                    number, "delivered", at: Date().addingTimeInterval(-1800),
                    extra: [
                        "cod_collected_vnd": 0, "recipient_name": "Nguyễn Thị Mai",
                        "delivery_code": fresh["delivery_code"] as? String ?? "",
                    ], status: .created)
            }
            #expect(
                try await OrderTests.count(
                    api, "SELECT count(*)::int FROM ledger_transactions WHERE kind = 'prepaid_delivery'") == 2)
            // Money held for the buyer is all released to the books once both parcels arrived.
            #expect(
                try await OrderTests.count(
                    api,
                    "SELECT COALESCE(sum(balance_vnd), 0)::int FROM ledger_accounts WHERE kind = 'buyer_prepayments'")
                    == 0)
            // A paid order cancelled before pickup owes the buyer its money back.
            let buyer = try await api.buyerToken()
            let placed = try await OrderTests.order(api, token: buyer, lines: [(w.fish, 1)], method: "bank_transfer")
            let number = try #require(placed.json["number"] as? String)
            let total = try #require(placed.json["grand_total_vnd"] as? Int)
            _ = try await PaymentTests.notify(api, event: UUID().uuidString, order: number, amount: total)
            try await w.world.expect(
                .post, "/v1/orders/\(placed.json["id"] as? String ?? "")/cancel", buyer, status: .ok)
            #expect(
                try await OrderTests.count(
                    api, "SELECT (-balance_vnd)::int FROM ledger_accounts WHERE kind = 'refunds_payable'") == total)
            // Finance pays it back once; the refunds account is then square.
            let finance = try await Self.financeToken(w)
            let owed = try await w.world.expect(.get, "/v1/finance/refunds?status=owed", finance, status: .ok)
            let refund = try #require((owed.json["items"] as? [[String: Any]])?.first)
            #expect(refund["amount_vnd"] as? Int == total)
            #expect(refund["order_number"] as? String == number)
            let package = try #require(refund["package_id"] as? String)
            let paid = try await w.world.expect(
                .post, "/v1/finance/refunds/\(package)/paid", finance, json: ["bank_reference": "RF001"], status: .ok)
            #expect(paid.json["status"] as? String == "paid")
            try await w.world.expect(
                .post, "/v1/finance/refunds/\(package)/paid", finance, json: ["bank_reference": "RF002"],
                status: .conflict)
            try await w.world.expect(
                .post, "/v1/finance/refunds/\(UUID().uuidString)/paid", finance, json: ["bank_reference": "RF3"],
                status: .notFound)
            let balances = try await w.world.expect(
                .get, "/v1/finance/accounts?kind=refunds_payable", finance, status: .ok)
            #expect((balances.json["items"] as? [[String: Any]])?.first?["balance_vnd"] as? Int == 0)
            try await w.world.expect(.get, "/v1/finance/accounts", w.clerk, status: .forbidden)
            try await Self.ledgerIsClean(api)
        }
    }

    @Test func onlyFinanceMovesMoney() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let cutoff = ISO8601DateFormatter().string(from: Date().addingTimeInterval(2))
            for token in [w.clerk, w.couriers[0].token, w.world.producer] {
                try await w.world.expect(
                    .post, "/v1/remittances", token, json: ["cutoff_at": cutoff], status: .forbidden)
            }
            try await w.world.expect(
                .post, "/v1/cod/handovers", w.world.clerkB, json: ["courier_id": w.couriers[0].id, "counted_vnd": 0],
                status: .notFound)
            let finance = try await Self.financeToken(w)
            let bad = try await api.request(
                .post, "/v1/finance/bank-statements", token: finance, raw: "bank_reference,amount_vnd\nFT1,abc\n",
                headers: [.contentType: "text/csv"])
            #expect(bad.status == .unprocessableContent)
            try await w.world.expect(
                .post, "/v1/remittances", finance, json: ["cutoff_at": cutoff], status: .conflict)
        }
    }
}
