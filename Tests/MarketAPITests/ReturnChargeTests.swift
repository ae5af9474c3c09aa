import Foundation
import HTTPTypes
import Kernel
import Orders
import Testing

@testable import MarketAPI

/// Issue 20, SPEC §5: a returned parcel costs its seller the outbound fee plus the return leg of the
/// tariff version it was priced with, fixed on the package at order time, posted once when it comes back.
@Suite("Return charges: the outbound fee plus the tariff's return leg")
struct ReturnChargeTests {
    @Test func aReturnCostsTheOutboundFeeAndTheLegOfItsTariff() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            var body = ScopeWorld.tariff(from: CalendarDay.today().description)
            body["return_in_province_vnd"] = 12_000
            body["return_beyond_bps"] = 5_000
            let created = try await w.world.expect(
                .post, "/v1/shipping/tariffs", w.world.admin, json: body, status: .created)
            #expect(created.json["return_in_province_vnd"] as? Int == 12_000)
            #expect(created.json["return_beyond_bps"] as? Int == 5_000)
            let tariff = try #require(created.json["id"] as? String)

            let (order, tracking) = try await w.readyOrder()
            let charges = try await api.db.query(
                """
                SELECT tracking_no, shipping_fee_vnd, return_charge_vnd, zone FROM packages
                WHERE order_id = \(UUID(uuidString: try #require(order["id"] as? String))!)
                """
            ).collect().decode((String, Int64, Int64, String).self)
            #expect(charges.count == 2)
            for (_, shipping, charge, zone) in charges {
                #expect(["same_commune", "same_province"].contains(zone))
                #expect(charge == shipping + 12_000)
            }
            // Beyond the province: half the outbound fee, rounded half up, in SQL and in Swift alike.
            let pricedRow = try await api.db.query(
                "SELECT package_return_charge_vnd(\(UUID(uuidString: tariff)!), 'other_region', 30001)"
            ).collect().decode(Int64.self).first
            let priced = try #require(pricedRow)
            var rule = Tariff(
                id: UUID(), effectiveFrom: "2026-01-01", codFeeBps: 0, codFeeMinVND: 0, note: "", rates: [:],
                createdAt: Date())
            rule.returnBeyondBps = 5_000
            rule.returnInProvinceVND = 12_000
            #expect(priced == rule.returnCharge(shippingFeeVND: 30_001, zone: .otherRegion))
            #expect(priced == Int64(30_001 + 15_001))

            // Refused at the door: back to the seller, charged once, the books still balance.
            let start = Date().addingTimeInterval(-3 * 3600)
            _ = try await FailedDeliveryTests.failed(w, tracking[0], "refused", at: start)
            try await w.scan(tracking[0], "returned_to_sender", at: start + 600, status: .created)
            let posted =
                try await api.db.query(
                    """
                    SELECT sum(e.amount_vnd)::int8 FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
                    JOIN ledger_accounts a ON a.id = e.account_id
                    WHERE t.kind = 'return_charge' AND a.kind = 'seller_payable'
                        AND t.package_id = (SELECT id FROM packages WHERE tracking_no = \(tracking[0]))
                    """
                ).collect().decode(Int64?.self).first ?? nil
            let expected = try #require(charges.first { $0.0 == tracking[0] })
            #expect(posted.map(abs) == expected.2)
            try await LedgerTests.ledgerIsClean(api)
        }
    }
}
