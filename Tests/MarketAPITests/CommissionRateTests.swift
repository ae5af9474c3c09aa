import Catalog
import Foundation
import HTTPTypes
import Logistics
import PostgresNIO
import Testing

@testable import MarketAPI

@Suite("Commission rates: set by finance, copied onto each order line")
struct CommissionRateTests {
    @Test func aSupplierOverrideAppliesToLaterOrdersOnly() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let finance = try await LedgerTests.financeToken(w)
            let buyer = try await api.buyerToken()
            try await w.world.expect(
                .put, "/v1/finance/commission-rates/suppliers/\(w.world.supplier)", w.world.producer,
                json: ["commission_bps": 0], status: .forbidden)
            try await w.world.expect(
                .put, "/v1/finance/commission-rates/suppliers/\(w.world.supplier)", finance,
                json: ["commission_bps": 10_001], status: .unprocessableContent)
            let before = try await OrderTests.order(api, token: buyer, lines: [(w.fish, 1)])
            #expect(before.status == .created)
            let set = try await w.world.expect(
                .put, "/v1/finance/commission-rates/suppliers/\(w.world.supplier)", finance,
                json: ["commission_bps": 1_000], status: .ok)
            #expect(set.json["commission_bps"] as? Int == 1_000)
            let after = try await OrderTests.order(api, token: buyer, lines: [(w.fish, 1)])
            let rates = try await api.db.query(
                "SELECT o.number, l.commission_bps FROM order_lines l JOIN orders o ON o.id = l.order_id")
            var byOrder: [String: Int] = [:]
            for try await (number, bps) in rates.decode((String, Int).self) { byOrder[number] = bps }
            #expect(byOrder[before.json["number"] as? String ?? ""] == 500)
            #expect(byOrder[after.json["number"] as? String ?? ""] == 1_000)
            let cleared = try await w.world.expect(
                .delete, "/v1/finance/commission-rates/suppliers/\(w.world.supplier)", finance, status: .ok)
            #expect(cleared.json["commission_bps"] == nil)
            try await w.world.expect(
                .put, "/v1/finance/commission-rates/categories/honey", finance, json: ["commission_bps": 300],
                status: .ok)
            let list = try await w.world.expect(.get, "/v1/finance/commission-rates", finance, status: .ok)
            let honey = (list.json["items"] as? [[String: Any]] ?? []).first { $0["key"] as? String == "honey" }
            #expect(honey?["commission_bps"] as? Int == 300)
            try await w.world.expect(
                .put, "/v1/finance/commission-rates/categories/no-such", finance, json: ["commission_bps": 300],
                status: .notFound)

            // Without a seller rate, a line takes its category's, else its group's (fish sauce: the
            // seasonings sub-category has none, food has 5 %). Each package keeps its shipping fee as
            // the charge for a return.
            let mixed = try await OrderTests.order(api, token: buyer, lines: [(w.fish, 1), (w.honey, 1)])
            #expect(mixed.status == .created)
            let lines = try await api.db.query(
                """
                SELECT l.sku, l.commission_bps, p.return_charge_vnd = p.shipping_fee_vnd AND p.shipping_fee_vnd > 0
                FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN packages p ON p.id = l.package_id
                WHERE o.number = \(mixed.json["number"] as? String ?? "")
                """)
            var rateOf: [Int] = []
            for try await (_, bps, charged) in lines.decode((String, Int, Bool).self) {
                rateOf.append(bps)
                #expect(charged)
            }
            #expect(rateOf.sorted() == [300, 500])
        }
    }
}
