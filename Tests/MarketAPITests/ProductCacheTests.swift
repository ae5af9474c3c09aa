import Foundation
import Hummingbird
import HummingbirdTesting
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

    @Test func changesFromAnotherProcessReachTheCache() async throws {
        try await withTestDatabase { client, url in
            let deps = AppDependencies(config: testConfig(), db: client, logger: testLogger)
            let listener = CatalogChangeListener(
                configuration: try url.connectionConfiguration(), cache: deps.productCache, logger: testLogger)
            let listening = Task { await listener.run() }
            defer { listening.cancel() }
            let app = Application(router: try buildRouter(deps), logger: testLogger)
            try await app.test(.router) { testClient in
                let api = TestAPI(client: testClient, db: client, config: deps.config)
                let world = try await CatalogWorld.make(api)
                let id = try await world.listed("Mật ong Trà My", variants: [("MO-TM", 90000, 5)])
                for _ in 0..<50 where !deps.productCache.isEnabled { try await Task.sleep(for: .milliseconds(50)) }
                #expect(deps.productCache.isEnabled)
                _ = try await world.expect(.get, "/v1/products/\(id)", nil, status: .ok)
                let before = deps.productCache.stats.hits
                _ = try await world.expect(.get, "/v1/products/\(id)", nil, status: .ok)
                #expect(deps.productCache.stats.hits == before + 1)

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
