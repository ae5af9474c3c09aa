import Foundation
import Testing

@testable import MarketAPI

/// Issue 17: each facet counts without its own filter, the way large shops do it: after picking one
/// province a buyer still sees how many items the other provinces have; the other filters still apply.
@Suite("Facets are disjunctive and agree with the items")
struct DisjunctiveFacetTests {
    /// The items' titles and the three facets of one response, as value → count.
    struct Reply {
        var titles: Set<String>
        var category: [String: Int]
        var province: [String: Int]
        var next: String?
    }

    static func get(_ world: CatalogWorld, _ query: String) async throws -> Reply {
        let reply = try await world.expect(.get, "/v1/products?\(query)", nil, status: .ok)
        let facets = reply.json["facets"] as? [String: Any] ?? [:]
        func counts(_ name: String) -> [String: Int] {
            var out: [String: Int] = [:]
            for group in facets[name] as? [[String: Any]] ?? [] {
                if let value = group["value"] as? String, let count = group["count"] as? Int { out[value] = count }
            }
            return out
        }
        let titles = (reply.json["items"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
        return Reply(
            titles: Set(titles), category: counts("category"), province: counts("province"),
            next: reply.json["next_cursor"] as? String)
    }

    @Test func eachFacetIgnoresItsOwnFilterOnly() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            _ = try await world.listed("Mật ong hoa cà phê", category: "honey")
            _ = try await world.listed("Mật ong rừng", category: "honey")
            _ = try await world.listed("Mật ong bạc hà", category: "honey", province: "04")
            _ = try await world.listed("Trà gừng mật ong", category: "tea")
            _ = try await world.listed("Nước mắm Cửa Đại", category: "seasonings")

            for text in ["q=\("mật ong".q)&", ""] {
                let label = text.isEmpty ? "browse" : "text"
                // One province picked: the province facet still counts the other one; the category facet
                // counts within the picked province.
                let inCaoBang = try await Self.get(world, "\(text)province=04")
                #expect(inCaoBang.titles == ["Mật ong bạc hà"], "\(label)")
                #expect(inCaoBang.province == (text.isEmpty ? ["48": 4, "04": 1] : ["48": 3, "04": 1]), "\(label)")
                #expect(inCaoBang.category == ["honey": 1], "\(label)")

                // Two filters: each facet applies the other one.
                let honeyHere = try await Self.get(world, "\(text)category=honey&province=48")
                #expect(honeyHere.titles == ["Mật ong hoa cà phê", "Mật ong rừng"], "\(label)")
                #expect(honeyHere.province == ["48": 2, "04": 1], "\(label)")
                #expect(
                    honeyHere.category
                        == (text.isEmpty ? ["honey": 2, "tea": 1, "seasonings": 1] : ["honey": 2, "tea": 1]),
                    "\(label)")

                // The counts of a value are what picking it lists.
                for (value, count) in honeyHere.province {
                    let picked = try await Self.get(world, "\(text)category=honey&province=\(value)")
                    #expect(picked.titles.count == count, "\(label) province \(value)")
                }
                for (value, count) in honeyHere.category {
                    let picked = try await Self.get(world, "\(text)category=\(value)&province=48")
                    #expect(picked.titles.count == count, "\(label) category \(value)")
                }
            }

            // Words that match, in a province where nothing does: no items, and the counts say where
            // they are (not a typo fallback's guesses).
            let nowhere = try await Self.get(world, "q=\("mật ong".q)&province=01")
            #expect(nowhere.titles.isEmpty && nowhere.next == nil)
            #expect(nowhere.province == ["48": 3, "04": 1])
            #expect(nowhere.category.isEmpty)
            // Words that match nothing still fall back to typos.
            let typo = try await Self.get(world, "q=\("mat onng".q)&province=04")
            #expect(typo.titles == ["Mật ong bạc hà"])

            // Pages after the first carry the same counts.
            let first = try await Self.get(world, "q=\("mật ong".q)&province=48&limit=1")
            let cursor = try #require(first.next)
            let second = try await Self.get(world, "q=\("mật ong".q)&province=48&limit=1&cursor=\(cursor)")
            #expect(first.province == ["48": 3, "04": 1] && second.province == first.province)
            #expect(second.category == first.category && first.category == ["honey": 2, "tea": 1])
            #expect(first.titles.isDisjoint(with: second.titles) && second.titles.count == 1)
        }
    }
}
