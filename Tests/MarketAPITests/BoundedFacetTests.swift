import Foundation
import Testing

@testable import MarketAPI

/// Issue 17: with the RUM index, a text's facet counts visit at most `SEARCH_COUNTED_MATCHES` of its
/// matches (10,000 in service; 2 here), so a very common word does not visit every match; past it the
/// response says the counts are lower bounds. The items are not bounded by it.
@Suite("Facet counts of a very common word are bounded, and say so")
struct BoundedFacetTests {
    static func facets(_ world: CatalogWorld, _ query: String) async throws -> (
        complete: Bool?, honey: Int?, items: Int
    ) {
        let reply = try await world.expect(.get, "/v1/products?\(query)", nil, status: .ok)
        let facets = reply.json["facets"] as? [String: Any] ?? [:]
        let honey = (facets["category"] as? [[String: Any]] ?? []).first { $0["value"] as? String == "honey" }
        return (
            facets["complete"] as? Bool, honey?["count"] as? Int, (reply.json["items"] as? [Any] ?? []).count
        )
    }

    @Test(arguments: [true, false])
    func countsStopAtTheBoundOnlyWhereTheIndexRanks(rumIndex: Bool) async throws {
        let config = testConfig {
            $0.searchCountedMatches = 2
            $0.searchRUMIndex = rumIndex
        }
        try await withTestApp(config: config) { api in
            let world = try await CatalogWorld.make(api)
            for title in ["Mật ong hoa cà phê", "Mật ong rừng", "Mật ong bạc hà", "Mật ong hoa nhãn"] {
                _ = try await world.listed(title, category: "honey")
            }
            // Four matches, two counted at most (three visited, to know there are more).
            let common = try await Self.facets(world, "q=\("mật ong".q)&limit=10")
            #expect(common.items == 4, "the items are not bounded")
            if rumIndex {
                #expect(common.complete == false)
                #expect(common.honey == 3, "a lower bound: the matches visited")
            } else {
                #expect(common.complete == true, "ranking every match counts every match")
                #expect(common.honey == 4)
            }
            // The shop writes a lower bound with a plus.
            let page = try await ConsoleTests.Browser(api).send(.get, "/tim-kiem?q=mat+ong")
            #expect(
                page.text.contains(
                    rumIndex
                        ? "Mật ong và sản phẩm từ ong <small>3+</small>" : "Mật ong và sản phẩm từ ong <small>4</small>"
                ), "\(page.text)")
            // Two matches: within the bound, exact.
            let fewer = try await Self.facets(world, "q=\("hoa".q)&limit=10")
            #expect(fewer.complete == true)
            #expect(fewer.honey == 2)
            #expect(fewer.items == 2)
            // Without a text the counts are the tallies': always complete.
            let browse = try await Self.facets(world, "category=honey")
            #expect(browse.complete == true)
            #expect(browse.honey == 4)
        }
    }
}
