import Catalog
import Foundation
import Kernel
import Testing

@testable import MarketAPI

@Suite("Shipping tariff versions and quotes")
struct ShippingTests {
    @Test func quotesSplitPerSupplierWithTheTariffInForce() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let fishSauce = try await world.listed("Nước mắm Cửa Đại", variants: [("NM-500", 85_000, 10)])
            let other = try await api.buyerToken()
            let honeySupplier = try await world.applySupplier(
                other, name: "HTX Mật ong", commune: CatalogWorld.communeA2)
            try await world.expect(.post, "/v1/suppliers/\(honeySupplier)/approve", world.clerkA, status: .ok)
            let honey = try await world.listed(
                "Mật ong rừng", supplier: honeySupplier, token: other, category: "honey",
                variants: [("MO-1", 250_000, 1)])
            let fishVariant = try await Self.variantID(world, fishSauce)
            let honeyVariant = try await Self.variantID(world, honey)
            let body: [String: Any] = [
                "lines": [["variant_id": fishVariant, "quantity": 2], ["variant_id": honeyVariant, "quantity": 3]],
                "shipping_address": ["province_code": "48", "commune_code": CatalogWorld.communeA],
                "payment_method": "cod",
            ]
            let quote = try await world.expect(.post, "/v1/shipping/quote", nil, json: body, status: .ok)
            let packages = try #require(quote.json["packages"] as? [[String: Any]])
            #expect(packages.count == 2)
            // Fish sauce ships within the commune: 1,400 g = 15,000 + 2 × 2,500.
            #expect(packages[0]["zone"] as? String == "same_commune")
            #expect(packages[0]["shipping_fee_vnd"] as? Int == 20_000)
            #expect(packages[0]["cod_amount_vnd"] as? Int == 170_000 + 20_000)
            // Honey comes from another commune of the province; only 1 in stock, which the quote says.
            #expect(packages[1]["zone"] as? String == "same_province")
            #expect(((packages[1]["lines"] as? [[String: Any]])?.first?["in_stock"]) as? Bool == false)
            #expect(quote.json["items_total_vnd"] as? Int == 170_000 + 750_000)
            let grand = try #require(quote.json["grand_total_vnd"] as? Int)
            #expect(grand == packages.reduce(0) { $0 + ($1["cod_amount_vnd"] as? Int ?? 0) })

            // A new version from today prices the next quote; the old one stays as it was.
            let today = CalendarDay.today().description
            let admin = world.admin
            var rates: [[String: Any]] = []
            for (zone, first) in [
                ("same_commune", 11_000), ("same_province", 12_000), ("same_region", 13_000), ("other_region", 14_000),
            ] {
                rates.append([
                    "zone": zone, "first_grams": 1000, "first_fee_vnd": first, "step_grams": 1000,
                    "step_fee_vnd": 1_000,
                ])
            }
            let tariff: [String: Any] = [
                "effective_from": today, "cod_fee_bps": 100, "cod_fee_min_vnd": 5_000, "rates": rates,
            ]
            try await world.expect(.post, "/v1/shipping/tariffs", world.producer, json: tariff, status: .forbidden)
            try await world.expect(.post, "/v1/shipping/tariffs", admin, json: tariff, status: .created)
            try await world.expect(.post, "/v1/shipping/tariffs", admin, json: tariff, status: .conflict)
            let repriced = try await world.expect(.post, "/v1/shipping/quote", nil, json: body, status: .ok)
            #expect(((repriced.json["packages"] as? [[String: Any]])?.first?["shipping_fee_vnd"]) as? Int == 12_000)
            let list = try await world.expect(.get, "/v1/shipping/tariffs", nil, status: .ok)
            #expect((list.json["items"] as? [Any])?.count == 2)
            var past = tariff
            past["effective_from"] = "2024-01-01"
            let refused = try await api.request(.post, "/v1/shipping/tariffs", token: admin, json: past)
            #expect(refused.errorFields == ["effective_from"])
            // History is kept by the database too.
            await #expect(throws: (any Error).self) {
                try await api.db.query("UPDATE shipping_rates SET first_fee_vnd = 1")
            }
        }
    }

    @Test func badQuotesNameTheLine() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let draft = try await world.draft("Bánh tráng nháp", category: "processed-food")
            let variant = try await Self.variantID(world, draft, token: world.producer)
            let reply = try await api.request(
                .post, "/v1/shipping/quote",
                json: [
                    "lines": [
                        ["variant_id": variant, "quantity": 1], ["variant_id": UUID().uuidString, "quantity": 1],
                    ],
                    "shipping_address": ["province_code": "01", "commune_code": CatalogWorld.communeA],
                    "payment_method": "cod",
                ])
            #expect(reply.status == .unprocessableContent)
            #expect(reply.errorFields == ["shipping_address.commune_code"])
            let lines = try await api.request(
                .post, "/v1/shipping/quote",
                json: [
                    "lines": [
                        ["variant_id": variant, "quantity": 1], ["variant_id": UUID().uuidString, "quantity": 1],
                    ],
                    "shipping_address": ["province_code": "48", "commune_code": CatalogWorld.communeA],
                    "payment_method": "cod",
                ])
            #expect(lines.errorFields == ["lines[0].variant_id", "lines[1].variant_id"])
            let quantity = try await api.request(
                .post, "/v1/shipping/quote",
                json: [
                    "lines": [["variant_id": variant, "quantity": 1000]],
                    "shipping_address": ["province_code": "48", "commune_code": CatalogWorld.communeA],
                    "payment_method": "cod",
                ])
            #expect(quantity.errorFields == ["lines[0].quantity"])
        }
    }

    static func variantID(_ world: CatalogWorld, _ product: String, token: String? = nil) async throws -> String {
        let reply = try await world.expect(.get, "/v1/products/\(product)", token, status: .ok)
        return try #require((reply.json["variants"] as? [[String: Any]])?.first?["id"] as? String)
    }
}
