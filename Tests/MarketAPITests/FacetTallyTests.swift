import Foundation
import PostgresNIO
import Testing

@testable import MarketAPI

/// Issue 17: a browse's facet counts come from `listed_facet_tallies` (migration 0053), kept by the
/// products' statement triggers. Whatever changes which products are listed, or their category,
/// province or certificate, the tallies equal a count of the products, in the same transaction.
@Suite("Facet tallies follow every change to the listed products")
struct FacetTallyTests {
    /// The keys where the tallies and a count of the listed products differ, as text.
    static func drift(_ api: TestAPI) async throws -> [String] {
        let rows = try await api.db.query(
            """
            WITH counted AS (
                SELECT category_code, category_group, origin_province_code, ocop_stars, ocop_expires_on, count(*) AS n
                FROM products WHERE status = 'active' AND supplier_active AND min_price_vnd IS NOT NULL
                GROUP BY 1, 2, 3, 4, 5),
            kept AS (
                SELECT category_code, category_group, origin_province_code, ocop_stars, ocop_expires_on, n
                FROM listed_facet_tallies WHERE n > 0)
            SELECT 'counted ' || d::text FROM (SELECT * FROM counted EXCEPT SELECT * FROM kept) d
            UNION ALL
            SELECT 'kept ' || d::text FROM (SELECT * FROM kept EXCEPT SELECT * FROM counted) d
            """
        ).collect()
        return try rows.map { try $0.decode(String.self) }
    }

    @Test func theTalliesAgreeWithTheProductsAfterEveryKindOfChange() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            #expect(try await Self.drift(api).isEmpty)
            let honey = try await world.listed("Mật ong rừng", category: "honey")
            let tea = try await world.listed("Trà xanh", category: "tea", province: "46")
            _ = try await world.draft("Mật ong bản nháp", category: "honey")
            #expect(try await Self.drift(api).isEmpty, "listed and drafted")

            // A certificate verified moves the product to another key; its category edited sends it back
            // to review (unlisted).
            let certificate = try await world.expect(
                .post, "/v1/products/\(honey)/ocop-certifications", world.producer, json: ScopeWorld.certificate(),
                status: .created)
            let certificateID = try #require(certificate.json["id"] as? String)
            try await world.expect(.post, "/v1/ocop-certifications/\(certificateID)/verify", world.clerkA, status: .ok)
            #expect(try await Self.drift(api).isEmpty, "certified")
            try await world.expect(
                .patch, "/v1/products/\(tea)", world.producer, json: ["category_code": "herbal-medicine"], status: .ok)
            #expect(try await Self.drift(api).isEmpty, "edited back to review")

            // The supplier suspended (every product unlisted in one statement), then reinstated.
            try await world.expect(
                .post, "/v1/suppliers/\(world.supplier)/suspend", world.clerkA, json: ["reason": "Kiểm tra"],
                status: .ok)
            #expect(try await Self.drift(api).isEmpty, "suspended")
            try await world.expect(
                .post, "/v1/suppliers/\(world.supplier)/reinstate", world.clerkA, json: ["reason": "OK"], status: .ok)
            #expect(try await Self.drift(api).isEmpty, "reinstated")

            // Archived; and the browse counts from the tallies what its items list.
            try await world.expect(.post, "/v1/products/\(honey)/archive", world.producer, status: .ok)
            #expect(try await Self.drift(api).isEmpty, "archived")
            let listed = try await world.listed("Mật ong hoa cà phê", category: "honey")
            _ = listed
            let browse = try await DisjunctiveFacetTests.get(world, "category=honey&province=46")
            #expect(browse.titles.isEmpty && browse.province == ["48": 1])
        }
    }
}
