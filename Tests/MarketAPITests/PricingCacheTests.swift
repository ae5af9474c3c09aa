import Catalog
import Foundation
import Kernel
import PostgresNIO
import Synchronization
import Testing

@testable import MarketAPI
@testable import Orders

/// A cart of variants priced before is priced from memory (`PricingCache`) and verified by the
/// statement that writes it. These tests change the database behind the cache's back (plain SQL,
/// which tells no cache anything) and check that every order still comes out as the database says.
@Suite("Orders priced from memory are still written as the database says")
struct PricingCacheTests {
    /// A service whose pricing attempts are counted: two attempts for one order mean the first was
    /// priced from memory and refused by the database.
    static func countingService(_ api: TestAPI) -> (OrderService, Attempts) {
        let attempts = Attempts()
        var service = OrderService(db: Database(api.db), logger: testLogger)
        service.afterPricing = { attempts.count.withLock { $0 += 1 } }
        return (service, attempts)
    }

    final class Attempts: Sendable {
        let count = Mutex(0)

        /// How many pricing attempts `body` made.
        func of(_ body: () async throws -> Void) async rethrows -> Int {
            let before = count.withLock { $0 }
            try await body()
            return count.withLock { $0 } - before
        }
    }

    static func place(
        _ service: OrderService, _ caller: Caller, _ variant: String, quantity: Int, key: String = UUID().uuidString
    ) async throws -> OrderService.Placement {
        try await service.place(
            try OrderRaceTests.cart(variant, quantity: quantity), idempotencyKey: key, caller: caller)
    }

    @Test func aPriceChangedBehindTheCacheIsPricedAgainFromTheDatabase() async throws {
        try await withTestApp { api in
            let (_, fish, _, _) = try await OrderTests.shop(api, fishStock: 50)
            let caller = try await OrderRaceTests.buyer(api)
            let (service, attempts) = Self.countingService(api)
            _ = try await Self.place(service, caller, fish, quantity: 1)
            #expect(service.pricing.count == 1)

            try await api.db.query("UPDATE product_variants SET price_vnd = 90000 WHERE sku = 'NM-500'")
            var second: OrderService.Placement?
            // Two attempts: the remembered price (refused under the lock), then the database's.
            #expect(try await attempts.of { second = try await Self.place(service, caller, fish, quantity: 2) } == 2)
            guard case .placed(let order) = second else {
                Issue.record("expected a new order")
                return
            }
            #expect(order.itemsTotalVND == 180_000)
            #expect(
                try await OrderTests.count(
                    api, "SELECT unit_price_vnd::int FROM order_lines WHERE quantity = 2") == 90_000)
            // The cache learnt the new price: one attempt again.
            #expect(try await attempts.of { _ = try await Self.place(service, caller, fish, quantity: 1) } == 1)
            #expect(try await OrderTests.stock(api, fish) == 46)
        }
    }

    @Test func aShortageInMemoryIsAskedOfTheDatabase() async throws {
        try await withTestApp { api in
            let (_, fish, _, _) = try await OrderTests.shop(api, fishStock: 10)
            let caller = try await OrderRaceTests.buyer(api)
            let (service, _) = Self.countingService(api)
            _ = try await Self.place(service, caller, fish, quantity: 1)
            try await api.db.query("UPDATE product_variants SET stock_on_hand = 50 WHERE sku = 'NM-500'")
            // Memory says 10 are left; the database has 50.
            guard case .placed = try await Self.place(service, caller, fish, quantity: 20) else {
                Issue.record("expected a new order")
                return
            }
            #expect(try await OrderTests.stock(api, fish) == 30)
        }
    }

    @Test func stockGoneBehindTheCacheIs409WithNothingWritten() async throws {
        try await withTestApp { api in
            let (_, fish, _, _) = try await OrderTests.shop(api, fishStock: 5)
            let caller = try await OrderRaceTests.buyer(api)
            let (service, _) = Self.countingService(api)
            _ = try await Self.place(service, caller, fish, quantity: 1)
            try await api.db.query("UPDATE product_variants SET stock_on_hand = 1 WHERE sku = 'NM-500'")
            // Memory says 5; the database has 1.
            await #expect {
                _ = try await Self.place(service, caller, fish, quantity: 3)
            } throws: { error in
                guard case DomainError.conflict(let kind, _, _, let fields) = error else { return false }
                return kind == "insufficient-stock" && fields.first?.message.contains("only 1 of NM-500") == true
            }
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM orders") == 1)
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM idempotency_keys") == 1)
            #expect(try await OrderTests.stock(api, fish) == 1)
        }
    }

    @Test func aSellerRenamedOrSuspendedBehindTheCacheIsSeen() async throws {
        try await withTestApp { api in
            let (world, fish, _, _) = try await OrderTests.shop(api, fishStock: 50)
            let caller = try await OrderRaceTests.buyer(api)
            let (service, _) = Self.countingService(api)
            _ = try await Self.place(service, caller, fish, quantity: 1)
            let supplier = UUID(uuidString: world.supplier)
            try await api.db.query("UPDATE suppliers SET name = 'HTX Nước mắm Hội An' WHERE id = \(supplier)")
            guard case .placed(let order) = try await Self.place(service, caller, fish, quantity: 1) else {
                Issue.record("expected a new order")
                return
            }
            #expect(order.packages.first?.supplierName == "HTX Nước mắm Hội An")

            try await api.db.query("UPDATE suppliers SET status = 'suspended' WHERE id = \(supplier)")
            await #expect {
                _ = try await Self.place(service, caller, fish, quantity: 1)
            } throws: { error in
                guard case DomainError.validation(let fields) = error else { return false }
                return fields.first?.message.contains("not on sale") == true
            }
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM orders") == 2)
        }
    }

    @Test func aRetryIsReplayedWhateverMemorySays() async throws {
        try await withTestApp { api in
            let (_, fish, _, _) = try await OrderTests.shop(api, fishStock: 5)
            let caller = try await OrderRaceTests.buyer(api)
            let (service, _) = Self.countingService(api)
            // Takes all the stock; memory still says 5.
            guard case .placed(let first) = try await Self.place(service, caller, fish, quantity: 5, key: "k-1") else {
                Issue.record("expected a new order")
                return
            }
            guard case .replayed(let again) = try await Self.place(service, caller, fish, quantity: 5, key: "k-1")
            else {
                Issue.record("expected the first order again")
                return
            }
            #expect(again == first)
            await #expect {
                _ = try await Self.place(service, caller, fish, quantity: 4, key: "k-1")
            } throws: { error in
                guard case DomainError.unprocessable(let kind, _) = error else { return false }
                return kind == "idempotency-key-reused"
            }
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM orders") == 1)
            #expect(try await OrderTests.stock(api, fish) == 0)
        }
    }

    /// Keys claimed before migration 0020 kept the HTTP body, not the order: such a key replays the
    /// order it placed, as it is now.
    @Test func aKeyFromBeforeTheSnapshotsReplaysItsOrder() async throws {
        try await withTestApp { api in
            let (_, fish, _, _) = try await OrderTests.shop(api, fishStock: 5)
            let caller = try await OrderRaceTests.buyer(api)
            let (service, _) = Self.countingService(api)
            guard case .placed(let first) = try await Self.place(service, caller, fish, quantity: 1, key: "old")
            else {
                Issue.record("expected a new order")
                return
            }
            try await api.db.query(
                "UPDATE idempotency_keys SET result = '{\"number\":\"DH000000000001\",\"status\":\"placed\"}'")
            guard case .replayed(let again) = try await Self.place(service, caller, fish, quantity: 1, key: "old")
            else {
                Issue.record("expected the order again")
                return
            }
            #expect(again.id == first.id && again.number == first.number && again.grandTotalVND == first.grandTotalVND)
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM orders") == 1)
        }
    }

    @Test func aTariffThatComesIntoForceIsUsed() async throws {
        try await withTestApp { api in
            let (world, fish, _, _) = try await OrderTests.shop(api, fishStock: 50)
            let caller = try await OrderRaceTests.buyer(api)
            let (service, attempts) = Self.countingService(api)
            guard case .placed(let before) = try await Self.place(service, caller, fish, quantity: 1) else {
                Issue.record("expected a new order")
                return
            }
            #expect(before.packages.first?.shippingFeeVND != 11_000)
            var rates: [[String: Any]] = []
            for (zone, first) in [
                ("same_commune", 11_000), ("same_province", 12_000), ("same_region", 13_000), ("other_region", 14_000),
            ] {
                rates.append([
                    "zone": zone, "first_grams": 1000, "first_fee_vnd": first, "step_grams": 1000,
                    "step_fee_vnd": 1_000,
                ])
            }
            try await world.expect(
                .post, "/v1/shipping/tariffs", world.admin,
                json: [
                    "effective_from": CalendarDay.today().description, "cod_fee_bps": 100,
                    "cod_fee_min_vnd": 5_000, "rates": rates,
                ], status: .created)
            var after: OrderService.Placement?
            #expect(try await attempts.of { after = try await Self.place(service, caller, fish, quantity: 1) } == 2)
            guard case .placed(let order) = after else {
                Issue.record("expected a new order")
                return
            }
            #expect(order.packages.first?.shippingFeeVND == 11_000)
        }
    }
}

/// Orders priced from memory by concurrent requests share statements (`PlacementBatcher`,
/// `OrderBatch`). One lane, so that the orders arriving while the first is written wait and go
/// together.
@Suite("Orders written together: each exactly once, a batch that cannot be written falls back")
struct OrderBatchTests {
    static func warm(_ service: OrderService, _ caller: Caller, _ variants: [String]) async throws {
        for variant in variants { _ = try await PricingCacheTests.place(service, caller, variant, quantity: 1) }
    }

    @Test func concurrentOrdersShareStatementsAndEachIsWrittenOnce() async throws {
        try await withTestApp { api in
            let (_, fish, honey, _) = try await OrderTests.shop(api, fishStock: 500, honeyStock: 500)
            let caller = try await OrderRaceTests.buyer(api)
            let service = OrderService(db: Database(api.db), logger: testLogger, batchLanes: 1)
            try await Self.warm(service, caller, [fish, honey])
            let placed = try await withThrowingTaskGroup(of: Int64.self) { group in
                for i in 0..<40 {
                    group.addTask {
                        let variant = i.isMultiple(of: 2) ? fish : honey
                        guard
                            case .placed(let order) = try await PricingCacheTests.place(
                                service, caller, variant, quantity: 1 + i % 3)
                        else { return -1 }
                        return order.grandTotalVND
                    }
                }
                return try await group.reduce(into: [Int64]()) { $0.append($1) }
            }
            #expect(placed.count == 40 && placed.allSatisfy { $0 > 0 })
            #expect(service.batcher.batchedOrders > 0)
            // Stock taken once per line: fish 1+3+2+1+… over the even i, honey over the odd.
            let fishTaken = (0..<40).filter { $0.isMultiple(of: 2) }.reduce(0) { $0 + 1 + $1 % 3 }
            let honeyTaken = (0..<40).filter { !$0.isMultiple(of: 2) }.reduce(0) { $0 + 1 + $1 % 3 }
            #expect(try await OrderTests.stock(api, fish) == 500 - 1 - fishTaken)
            #expect(try await OrderTests.stock(api, honey) == 500 - 1 - honeyTaken)
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM orders") == 42)
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM packages") == 42)
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM order_lines") == 42)
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM idempotency_keys") == 42)
            #expect(
                try await OrderTests.count(api, "SELECT count(*)::int FROM outbox WHERE topic = 'order.created'")
                    == 42)
            // Every line at its price, every order's totals its lines' and packages'.
            #expect(
                try await OrderTests.count(
                    api,
                    """
                    SELECT count(*)::int FROM orders o
                    WHERE o.items_total_vnd <> (SELECT sum(line_total_vnd) FROM order_lines l WHERE l.order_id = o.id)
                       OR o.grand_total_vnd <> o.items_total_vnd + o.shipping_total_vnd
                       OR (SELECT sum(unit_price_vnd * quantity) FROM order_lines l WHERE l.order_id = o.id)
                          <> o.items_total_vnd
                    """) == 0)
        }
    }

    @Test func aShortBatchFallsBackAndOnlyTheOrdersThatDoNotFitAreRefused() async throws {
        try await withTestApp { api in
            let (_, fish, honey, _) = try await OrderTests.shop(api, fishStock: 50, honeyStock: 50)
            let caller = try await OrderRaceTests.buyer(api)
            let service = OrderService(db: Database(api.db), logger: testLogger, batchLanes: 1)
            try await Self.warm(service, caller, [fish, honey])
            // Memory says 49 fish; the database has 3.
            try await api.db.query("UPDATE product_variants SET stock_on_hand = 3 WHERE sku = 'NM-500'")
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for i in 0..<12 {
                    group.addTask {
                        do {
                            let placement = try await PricingCacheTests.place(
                                service, caller, i < 6 ? fish : honey, quantity: 1)
                            guard case .placed = placement else { return "other" }
                            return i < 6 ? "fish" : "honey"
                        } catch DomainError.conflict(let kind, _, _, _) {
                            return kind
                        }
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == "fish" }.count == 3)
            #expect(outcomes.filter { $0 == "insufficient-stock" }.count == 3)
            #expect(outcomes.filter { $0 == "honey" }.count == 6)
            #expect(try await OrderTests.stock(api, fish) == 0)
            #expect(try await OrderTests.stock(api, honey) == 43)
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM orders") == 2 + 9)
        }
    }

    @Test func retriesOfOneKeyInOneBatchMakeOneOrder() async throws {
        try await withTestApp { api in
            let (_, fish, _, _) = try await OrderTests.shop(api, fishStock: 50)
            let caller = try await OrderRaceTests.buyer(api)
            let service = OrderService(db: Database(api.db), logger: testLogger, batchLanes: 1)
            try await Self.warm(service, caller, [fish])
            let bodies = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await PricingCacheTests.place(service, caller, fish, quantity: 2, key: "same").order.number
                    }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(bodies.count == 1)
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM orders") == 2)
            #expect(try await OrderTests.stock(api, fish) == 47)
        }
    }
}

extension OrderBatchTests {
    @Test func orderWriteLanesAreReadFromTheEnvironment() throws {
        #expect(try AppConfig.fromEnvironment([:]).orderWriteLanes == 1)
        #expect(try AppConfig.fromEnvironment(["ORDER_WRITE_LANES": "3"]).orderWriteLanes == 3)
        #expect(throws: AppConfig.Problem.self) { try AppConfig.fromEnvironment(["ORDER_WRITE_LANES": "0"]) }
        #expect(throws: AppConfig.Problem.self) { try AppConfig.fromEnvironment(["ORDER_WRITE_LANES": "many"]) }
    }
}
