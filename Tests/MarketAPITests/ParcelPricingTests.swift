import Foundation
import HTTPTypes
import Kernel
import Testing

@testable import MarketAPI

/// Issue 20: a parcel is priced on the greater of its actual and volumetric weight, declared for its
/// goods' value and insured at the tariff's rate; quote, order and package say so, and the ledger
/// still balances when it is delivered.
@Suite("Parcels priced like a carrier's: chargeable weight, declared value, insurance")
struct ParcelPricingTests {
    @Test func aBulkyInsuredParcelIsPricedOnItsVolumeAndTheBooksBalance() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            var tariff = ScopeWorld.tariff(from: CalendarDay.today().description)
            tariff["insurance_bps"] = 50
            tariff["insurance_min_vnd"] = 5_000
            let created = try await w.world.expect(
                .post, "/v1/shipping/tariffs", w.world.admin, json: tariff, status: .created)
            #expect(created.json["volumetric_divisor"] as? Int == 6_000)
            #expect(created.json["insurance_bps"] as? Int == 50)

            // The producer gives the fish sauce crate's size: 40 × 30 × 30 cm, so 6 kg volumetric.
            let product = try #require(
                try await api.db.query(
                    "SELECT product_id FROM product_variants WHERE id = \(UUID(uuidString: w.fish)!)"
                )
                .collect().decode(UUID.self).first)
            let half = try await api.request(
                .patch, "/v1/products/\(product)/variants/\(w.fish)", token: w.world.producer,
                json: ["length_cm": 40, "width_cm": 30])
            #expect(half.status == .unprocessableContent)
            #expect(half.errorFields == ["length_cm"])
            let sized = try await w.world.expect(
                .patch, "/v1/products/\(product)/variants/\(w.fish)", w.world.producer,
                json: ["length_cm": 40, "width_cm": 30, "height_cm": 30], status: .ok)
            #expect(sized.json["height_cm"] as? Int == 30)

            let quote = try await w.world.expect(
                .post, "/v1/shipping/quote", nil,
                json: [
                    "lines": [["variant_id": w.fish, "quantity": 1]], "payment_method": "cod",
                    "shipping_address": ["province_code": "48", "commune_code": CatalogWorld.communeA],
                ], status: .ok)
            let quoted = try #require((quote.json["packages"] as? [[String: Any]])?.first)
            #expect(quoted["weight_grams"] as? Int == 700)
            #expect(quoted["chargeable_weight_grams"] as? Int == 6_000)
            #expect(quoted["declared_value_vnd"] as? Int == 85_000)
            #expect(quoted["insurance_fee_vnd"] as? Int == 5_000)

            let buyer = try await api.buyerToken()
            let placed = try await OrderTests.order(api, token: buyer, lines: [(w.fish, 1)])
            #expect(placed.status == .created, "\(placed.text)")
            if placed.status != .created { return }
            let package = try #require((placed.json["packages"] as? [[String: Any]])?.first)
            for key in ["chargeable_weight_grams", "declared_value_vnd", "insurance_fee_vnd", "shipping_fee_vnd"] {
                #expect(package[key] as? Int == quoted[key] as? Int, "\(key)")
            }
            let orderID = try #require(placed.json["id"] as? String)
            let read = try await w.world.expect(.get, "/v1/orders/\(orderID)", buyer, status: .ok)
            let readPackage = try #require((read.json["packages"] as? [[String: Any]])?.first)
            #expect(readPackage["chargeable_weight_grams"] as? Int == 6_000)

            // Delivered with its COD (the insurance inside the shipping): the ledger balances.
            let id = try #require(package["id"] as? String)
            try await w.world.expect(.post, "/v1/packages/\(id)/accept", w.world.producer, status: .ok)
            let ready = try await w.world.expect(.post, "/v1/packages/\(id)/ready", w.world.producer, status: .ok)
            let tracking = try #require(ready.json["tracking_no"] as? String)
            try await api.readiedEarlier(tracking)
            var order = placed.json
            order["buyer_token"] = buyer
            let refreshed = try await LedgerTests.refreshed(w, order)
            try await LedgerTests.deliver(w, tracking, order: refreshed, at: Date().addingTimeInterval(-3600))
            try await LedgerTests.ledgerIsClean(api)
        }
    }
}
