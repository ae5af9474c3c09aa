import Foundation
import HTTPTypes
import Kernel
import Testing

@testable import MarketAPI
@testable import MarketWeb

/// Issue 20, SPEC §5: a parcel weighed, measured and declared when it is packed, priced like a carrier
/// prices it; the buyer's price stands and the seller pays what the packed parcel costs beyond it.
@Suite("Packed parcels: measured size, declared value, the seller's surcharge")
struct MeasuredParcelTests {
    /// A COD order of one fish sauce and one honey, both accepted; the fish package's id and the buyer's token.
    static func accepted(_ w: LogisticsWorld) async throws -> (order: [String: Any], fish: String, buyer: String) {
        let buyer = try await w.api.buyerToken()
        let placed = try await OrderTests.order(w.api, token: buyer, lines: [(w.fish, 1), (w.honey, 1)])
        guard placed.status == .created else { throw TestFailure("order: \(placed.status) \(placed.text)") }
        var fish = ""
        for package in placed.json["packages"] as? [[String: Any]] ?? [] {
            let id = try #require(package["id"] as? String)
            let mine = (package["supplier_id"] as? String) == w.world.supplier
            try await w.world.expect(
                .post, "/v1/packages/\(id)/accept", mine ? w.world.producer : w.honeyProducer, status: .ok)
            if mine { fish = id }
        }
        var order = placed.json
        order["buyer_token"] = buyer
        return (order, fish, buyer)
    }

    /// The fish seller's payable (0 before its account exists).
    static func payable(_ w: LogisticsWorld) async throws -> Int {
        try await OrderTests.count(
            w.api,
            """
            SELECT COALESCE((SELECT -balance_vnd FROM ledger_accounts
                WHERE kind = 'seller_payable' AND owner_id = '\(w.world.supplier)'), 0)::int
            """)
    }

    @Test func aBulkyParcelIsChargedOnItsVolumeToTheSellerNotTheBuyer() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            // A tariff version from today insures 0.5 % of the declared value, at least 5,000 đ.
            var tariff = ScopeWorld.tariff(from: CalendarDay.today().description)
            tariff["insurance_bps"] = 50
            tariff["insurance_min_vnd"] = 5_000
            try await w.world.expect(.post, "/v1/shipping/tariffs", w.world.admin, json: tariff, status: .created)

            // Bad measurements are refused whole: the package stays accepted, with no number.
            let (order, fish, buyer) = try await Self.accepted(w)
            let goods = try #require(
                (order["packages"] as? [[String: Any]])?.first { $0["id"] as? String == fish }?["items_total_vnd"]
                    as? Int)
            for (body, field) in [
                (["length_cm": 40, "width_cm": 30] as [String: Any], "length_cm"),
                (["declared_value_vnd": goods - 1], "declared_value_vnd"),
                (["weight_grams": 0], "weight_grams"),
            ] {
                let refused = try await api.request(
                    .post, "/v1/packages/\(fish)/ready", token: w.world.producer, json: body)
                #expect(refused.status.code == 422 && refused.text.contains(field), "\(body): \(refused.text)")
            }
            let still = try await w.world.expect(.get, "/v1/orders/\(order["id"] as? String ?? "")", buyer, status: .ok)
            let unchanged = try #require(
                (still.json["packages"] as? [[String: Any]])?.first { $0["id"] as? String == fish })
            #expect(unchanged["status"] as? String == "accepted" && unchanged["tracking_no"] == nil)

            // 40 × 30 × 30 cm weighs 6 kg by volume; declared for 3,000,000 đ.
            let ready = try await w.world.expect(
                .post, "/v1/packages/\(fish)/ready", w.world.producer,
                json: [
                    "weight_grams": 800, "length_cm": 40, "width_cm": 30, "height_cm": 30,
                    "declared_value_vnd": 3_000_000,
                ],
                status: .ok)
            #expect(ready.json["chargeable_weight_grams"] as? Int == 6_000)
            #expect(ready.json["packed_weight_grams"] as? Int == 800)
            #expect(ready.json["packed_size_cm"] as? [Int] == [40, 30, 30])
            #expect(ready.json["declared_value_vnd"] as? Int == 3_000_000)
            #expect(ready.json["insurance_fee_vnd"] as? Int == 15_000)
            let surcharge = try #require(ready.json["seller_surcharge_vnd"] as? Int)
            #expect(surcharge > 0)
            // The buyer's price and cash to collect are what was ordered.
            #expect(ready.json["shipping_fee_vnd"] as? Int == unchanged["shipping_fee_vnd"] as? Int)
            #expect(ready.json["cod_amount_vnd"] as? Int == unchanged["cod_amount_vnd"] as? Int)
            let tracking = try #require(ready.json["tracking_no"] as? String)
            try await api.readiedEarlier(tracking)

            // The pickup sheet shows what it is charged on and declared for.
            try await w.world.expect(
                .post, "/v1/post-offices/\(w.office)/pickup-schedules", w.clerk,
                json: ["service_on": LogisticsWorld.today, "shift": "afternoon"], status: .created)
            let sheet = try await w.world.expect(
                .get, "/v1/couriers/\(w.couriers[0].id)/manifests/\(LogisticsWorld.today)", w.couriers[0].token,
                status: .ok)
            let onSheet = ComplaintRoundTests.items(sheet.json, tracking).first?.parcel
            #expect(onSheet?["chargeable_weight_grams"] as? Int == 6_000)
            #expect(onSheet?["declared_value_vnd"] as? Int == 3_000_000)

            // Delivered: the seller's share is what an unmeasured twin earns, less the surcharge.
            var fresh = try await LedgerTests.refreshed(w, order)
            let before = try await Self.payable(w)
            try await LedgerTests.deliver(w, tracking, order: fresh, at: Date().addingTimeInterval(-3600))
            let measuredShare = try await Self.payable(w) - before
            let (twinOrder, twin, _) = try await Self.accepted(w)
            let twinReady = try await w.world.expect(.post, "/v1/packages/\(twin)/ready", w.world.producer, status: .ok)
            #expect(twinReady.json["seller_surcharge_vnd"] as? Int == 0)
            let twinTracking = try #require(twinReady.json["tracking_no"] as? String)
            try await api.readiedEarlier(twinTracking)
            fresh = try await LedgerTests.refreshed(w, twinOrder)
            let between = try await Self.payable(w)
            try await LedgerTests.deliver(w, twinTracking, order: fresh, at: Date().addingTimeInterval(-3600))
            let twinShare = try await Self.payable(w) - between
            #expect(twinShare - measuredShare == surcharge)
            try await LedgerTests.ledgerIsClean(api)
        }
    }
}

extension MeasuredParcelTests {
    @Test func theSellerWeighsAndMeasuresOnTheReadyForm() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let (_, fish, _) = try await Self.accepted(w)
            let seller = try await SellerTests.signedIn(api, token: w.world.producer)
            let shop = "/gian-hang/\(w.world.supplier.lowercased())"
            let list = try await seller.send(.get, shop + "?trang-thai=accepted")
            #expect(list.text.contains("name=\"khoi-luong\"") && list.text.contains("Giá trị khai giá"))
            let csrf = ConsoleTests.Browser.csrf(list) ?? ""
            // Not a number, or only two sides: refused, the package still waits to be packed.
            let typo = try await seller.send(
                .post, "/gian-hang/kien-hang/\(fish)/san-sang", form: ["csrf": csrf, "khoi-luong": "1,2kg"])
            #expect(typo.status.code == 422)
            let half = try await seller.send(
                .post, "/gian-hang/kien-hang/\(fish)/san-sang", form: ["csrf": csrf, "dai": "40", "rong": "30"])
            #expect(half.status.code == 422)
            #expect(
                try await OrderTests.count(
                    api, "SELECT count(*)::int FROM packages WHERE id = '\(fish)' AND status = 'accepted'") == 1)
            let ready = try await seller.send(
                .post, "/gian-hang/kien-hang/\(fish)/san-sang",
                form: ["csrf": csrf, "khoi-luong": "800", "dai": "40", "rong": "30", "cao": "30", "khai-gia": ""])
            #expect(ready.status == .seeOther)
            let packed = try await seller.send(.get, shop + "?trang-thai=ready_for_pickup")
            #expect(packed.text.contains("bạn trả thêm") && packed.text.contains("6 kg"))
            #expect(
                try await OrderTests.count(
                    api,
                    """
                    SELECT count(*)::int FROM packages WHERE id = '\(fish)' AND chargeable_weight_grams = 6000
                        AND length_cm = 40 AND seller_surcharge_vnd > 0
                    """) == 1)
        }
    }
}
