import Foundation
import Kernel
import PostgresNIO
import Testing

@testable import MarketAPI
@testable import Orders

/// Issue 16: one order the database refused (a package weight past its column's range) failed every
/// order batched with it, and an extreme but valid cart could trap the process in fee arithmetic.
@Suite("Order limits: the heaviest parcel, and one refused order failing alone in its batch")
struct OrderLimitsTests {
    @Test func aParcelOverOneTonneIsRefusedNamingItsLine() async throws {
        try await withTestApp { api in
            let (_, fish, honey, _) = try await OrderTests.shop(api, fishStock: 999, honeyStock: 999)
            try await api.db.query(
                "UPDATE product_variants SET weight_grams = 50000 WHERE id = \(UUID(uuidString: fish))")
            let buyer = try await api.buyerToken()
            let heavy = try await OrderTests.order(api, token: buyer, lines: [(honey, 1), (fish, 999)])
            #expect(heavy.status == .unprocessableContent)
            #expect(heavy.errorFields == ["lines[1].quantity"])
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM orders") == 0)
            // Twenty 50 kg sacks are one tonne: carried (prepaid: its shipping alone is above the COD ceiling).
            let tonne = try await OrderTests.order(api, token: buyer, lines: [(fish, 20)], method: "bank_transfer")
            #expect(tonne.status == .created)
        }
    }

    /// Orders priced from memory share statements (`PlacementBatcher`); one lane, so that orders
    /// arriving while one is written wait and go together, as in `OrderBatchTests`.
    @Test func oneOrderTheDatabaseRefusesFailsAloneInItsBatch() async throws {
        try await withTestApp { api in
            let (_, fish, _, _) = try await OrderTests.shop(api, fishStock: 1_000)
            let caller = try await OrderRaceTests.buyer(api)
            let service = OrderService(db: Database(api.db), logger: testLogger, batchLanes: 1)
            try await OrderBatchTests.warm(service, caller, [fish])
            // The case, made reachable: a weight past its column's range (22003). With the column
            // narrowed to smallint, fifty 700 g bottles (35 kg) do not fit it; one bottle does.
            try await api.db.query("ALTER TABLE packages ALTER COLUMN weight_grams TYPE smallint")
            let outcomes = try await withThrowingTaskGroup(of: (Bool, String).self) { group in
                for index in 0..<60 {
                    let heavy = index % 10 == 5
                    group.addTask {
                        do {
                            let placement = try await PricingCacheTests.place(
                                service, caller, fish, quantity: heavy ? 50 : 1)
                            guard case .placed = placement else { return (heavy, "other") }
                            return (heavy, "placed")
                        } catch let error as PSQLError {
                            return (heavy, error.sqlState ?? "?")
                        }
                    }
                }
                return try await group.reduce(into: [(Bool, String)]()) { $0.append($1) }
            }
            let light = outcomes.filter { !$0.0 }.map(\.1)
            let heavy = outcomes.filter(\.0).map(\.1)
            #expect(light == Array(repeating: "placed", count: 54), "light orders: \(light)")
            #expect(heavy == Array(repeating: "22003", count: 6), "heavy orders: \(heavy)")
            #expect(try await OrderTests.stock(api, fish) == 1_000 - 1 - 54)
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM orders") == 55)
            // What the edge answers for the heavy ones: the client's mistake, never a 5xx.
            let refused = try await OrderTests.order(
                api, token: try await api.buyerToken(), lines: [(fish, 50)])
            #expect(refused.status == .badRequest)
        }
    }
}
