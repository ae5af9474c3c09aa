import Foundation
import Hummingbird
import HummingbirdTesting
import Kernel
import PostgresNIO
import Testing

@testable import Catalog
@testable import MarketAPI

@Suite("Product pages are cached per process and dropped when any process changes them")
struct ProductCacheTests {
    @Test func aValueLoadedBeforeAnInvalidationIsNotStored() throws {
        let cache = ProductCache()
        let id = UUID()
        #expect(cache.lookup(id).0 == nil)
        cache.setEnabled(true)
        let (_, ticket) = cache.lookup(id)
        cache.invalidate(UUID())  // a writer commits while the reader was loading
        cache.store(try Self.product(id), ticket: ticket)
        #expect(cache.lookup(id).0 == nil)
        let (_, fresh) = cache.lookup(id)
        cache.store(try Self.product(id), ticket: fresh)
        #expect(cache.lookup(id).0 != nil)
        cache.apply(notification: id.uuidString.lowercased())
        #expect(cache.lookup(id).0 == nil)
        cache.store(try Self.product(id), ticket: cache.lookup(id).1)
        cache.setEnabled(false)
        #expect(cache.lookup(id).0 == nil)
    }

    static func product(_ id: UUID) throws -> Product {
        Product(
            id: id,
            supplier: SupplierSummary(id: UUID(), name: "S", kind: .household, provinceCode: nil, communeCode: nil),
            supplierStatus: .active, servingPostOfficeID: nil, title: "T", description: "", categoryCode: "honey",
            categoryGroup: "food", originProvinceCode: "48", images: [], isRegionalSpecialty: false, status: .active,
            rejectionReason: nil, priceMinVND: 1, ocop: nil, variants: [], createdAt: Date(), updatedAt: Date())
    }

    /// An app whose product cache listens for `catalog_changed` as `serve`'s does, once listening.
    static func withListeningCache(
        config: AppConfig, _ body: @Sendable (TestAPI, ProductCache, PostgresClient, DatabaseURL) async throws -> Void
    ) async throws {
        try await withTestDatabase { client, url in
            let deps = AppDependencies(config: config, db: client, logger: testLogger)
            let listener = CatalogChangeListener(
                configuration: try url.connectionConfiguration(), cache: deps.productCache, logger: testLogger)
            let listening = Task { await listener.run() }
            defer { listening.cancel() }
            let app = Application(router: try buildRouter(deps), logger: testLogger)
            try await app.test(.router) { testClient in
                for _ in 0..<50 where !deps.productCache.isEnabled { try await Task.sleep(for: .milliseconds(50)) }
                #expect(deps.productCache.isEnabled)
                try await body(
                    TestAPI(client: testClient, db: client, config: deps.config), deps.productCache, client, url)
            }
        }
    }

    @Test func changesFromAnotherProcessReachTheCache() async throws {
        try await Self.withListeningCache(config: testConfig()) { api, cache, client, _ in
            let world = try await CatalogWorld.make(api)
            let id = try await world.listed("Mật ong Trà My", variants: [("MO-TM", 90000, 5)])
            _ = try await world.expect(.get, "/v1/products/\(id)", nil, status: .ok)
            let before = cache.stats.hits
            _ = try await world.expect(.get, "/v1/products/\(id)", nil, status: .ok)
            #expect(cache.stats.hits == before + 1)

            // Another process (here: plain SQL) changes the price, then suspends the supplier.
            try await client.query("UPDATE product_variants SET price_vnd = 95000 WHERE sku = 'MO-TM'")
            #expect(
                try await Self.eventually {
                    try await world.expect(.get, "/v1/products/\(id)", nil, status: .ok).json["price_min_vnd"]
                        as? Int == 95000
                })
            try await client.query(
                "UPDATE suppliers SET status = 'suspended' WHERE id = \(UUID(uuidString: world.supplier))")
            #expect(
                try await Self.eventually { try await api.request(.get, "/v1/products/\(id)").status == .notFound })
        }
    }

    /// Stock-only changes do not notify by trigger (migration 0013, so that order commits do not
    /// queue on PostgreSQL's notify lock): orders announce them after their commit, cancellations and
    /// stock adjustments in their transaction, and anything else is caught by the cache's age.
    @Test func stockMovesReachTheCache() async throws {
        try await Self.withListeningCache(config: testConfig { $0.productCacheSeconds = 5 }) { api, cache, client, _ in
            let world = try await CatalogWorld.make(api)
            let id = try await world.listed("Nước mắm Cửa Đại", variants: [("NM-500", 85_000, 10)])
            let variant = try await ShippingTests.variantID(world, id)
            func stockShown() async throws -> Int? {
                let page = try await world.expect(.get, "/v1/products/\(id)", nil, status: .ok).json
                return (page["variants"] as? [[String: Any]])?.first?["stock_on_hand"] as? Int
            }
            #expect(try await stockShown() == 10)
            #expect(try await stockShown() == 10)  // from the cache now
            // Each change below must show within `eventually`'s 3 s, before the 5 s age runs out.

            let buyer = try await api.buyerToken()
            let placed = try await OrderTests.order(api, token: buyer, lines: [(variant, 3)])
            #expect(placed.status == .created)
            #expect(try await Self.eventually { try await stockShown() == 7 })

            let order = try #require(placed.json["id"] as? String)
            try await world.expect(.post, "/v1/orders/\(order)/cancel", buyer, status: .ok)
            #expect(try await Self.eventually { try await stockShown() == 10 })

            try await world.expect(
                .post, "/v1/products/\(id)/variants/\(variant)/stock-adjustments", world.producer,
                json: ["delta": 5, "reason": "Thêm một mẻ mới"], status: .created)
            #expect(try await Self.eventually { try await stockShown() == 15 })

            // A stock-only change that nobody announces (here: plain SQL) shows once the cached
            // page is older than PRODUCT_CACHE_SECONDS, and not before.
            // (First let the adjustment's own notification land, if it has not, and cache the page anew.)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await stockShown() == 15)
            try await client.query("UPDATE product_variants SET stock_on_hand = 12 WHERE sku = 'NM-500'")
            #expect(try await stockShown() == 15)
            var shown = 15
            for _ in 0..<100 where shown != 12 {
                try await Task.sleep(for: .milliseconds(100))
                shown = try await stockShown() ?? -1
            }
            #expect(shown == 12)
        }
    }

    /// Orders announce the stock they took in batches after their commit (`CatalogAnnouncer`): this
    /// process's cache forgets the page before the response, another process's soon after.
    @Test func ordersAnnounceTheirStockToOtherProcesses() async throws {
        try await Self.withListeningCache(config: testConfig { $0.productCacheSeconds = 60 }) {
            api, cache, _, url in
            let other = ProductCache(maxAge: .seconds(60))
            let listener = CatalogChangeListener(
                configuration: try url.connectionConfiguration(), cache: other, logger: testLogger)
            let listening = Task { await listener.run() }
            defer { listening.cancel() }
            for _ in 0..<50 where !other.isEnabled { try await Task.sleep(for: .milliseconds(50)) }
            #expect(other.isEnabled)

            let world = try await CatalogWorld.make(api)
            var products: [(product: UUID, variant: String)] = []
            for i in 0..<8 {
                let id = try await world.listed("Bánh tráng \(i)", variants: [("BT-\(i)", 20_000, 50)])
                products.append((try #require(UUID(uuidString: id)), try await ShippingTests.variantID(world, id)))
            }
            func cacheBoth() async throws {
                for (id, _) in products {
                    _ = try await world.expect(.get, "/v1/products/\(id)", nil, status: .ok)
                    other.store(try Self.product(id), ticket: other.lookup(id).1)
                    #expect(cache.lookup(id).0 != nil && other.lookup(id).0 != nil)
                }
            }
            try await cacheBoth()
            let buyer = try await api.buyerToken()
            // Concurrent orders, so that several of them share an announcement.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (product, variant) in products {
                    group.addTask {
                        let placed = try await OrderTests.order(api, token: buyer, lines: [(variant, 1)])
                        #expect(placed.status == .created)
                        // This process's page is gone as soon as the order is answered.
                        #expect(cache.lookup(product).0 == nil)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await Self.eventually { products.allSatisfy { other.lookup($0.product).0 == nil } })
        }
    }

    /// Notifications arrive asynchronously: poll for up to three seconds.
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<60 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
