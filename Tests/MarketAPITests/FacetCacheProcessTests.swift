import Catalog
import Foundation
import Hummingbird
import HummingbirdTesting
import Kernel
import Testing

@testable import MarketAPI

/// Issue 17: browse facets are cached per process for a minute here, yet a listing approved on another
/// process shows in the counts beside the items as soon as it shows in the items.
@Suite("Facet counts follow catalog changes on every process")
struct FacetCacheProcessTests {
    @Test func aProductListedOnOneProcessIsCountedOnTheOther() async throws {
        let config = testConfig { $0.facetCacheSeconds = 60 }
        try await withTestDatabase { client, url in
            let deps = [0, 1].map { _ in AppDependencies(config: config, db: client, logger: testLogger) }
            let caches = try deps.map { try #require($0.facetCache) }
            let listening = try deps.map { dep in
                let listener = CatalogChangeListener(
                    configuration: try url.connectionConfiguration(), cache: dep.productCache, facets: dep.facetCache,
                    logger: testLogger)
                return Task { await listener.run() }
            }
            defer { for task in listening { task.cancel() } }
            let appA = Application(router: try buildRouter(deps[0]), logger: testLogger)
            let appB = Application(router: try buildRouter(deps[1]), logger: testLogger)
            try await appA.test(.router) { clientA in
                try await appB.test(.router) { clientB in
                    for _ in 0..<50 where !caches.allSatisfy(\.isEnabled) {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    #expect(caches.allSatisfy { $0.isEnabled })
                    let a = TestAPI(client: clientA, db: client, config: config)
                    let b = TestAPI(client: clientB, db: client, config: config)
                    let world = try await CatalogWorld.make(a)
                    _ = try await world.listed("Mật ong hoa cà phê", category: "honey")
                    _ = try await world.listed("Mật ong rừng Trà My", category: "honey")
                    /// The items and the honey count of one response, browsing or searching words (the
                    /// province filter picked: the category facet counts within it).
                    func browse(_ query: String = "category=honey") async throws -> (items: Int, counted: Int?) {
                        let reply = try await a.request(.get, "/v1/products?\(query)")
                        let items = (reply.json["items"] as? [Any])?.count ?? -1
                        let groups = (reply.json["facets"] as? [String: Any])?["category"] as? [[String: Any]] ?? []
                        return (items, groups.first { $0["value"] as? String == "honey" }?["count"] as? Int)
                    }
                    let first = try await browse()
                    #expect(first.items == 2 && first.counted == 2)
                    #expect(caches[0].count == 1)
                    let cached = try await browse()
                    #expect(cached.items == 2 && cached.counted == 2)

                    // Approved on process B: process A's next answers count it beside it.
                    let draft = try await world.draft("Mật ong bạc hà", category: "honey")
                    try await world.expect(.post, "/v1/products/\(draft)/submit", world.producer, status: .ok)
                    let approved = try await b.request(.post, "/v1/products/\(draft)/approve", token: world.clerkA)
                    #expect(approved.status == .ok)
                    var seen: (items: Int, counted: Int?) = (0, nil)
                    for _ in 0..<50 {
                        seen = try await browse()
                        if seen.items == 3 && seen.counted == 3 { break }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    #expect(seen.items == 3 && seen.counted == 3)
                    // Cached again, and still right.
                    let again = try await browse()
                    #expect(again.items == 3 && again.counted == 3)
                    let searched = try await browse("q=\("mật ong".q)&province=48")
                    #expect(searched.items == 3 && searched.counted == 3)
                    // The words' counts are kept too: the second answer lists its page alone, beside them.
                    #expect(caches[0].count == 2)
                    let searchedAgain = try await browse("q=\("mật ong".q)&province=48")
                    #expect(searchedAgain.items == 3 && searchedAgain.counted == 3)

                    // Archived on process B: gone from A's items and counts together.
                    let archived = try await b.request(.post, "/v1/products/\(draft)/archive", token: world.producer)
                    #expect(archived.status == .ok)
                    for query in ["category=honey", "q=\("mật ong".q)&province=48"] {
                        for _ in 0..<50 {
                            seen = try await browse(query)
                            if seen.items == 2 && seen.counted == 2 { break }
                            try await Task.sleep(for: .milliseconds(20))
                        }
                        #expect(seen.items == 2 && seen.counted == 2, "\(query)")
                    }
                }
            }
        }
    }
}
