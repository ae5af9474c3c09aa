import Foundation
import Kernel
import Logistics
import Testing

@testable import MarketAPI

/// Issue 20: tracking numbers come from the block VNPost allocated, set in the configuration; a
/// number is never issued twice, also when the configuration is applied again or changes.
@Suite("S10 numbers from the configured series")
struct S10SeriesConfigTests {
    @Test func parcelsAreNumberedFromTheConfiguredBlockAndNeverTwice() async throws {
        try await withTestApp { api in
            let store = S10SeriesStore(db: Database(api.db), logger: testLogger)
            let cod = S10Series(purpose: .cashOnDelivery, service: "CP", first: 42_000_000, last: 42_000_002)
            try await store.apply([cod])
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let (_, first) = try await w.readyOrder()
            #expect(first.map { String($0.prefix(10)) } == ["CP42000000", "CP42000001"])
            #expect(first.allSatisfy { (try? S10(parsing: $0)) != nil })
            // Applied again at the next start: the next number does not move back.
            try await store.apply([cod])
            let buyer = try await api.buyerToken()
            let placed = try await OrderTests.order(api, token: buyer, lines: [(w.fish, 1)])
            let package = try #require((placed.json["packages"] as? [[String: Any]])?.first?["id"] as? String)
            try await w.world.expect(.post, "/v1/packages/\(package)/accept", w.world.producer, status: .ok)
            let third = try await w.world.expect(.post, "/v1/packages/\(package)/ready", w.world.producer, status: .ok)
            #expect((third.json["tracking_no"] as? String)?.hasPrefix("CP42000002") == true)
            // The block is used up: a clear conflict, and the package stays as it was.
            let another = try await OrderTests.order(api, token: buyer, lines: [(w.fish, 1)])
            let next = try #require((another.json["packages"] as? [[String: Any]])?.first?["id"] as? String)
            try await w.world.expect(.post, "/v1/packages/\(next)/accept", w.world.producer, status: .ok)
            let refused = try await api.request(.post, "/v1/packages/\(next)/ready", token: w.world.producer)
            #expect(refused.status == .conflict)
            #expect(refused.json["type"] as? String == "/problems/s10-series-exhausted")
            let status = try await api.db.query("SELECT status FROM packages WHERE id = \(UUID(uuidString: next)!)")
                .collect().decode(String.self).first
            #expect(status == "accepted")
            // Prepaid parcels still come from their own series.
            let series = try await api.db.query("SELECT service FROM s10_series WHERE purpose = 'prepaid'")
                .collect().decode(String.self)
            #expect(series == ["EP"])
        }
    }

    @Test func aBadSeriesStopsTheServiceFromStarting() {
        for (name, value) in [
            ("S10_SERIES_COD", "RR:10000000-19999999"), ("S10_SERIES_PREPAID", "EP:5-6"), ("S10_SERIES_COD", "JA"),
        ] {
            #expect(throws: (any Error).self, "\(name)=\(value)") {
                try AppConfig.fromEnvironment([name: value])
            }
        }
        #expect(throws: (any Error).self) {
            try AppConfig.fromEnvironment(["S10_SERIES_COD": "EC", "S10_SERIES_PREPAID": "EC:10000000-19999999"])
        }
        let config = try? AppConfig.fromEnvironment(["S10_SERIES_COD": "EC:10000000-19999999"])
        #expect(
            config?.s10Series == [
                S10Series(purpose: .cashOnDelivery, service: "EC", first: 10_000_000, last: 19_999_999)
            ])
    }
}
