import Catalog
import Foundation
import Kernel
import PostgresNIO
import Synchronization
import Testing

@testable import MarketAPI
@testable import Orders

/// An order is priced from a read without locks and written by one statement that locks the
/// variants and checks them against that pricing. These tests change the catalog in between.
@Suite("Orders: a cart that changes between pricing and writing is priced again")
struct OrderRaceTests {
    /// The buyer behind a fresh token, as the service sees a signed-in caller.
    static func buyer(_ api: TestAPI) async throws -> Caller {
        let token = try await api.buyerToken()
        let me = try await api.request(.get, "/v1/me", token: token)
        let id = try #require(UUID(uuidString: me.json["id"] as? String ?? ""))
        return Caller(
            principal: Principal(
                userID: id,
                grants: [RoleGrant(id: UUID(), role: .buyer, supplierID: nil, postOfficeID: nil, grantedAt: Date())]),
            requestID: nil)
    }

    static func cart(_ variant: String, quantity: Int) throws -> NewOrder {
        try NewOrder.validated(
            lines: [CartLine(variantID: try #require(UUID(uuidString: variant)), quantity: quantity)],
            address: ShippingAddress(
                recipientName: "Nguyễn Thị Mai", phone: "0905123456", provinceCode: "48",
                communeCode: CatalogWorld.communeA, addressLine: "12 Trần Phú"),
            paymentMethod: .cod)
    }

    @Test func aPriceChangedAfterPricingIsPricedAgain() async throws {
        try await withTestApp { api in
            let (_, fish, _, _) = try await OrderTests.shop(api)
            let caller = try await Self.buyer(api)
            let attempts = Mutex(0)
            var service = OrderService(db: Database(api.db), logger: testLogger)
            let db = api.db
            service.afterPricing = {
                let attempt = attempts.withLock {
                    $0 += 1; return $0
                }
                if attempt == 1 {
                    try await db.query("UPDATE product_variants SET price_vnd = 90000 WHERE sku = 'NM-500'")
                }
            }
            let placement = try await service.place(
                try Self.cart(fish, quantity: 2), idempotencyKey: "race-1", caller: caller)
            guard case .placed(let order) = placement else {
                Issue.record("expected a new order")
                return
            }
            #expect(attempts.withLock { $0 } == 2)
            #expect(order.packages.first?.lines.first?.unitPriceVND == 90_000)
            #expect(order.itemsTotalVND == 180_000)
            #expect(
                try await OrderTests.count(api, "SELECT unit_price_vnd::int FROM order_lines WHERE sku = 'NM-500'")
                    == 90_000)
            #expect(try await OrderTests.stock(api, fish) == 8)
        }
    }

    @Test func stockTakenAfterPricingIsRefusedWithNothingWritten() async throws {
        try await withTestApp { api in
            let (_, fish, _, _) = try await OrderTests.shop(api, fishStock: 5)
            let caller = try await Self.buyer(api)
            var service = OrderService(db: Database(api.db), logger: testLogger)
            let db = api.db
            service.afterPricing = {
                try await db.query("UPDATE product_variants SET stock_on_hand = 2 WHERE sku = 'NM-500'")
            }
            await #expect {
                _ = try await service.place(
                    try Self.cart(fish, quantity: 4), idempotencyKey: "race-2", caller: caller)
            } throws: { error in
                guard case DomainError.conflict(let kind, _, _, let fields) = error else { return false }
                return kind == "insufficient-stock" && fields.first?.message.contains("only 2 of NM-500") == true
            }
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM orders") == 0)
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM idempotency_keys") == 0)
            #expect(try await OrderTests.stock(api, fish) == 2)
        }
    }
}
