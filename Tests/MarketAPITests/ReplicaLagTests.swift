import Foundation
import Hummingbird
import HummingbirdTesting
import Kernel
import PostgresNIO
import Testing

@testable import MarketAPI

@Suite("Read your writes while the replica lags")
struct ReplicaLagTests {
    /// The replica here is a database of its own, migrated like the primary, that never receives a
    /// single write: a replica lagging for ever. Everything written through the API lands on the
    /// primary only, so a flow that read its own write from the replica would get 404s or old values.
    /// Browsing and search, which may be stale, do read it: they miss what the primary has until
    /// the replica is gone, and then read the primary.
    @Test(.timeLimit(.minutes(2))) func writersReadTheirWritesFromThePrimaryBrowsingReadsTheReplica()
        async throws
    {
        try await withTestDatabase { primary, _ in
            try await withTestDatabase { replica, replicaURL in
                // One row only the replica has: proof that a read went there.
                try await replica.query(
                    """
                    INSERT INTO categories (code, parent_code, name, name_en, position)
                    VALUES ('lagging-replica', 'food', 'Chỉ có ở bản sao', 'Replica only', 99)
                    """)
                let deps = AppDependencies(config: testConfig(), db: primary, readDB: replica, logger: testLogger)
                let app = Application(router: try buildRouter(deps), logger: testLogger)
                try await app.test(.router) { client in
                    let api = TestAPI(client: client, db: primary, config: testConfig())
                    try await Self.readYourWrites(api)
                    try await Self.browsingFollowsTheReplica(api, replicaURL: replicaURL)
                }
            }
        }
    }

    /// Each write, then the read its author makes next: all of them see the write.
    static func readYourWrites(_ api: TestAPI) async throws {
        // Sign-in: the admin, staff and producer accounts below exist on the primary only.
        let world = try await CatalogWorld.make(api)
        let me = try await world.expect(.get, "/v1/me", world.producer, status: .ok)
        #expect((me.json["roles"] as? [[String: Any]])?.contains { $0["role"] as? String == "producer" } == true)

        // The supplier the producer applied for, approved a moment ago.
        let supplier = try await world.expect(.get, "/v1/suppliers/\(world.supplier)", world.producer, status: .ok)
        #expect(supplier.json["status"] as? String == "active")

        // A product: created, read back, listed among the supplier's own, edited and read again.
        let product = try await world.draft("Nước mắm nhĩ Cửa Đại", variants: [("NM-LAG", 85_000, 10)])
        let draft = try await world.expect(.get, "/v1/products/\(product)", world.producer, status: .ok)
        #expect(draft.json["status"] as? String == "draft")
        let own = try await world.expect(.get, "/v1/suppliers/\(world.supplier)/products", world.producer, status: .ok)
        #expect((own.json["items"] as? [[String: Any]])?.contains { $0["id"] as? String == product } == true)
        try await world.expect(
            .patch, "/v1/products/\(product)", world.producer, json: ["title": "Nước mắm nhĩ Cửa Đại 40 độ đạm"],
            status: .ok)
        let edited = try await world.expect(.get, "/v1/products/\(product)", world.producer, status: .ok)
        #expect(edited.json["title"] as? String == "Nước mắm nhĩ Cửa Đại 40 độ đạm")
        try await world.expect(.post, "/v1/products/\(product)/submit", world.producer, status: .ok)
        try await world.expect(.post, "/v1/products/\(product)/approve", world.clerkA, status: .ok)
        let listed = try await world.expect(.get, "/v1/products/\(product)", nil, status: .ok)
        #expect(listed.json["status"] as? String == "active")

        // Stock: an adjustment, then what the product page says.
        let variant = try await ShippingTests.variantID(world, product)
        try await world.expect(
            .post, "/v1/products/\(product)/variants/\(variant)/stock-adjustments", world.producer,
            json: ["delta": 5, "reason": "Nhập kho"], status: .created)
        #expect(try await Self.stock(world, product) == 15)

        // An order: placed, read back, in the buyer's list, its package in the supplier's queue, and
        // the stock it took gone from the product page.
        let buyer = try await api.buyerToken()
        let placed = try await OrderTests.order(api, token: buyer, lines: [(variant, 3)])
        #expect(placed.status == .created)
        let order = try #require(placed.json["id"] as? String)
        let read = try await world.expect(.get, "/v1/orders/\(order)", buyer, status: .ok)
        #expect(read.json["status"] as? String == "placed")
        let mine = try await world.expect(.get, "/v1/orders", buyer, status: .ok)
        #expect((mine.json["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [order])
        let queue = try await world.expect(
            .get, "/v1/suppliers/\(world.supplier)/packages", world.producer, status: .ok)
        #expect((queue.json["items"] as? [[String: Any]])?.contains { $0["order_id"] as? String == order } == true)
        #expect(try await Self.stock(world, product) == 12)

        // Cancelled: the order shows it, and the stock is back.
        try await world.expect(.post, "/v1/orders/\(order)/cancel", buyer, status: .ok)
        let cancelled = try await world.expect(.get, "/v1/orders/\(order)", buyer, status: .ok)
        #expect(cancelled.json["status"] as? String == "cancelled")
        #expect(try await Self.stock(world, product) == 15)

        // Signing out takes effect at once: the token is refused on the next request.
        try await world.expect(.post, "/v1/auth/logout", buyer, status: .noContent)
        try await world.expect(.get, "/v1/me", buyer, status: .unauthorized)
    }

    /// Catalog browsing and reference data come from the replica (stale: it never saw the product
    /// listed above); once the replica is gone they come from the primary.
    static func browsingFollowsTheReplica(_ api: TestAPI, replicaURL: DatabaseURL) async throws {
        let categories = try await api.request(.get, "/v1/categories")
        #expect(categories.text.contains("lagging-replica"))
        let stale = try await api.request(.get, "/v1/products?q=\("nước mắm nhĩ".q)")
        #expect(stale.status == .ok)
        #expect((stale.json["items"] as? [Any])?.isEmpty == true)

        // The replica goes away (its database dropped, its connections cut).
        try await DatabaseSetup.withClient(replicaURL.with(database: "postgres"), logger: testLogger) { admin in
            try await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE \"\(replicaURL.database)\" WITH (FORCE)"))
        }
        let fresh = try await api.request(.get, "/v1/products?q=\("nước mắm nhĩ".q)")
        #expect(fresh.status == .ok)
        let titles = (fresh.json["items"] as? [[String: Any]])?.compactMap { $0["title"] as? String }
        #expect(titles == ["Nước mắm nhĩ Cửa Đại 40 độ đạm"])
        let primaryCategories = try await api.request(.get, "/v1/categories")
        #expect(primaryCategories.status == .ok)
        #expect(!primaryCategories.text.contains("lagging-replica"))
    }

    /// The stock of the product's only variant, as its page shows it to anyone.
    static func stock(_ world: CatalogWorld, _ product: String) async throws -> Int? {
        let page = try await world.expect(.get, "/v1/products/\(product)", nil, status: .ok)
        return (page.json["variants"] as? [[String: Any]])?.first?["stock_on_hand"] as? Int
    }
}
