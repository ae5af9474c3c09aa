import Catalog
import Foundation
import HTTPTypes
import PostgresNIO
import Testing

@testable import MarketAPI

@Suite("Orders: split per supplier, stock never oversold, idempotent, cancelled and rejected once")
struct OrderTests {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!

    static func order(
        _ api: TestAPI, token: String, key: String = UUID().uuidString, lines: [(String, Int)],
        method: String = "cod", commune: String = CatalogWorld.communeA
    ) async throws -> TestAPI.Reply {
        try await api.request(
            .post, "/v1/orders", token: token,
            json: [
                "lines": lines.map { ["variant_id": $0.0, "quantity": $0.1] },
                "shipping_address": [
                    "recipient_name": "Nguyễn Thị Mai", "phone": "0905123456", "province_code": "48",
                    "commune_code": commune, "address_line": "12 Trần Phú",
                ],
                "payment_method": method,
            ],
            headers: [idempotencyKey: key])
    }

    static func stock(_ api: TestAPI, _ variant: String) async throws -> Int {
        let rows = try await api.db.query(
            "SELECT stock_on_hand FROM product_variants WHERE id = \(UUID(uuidString: variant))")
        for try await stock in rows.decode(Int.self) { return stock }
        return -1
    }

    static func count(_ api: TestAPI, _ sql: String) async throws -> Int {
        for try await n in try await api.db.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) { return n }
        return -1
    }

    /// Two suppliers with one product each; returns (world, fish sauce variant, honey variant, honey's producer).
    static func shop(_ api: TestAPI, fishStock: Int = 10, honeyStock: Int = 5) async throws
        -> (CatalogWorld, String, String, String)
    {
        let world = try await CatalogWorld.make(api)
        let fish = try await world.listed("Nước mắm Cửa Đại", variants: [("NM-500", 85_000, fishStock)])
        let other = try await api.buyerToken()
        let honeySupplier = try await world.applySupplier(other, name: "HTX Mật ong", commune: CatalogWorld.communeA2)
        try await world.expect(.post, "/v1/suppliers/\(honeySupplier)/approve", world.clerkA, status: .ok)
        let honey = try await world.listed(
            "Mật ong rừng", supplier: honeySupplier, token: other, category: "honey",
            variants: [("MO-1", 250_000, honeyStock)])
        return (
            world, try await ShippingTests.variantID(world, fish), try await ShippingTests.variantID(world, honey),
            other
        )
    }

    @Test func aCartBecomesOnePackagePerSupplier() async throws {
        try await withTestApp { api in
            let (world, fish, honey, _) = try await Self.shop(api)
            let buyer = try await api.buyerToken()
            let placed = try await Self.order(api, token: buyer, lines: [(fish, 2), (honey, 1)])
            #expect(placed.status == .created)
            let order = placed.json
            let packages = try #require(order["packages"] as? [[String: Any]])
            #expect(packages.count == 2)
            #expect(order["status"] as? String == "placed")
            #expect(order["items_total_vnd"] as? Int == 2 * 85_000 + 250_000)
            let shipping = packages.reduce(0) { $0 + ($1["shipping_fee_vnd"] as? Int ?? 0) }
            #expect(order["shipping_total_vnd"] as? Int == shipping)
            #expect(order["grand_total_vnd"] as? Int == 420_000 + shipping)
            #expect(packages.reduce(0) { $0 + ($1["cod_amount_vnd"] as? Int ?? 0) } == 420_000 + shipping)
            #expect((order["delivery_code"] as? String)?.count == 6)
            #expect((order["number"] as? String)?.hasPrefix("DH") == true)
            #expect(try await Self.stock(api, fish) == 8)
            #expect(try await Self.stock(api, honey) == 4)
            let id = try #require(order["id"] as? String)
            // The response is built from the values written, not read back: it must equal what is stored.
            let stored = try await world.expect(.get, "/v1/orders/\(id)", buyer, status: .ok)
            #expect(NSDictionary(dictionary: stored.json).isEqual(to: order))
            try await world.expect(.get, "/v1/orders/\(id)", try await api.buyerToken(), status: .notFound)
            let mine = try await world.expect(.get, "/v1/orders", buyer, status: .ok)
            #expect((mine.json["items"] as? [Any])?.count == 1)
            #expect(try await Self.count(api, "SELECT count(*)::int FROM outbox WHERE topic = 'order.created'") == 1)
            // A page of several orders comes back newest first, each with its packages and lines.
            let second = try await Self.order(api, token: buyer, lines: [(honey, 1)])
            let both = try await world.expect(.get, "/v1/orders?limit=1", buyer, status: .ok)
            let first = try #require((both.json["items"] as? [[String: Any]])?.first)
            #expect(first["id"] as? String == second.json["id"] as? String)
            let cursor = try #require(both.json["next_cursor"] as? String)
            let older = try await world.expect(.get, "/v1/orders?limit=1&cursor=\(cursor)", buyer, status: .ok)
            let olderOrder = try #require((older.json["items"] as? [[String: Any]])?.first)
            #expect(olderOrder["id"] as? String == id)
            #expect((olderOrder["packages"] as? [[String: Any]])?.count == 2)
            #expect(((olderOrder["packages"] as? [[String: Any]])?.first?["lines"] as? [Any])?.isEmpty == false)
            #expect(older.json.keys.contains("next_cursor") && older.json["next_cursor"] is NSNull)
        }
    }

    @Test func stockIsNeverOversold() async throws {
        try await withTestApp { api in
            let (_, fish, _, _) = try await Self.shop(api, fishStock: 10)
            var buyers: [String] = []
            for _ in 0..<4 { buyers.append(try await api.buyerToken()) }
            let statuses = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for attempt in 0..<200 {
                    let buyer = buyers[attempt % buyers.count]
                    group.addTask {
                        let reply = try await Self.order(api, token: buyer, lines: [(fish, 1)])
                        return (Int(reply.status.code), reply.text)
                    }
                }
                return try await group.reduce(into: [(Int, String)]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0.0 == 201 }.count == 10)
            let refused = statuses.filter { $0.0 == 409 }
            #expect(refused.count == 190)
            #expect(refused.allSatisfy { $0.1.contains("lines[0].quantity") && $0.1.contains("only 0") })
            #expect(try await Self.stock(api, fish) == 0)
            #expect(try await Self.count(api, "SELECT count(*)::int FROM orders") == 10)
            #expect(try await Self.count(api, "SELECT COALESCE(sum(quantity), 0)::int FROM order_lines") == 10)
        }
    }

    @Test func retriesOfOneKeyMakeOneOrder() async throws {
        try await withTestApp { api in
            let (_, fish, honey, _) = try await Self.shop(api)
            let buyer = try await api.buyerToken()
            let key = "checkout-\(UUID().uuidString)"
            let replies = try await withThrowingTaskGroup(of: TestAPI.Reply.self) { group in
                for _ in 0..<50 {
                    group.addTask { try await Self.order(api, token: buyer, key: key, lines: [(fish, 1), (honey, 2)]) }
                }
                return try await group.reduce(into: [TestAPI.Reply]()) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.status == .created })
            #expect(Set(replies.map(\.text)).count == 1)
            #expect(try await Self.count(api, "SELECT count(*)::int FROM orders") == 1)
            #expect(try await Self.stock(api, fish) == 9)
            // Another request under the same key is refused; the same key of another buyer is theirs.
            let other = try await Self.order(api, token: buyer, key: key, lines: [(fish, 2)])
            #expect(other.status == .unprocessableContent)
            #expect(other.json["type"] as? String == "/problems/idempotency-key-reused")
            let stranger = try await Self.order(api, token: try await api.buyerToken(), key: key, lines: [(fish, 1)])
            #expect(stranger.status == .created)
            let missing = try await api.request(
                .post, "/v1/orders", token: buyer,
                json: [
                    "lines": [["variant_id": fish, "quantity": 1]],
                    "shipping_address": [
                        "recipient_name": "A", "phone": "0905123456", "province_code": "48",
                        "commune_code": CatalogWorld.communeA, "address_line": "x",
                    ], "payment_method": "cod",
                ])
            #expect(missing.status.code == 400 || missing.status.code == 422)
        }
    }

    @Test func aFailedOrderWritesNothing() async throws {
        try await withTestApp { api in
            let (world, fish, honey, _) = try await Self.shop(api, fishStock: 10, honeyStock: 1)
            let buyer = try await api.buyerToken()
            let short = try await Self.order(api, token: buyer, lines: [(fish, 3), (honey, 2)])
            #expect(short.status == .conflict)
            #expect(short.errorFields == ["lines[1].quantity"])
            #expect(short.text.contains("only 1 of MO-1"))
            #expect(try await Self.stock(api, fish) == 10)
            #expect(try await Self.count(api, "SELECT count(*)::int FROM orders") == 0)
            #expect(try await Self.count(api, "SELECT count(*)::int FROM idempotency_keys") == 0)
            // A variant whose seller is suspended is not on sale: 422 naming the line.
            let honeyProduct = try await world.expect(.get, "/v1/products?q=\("mat ong".q)", nil, status: .ok)
            let supplier = try #require(
                ((honeyProduct.json["items"] as? [[String: Any]])?.first?["supplier"] as? [String: Any])?["id"]
                    as? String)
            try await world.expect(
                .post, "/v1/suppliers/\(supplier)/suspend", world.clerkA, json: ["reason": "Kiểm tra"], status: .ok)
            let suspended = try await Self.order(api, token: buyer, lines: [(fish, 1), (honey, 1)])
            #expect(suspended.status == .unprocessableContent)
            #expect(suspended.errorFields == ["lines[1].variant_id"])
            let badAddress = try await Self.order(api, token: buyer, lines: [(fish, 1)], commune: "99999")
            #expect(badAddress.errorFields == ["shipping_address.commune_code"])
            #expect(try await Self.stock(api, fish) == 10)
            // Only buyers order.
            let staff = try await Self.order(api, token: world.clerkA, lines: [(fish, 1)])
            #expect(staff.status == .forbidden)
        }
    }

    @Test func cancellingAndRejectingReturnStockOnce() async throws {
        try await withTestApp { api in
            let (world, fish, honey, honeyProducer) = try await Self.shop(api)
            let buyer = try await api.buyerToken()
            let placed = try await Self.order(api, token: buyer, lines: [(fish, 4), (honey, 2)])
            let id = try #require(placed.json["id"] as? String)
            let packages = try #require(placed.json["packages"] as? [[String: Any]])
            let honeyPackage = try #require(
                packages.first { $0["supplier_name"] as? String == "HTX Mật ong" }?["id"] as? String)
            let fishPackage = try #require(packages.first { $0["id"] as? String != honeyPackage }?["id"] as? String)

            // The honey seller rejects its package: its stock returns, the buyer sees why, the order goes on.
            try await world.expect(.post, "/v1/packages/\(honeyPackage)/accept", world.producer, status: .notFound)
            let rejected = try await world.expect(
                .post, "/v1/packages/\(honeyPackage)/reject", honeyProducer, json: ["reason": "Hết mật vụ này"],
                status: .ok)
            #expect(rejected.json["status"] as? String == "rejected")
            #expect(try await Self.stock(api, honey) == 5)
            try await world.expect(
                .post, "/v1/packages/\(honeyPackage)/reject", honeyProducer, json: ["reason": "x"], status: .conflict)
            #expect(try await Self.stock(api, honey) == 5)
            let seen = try await world.expect(.get, "/v1/orders/\(id)", buyer, status: .ok)
            let seenHoney = (seen.json["packages"] as? [[String: Any]])?.first { $0["id"] as? String == honeyPackage }
            #expect(seenHoney?["reject_reason"] as? String == "Hết mật vụ này")
            #expect(seen.json["status"] as? String == "placed")

            // The fish sauce seller prepares; the buyer still cancels before pickup: stock back once.
            try await world.expect(.post, "/v1/packages/\(fishPackage)/ready", world.producer, status: .conflict)
            try await world.expect(.post, "/v1/packages/\(fishPackage)/accept", world.producer, status: .ok)
            let ready = try await world.expect(.post, "/v1/packages/\(fishPackage)/ready", world.producer, status: .ok)
            #expect(ready.json["status"] as? String == "ready_for_pickup")
            let list = try await world.expect(
                .get, "/v1/suppliers/\(world.supplier)/packages?status=ready_for_pickup", world.producer, status: .ok)
            #expect((list.json["items"] as? [Any])?.count == 1)
            // The post office serving both suppliers sees both packages; another office's clerk cannot look.
            let office = try await world.expect(
                .get, "/v1/post-offices/\(world.officeA)/packages", world.clerkA, status: .ok)
            #expect((office.json["items"] as? [Any])?.count == 2)
            try await world.expect(.get, "/v1/post-offices/\(world.officeA)/packages", world.clerkB, status: .notFound)
            try await world.expect(.get, "/v1/post-offices/\(world.officeA)/packages", buyer, status: .forbidden)
            let cancelled = try await world.expect(.post, "/v1/orders/\(id)/cancel", buyer, status: .ok)
            #expect(cancelled.json["status"] as? String == "cancelled")
            #expect(try await Self.stock(api, fish) == 10)
            try await world.expect(.post, "/v1/orders/\(id)/cancel", buyer, status: .conflict)
            #expect(try await Self.stock(api, fish) == 10)
            try await world.expect(.post, "/v1/orders/\(id)/cancel", try await api.buyerToken(), status: .notFound)
        }
    }

    /// A seller's package queue and a post office's grow without end: they come in keyset pages,
    /// newest first, every package once.
    @Test func packageListsArePagedNewestFirst() async throws {
        try await withTestApp { api in
            let (world, fish, honey, _) = try await Self.shop(api, fishStock: 100, honeyStock: 100)
            let buyer = try await api.buyerToken()
            var placed: [String] = []
            for _ in 0..<5 {
                let reply = try await Self.order(api, token: buyer, lines: [(fish, 1), (honey, 1)])
                let packages = try #require(reply.json["packages"] as? [[String: Any]])
                placed += packages.filter { $0["supplier_name"] as? String != "HTX Mật ong" }.compactMap {
                    $0["id"] as? String
                }
            }
            func walk(_ path: String, _ token: String, limit: Int) async throws -> [[String]] {
                var pages: [[String]] = []
                var cursor: String?
                repeat {
                    let reply = try await world.expect(
                        .get, path + "limit=\(limit)" + (cursor.map { "&cursor=\($0)" } ?? ""), token, status: .ok)
                    pages.append((reply.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
                    cursor = reply.json["next_cursor"] as? String
                } while cursor != nil && pages.count < 20
                return pages
            }
            let seller = try await walk("/v1/suppliers/\(world.supplier)/packages?", world.producer, limit: 2)
            #expect(seller.map(\.count) == [2, 2, 1])
            #expect(seller.flatMap { $0 } == placed.reversed())
            let office = try await walk(
                "/v1/post-offices/\(world.officeA)/packages?status=new&", world.clerkA, limit: 3)
            #expect(office.map(\.count) == [3, 3, 3, 1])
            #expect(Set(office.flatMap { $0 }).count == 10)
            try await world.expect(
                .get, "/v1/suppliers/\(world.supplier)/packages?cursor=not-ours", world.producer,
                status: .unprocessableContent)
        }
    }

    @Test func bankTransferOrdersWaitForPayment() async throws {
        try await withTestApp { api in
            let (world, fish, _, _) = try await Self.shop(api)
            let buyer = try await api.buyerToken()
            let placed = try await Self.order(api, token: buyer, lines: [(fish, 1)], method: "bank_transfer")
            #expect(placed.json["status"] as? String == "awaiting_payment")
            #expect(placed.json["payment_due_at"] != nil)
            let id = try #require(placed.json["id"] as? String)
            let stored = try await world.expect(.get, "/v1/orders/\(id)", buyer, status: .ok)
            #expect(stored.json["payment_due_at"] as? String == placed.json["payment_due_at"] as? String)
            #expect(NSDictionary(dictionary: stored.json).isEqual(to: placed.json))
            let package = try #require((placed.json["packages"] as? [[String: Any]])?.first)
            #expect(package["cod_amount_vnd"] as? Int == 0)
            #expect(package["status"] as? String == "awaiting_payment")
            let packageID = try #require(package["id"] as? String)
            // Not paid: nothing to prepare yet; the stock is held.
            let early = try await world.expect(
                .post, "/v1/packages/\(packageID)/accept", world.producer, status: .conflict)
            #expect(early.json["current_state"] as? String == "awaiting_payment")
            #expect(try await Self.stock(api, fish) == 9)
        }
    }
}
