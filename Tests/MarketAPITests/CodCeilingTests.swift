import Foundation
import HTTPTypes
import Testing

@testable import MarketAPI

/// Issue 20: a courier collects at most the tariff's ceiling for one parcel (5,000,000 đ by default);
/// a cash-on-delivery order above it is refused before anything is written, naming the seller's
/// parcel, and the same cart paid by transfer goes through.
@Suite("COD ceiling per parcel")
struct CodCeilingTests {
    @Test func aCashOnDeliveryParcelAboveTheCeilingIsRefusedAndNothingIsWritten() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let product = try await world.listed(
                "Trầm hương Quảng Nam", variants: [("TRAM-\(UUID().uuidString.prefix(6))", 2_600_000, 10)])
            let variant = try #require(
                (try await world.expect(.get, "/v1/products/\(product)", nil, status: .ok).json["variants"]
                    as? [[String: Any]])?.first?["id"] as? String)
            let buyer = try await api.buyerToken()
            let one = try await OrderTests.order(api, token: buyer, lines: [(variant, 1)])
            #expect(one.status == .created)
            let two = try await OrderTests.order(api, token: buyer, lines: [(variant, 2)])
            #expect(two.status == .unprocessableContent, "\(two.text)")
            #expect(two.json["type"] as? String == "/problems/cod-ceiling-exceeded")
            #expect((two.json["detail"] as? String)?.contains(world.supplier.lowercased()) == true)
            #expect((two.json["detail"] as? String)?.contains("Trầm hương Quảng Nam") == true)
            let quote = try await api.request(
                .post, "/v1/shipping/quote",
                json: [
                    "lines": [["variant_id": variant, "quantity": 2]], "payment_method": "cod",
                    "shipping_address": ["province_code": "48", "commune_code": CatalogWorld.communeA],
                ])
            #expect(quote.status == .unprocessableContent)
            let orders = try await api.db.query("SELECT count(*) FROM orders").collect().decode(Int.self).first
            #expect(orders == 1)
            #expect(try await OrderTests.stock(api, variant) == 9)
            // By bank transfer the courier carries no cash: the same cart goes through.
            let transfer = try await OrderTests.order(api, token: buyer, lines: [(variant, 2)], method: "bank_transfer")
            #expect(transfer.status == .created, "\(transfer.text)")
        }
    }
}
