import Foundation
import Testing

@testable import MarketAPI

@Suite("Search finds Vietnamese with or without diacritics, filters, sorts, counts facets and pages")
struct SearchTests {
    @Test func accentInsensitiveAndTypoTolerant() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            _ = try await world.listed("Nước mắm Cửa Đại", description: "Cá cơm Hội An ủ chượp")
            _ = try await world.listed("Trà xanh Hòa Vang", category: "tea")
            _ = try await world.listed("Bánh tráng Đại Lộc", category: "processed-food")
            for query in ["nuoc mam cua dai", "NƯỚC MẮM", "Nuoc Mam", "nước mắm cửa đại", "cua dai"] {
                #expect(try await world.titles("q=\(query.q)") == ["Nước mắm Cửa Đại"], "query \(query)")
            }
            // đ = d both ways.
            #expect(try await Set(world.titles("q=\("dai".q)")) == ["Nước mắm Cửa Đại", "Bánh tráng Đại Lộc"])
            #expect(try await Set(world.titles("q=\("đại".q)")) == ["Nước mắm Cửa Đại", "Bánh tráng Đại Lộc"])
            // Either tone-mark placement (hoà / hòa), and tone marks typed as combining characters.
            #expect(try await world.titles("q=\("hoà vang".q)") == ["Trà xanh Hòa Vang"])
            #expect(try await world.titles("q=\("ho\u{0300}a vang".q)") == ["Trà xanh Hòa Vang"])
            // Words of the description count; typos in the title are tolerated.
            #expect(try await world.titles("q=\("ca com hoi an".q)") == ["Nước mắm Cửa Đại"])
            #expect(try await world.titles("q=\("nuoc mma cua dai".q)") == ["Nước mắm Cửa Đại"])
            #expect(try await world.titles("q=\("banh trnag".q)") == ["Bánh tráng Đại Lộc"])
            #expect(try await world.titles("q=\("sâm ngọc linh".q)").isEmpty)
            // SQL metacharacters are just text.
            #expect(try await world.titles("q=\("'; DROP TABLE products; --".q)").isEmpty)
            // A query of punctuation only (no word in it) browses, rather than matching nothing.
            #expect(try await world.titles("q=\("%_\\".q)").count == 3)
        }
    }

    @Test func filtersSortsFacetsAndVisibility() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let cheap = try await world.listed("Mật ong hoa cà phê", category: "honey", variants: [("MO-1", 90000, 3)])
            _ = try await world.listed("Mật ong rừng", category: "honey", variants: [("MO-2", 250000, 0)])
            _ = try await world.listed(
                "Rượu Tà Vạt", category: "spirits", province: "01", variants: [("RU-1", 180000, 2)])
            _ = try await world.draft("Mật ong bản nháp", category: "honey")
            let other = try await api.buyerToken()
            let otherSupplier = try await world.applySupplier(other, name: "HTX Mật ong Tiên Phước")
            try await world.expect(.post, "/v1/suppliers/\(otherSupplier)/approve", world.clerkA, status: .ok)
            _ = try await world.listed("Mật ong Tiên Phước", supplier: otherSupplier, token: other, category: "honey")

            // Tiên Phước's variant is 85,000 đ, hoa cà phê 90,000 đ, rừng 250,000 đ.
            #expect(
                try await world.titles("category=food&sort=price_asc") == [
                    "Mật ong Tiên Phước", "Mật ong hoa cà phê", "Mật ong rừng",
                ])
            #expect(try await world.titles("category=honey&sort=price_desc").first == "Mật ong rừng")
            #expect(try await world.titles("province=01") == ["Rượu Tà Vạt"])
            #expect(try await Set(world.titles("price_min=100000&price_max=200000")) == ["Rượu Tà Vạt"])
            #expect(
                try await world.titles("in_stock=true&category=honey&sort=price_asc") == [
                    "Mật ong Tiên Phước", "Mật ong hoa cà phê",
                ])
            #expect(try await world.titles("supplier_id=\(otherSupplier)") == ["Mật ong Tiên Phước"])
            #expect(try await world.titles("sort=newest").first == "Mật ong Tiên Phước")
            let facets = try await world.expect(.get, "/v1/products?q=\("mat ong".q)", nil, status: .ok)
            let byCategory = (facets.json["facets"] as? [String: Any])?["category"] as? [[String: Any]]
            #expect(byCategory?.first?["value"] as? String == "honey")
            #expect(byCategory?.first?["count"] as? Int == 3)

            // Suspending a supplier hides its products at once; reinstating shows them again.
            try await world.expect(
                .post, "/v1/suppliers/\(otherSupplier)/suspend", world.clerkA, json: ["reason": "Kiểm tra"],
                status: .ok)
            #expect(try await world.titles("q=\("tien phuoc".q)").isEmpty)
            #expect(try await world.titles("supplier_id=\(otherSupplier)").isEmpty)
            try await world.expect(
                .post, "/v1/suppliers/\(otherSupplier)/reinstate", world.clerkA, json: ["reason": "OK"], status: .ok)
            #expect(try await world.titles("q=\("tien phuoc".q)") == ["Mật ong Tiên Phước"])
            _ = cheap
        }
    }

    @Test func keysetPagesAreStableAndComplete() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            var expected = Set<String>()
            for i in 0..<7 {
                // Same price for several products: ties are broken by id, so no page repeats or skips one.
                _ = try await world.listed(
                    "Bánh tráng số \(i)", category: "processed-food", variants: [("BT-\(i)", 20000 + (i % 2) * 1000, 1)]
                )
                expected.insert("Bánh tráng số \(i)")
            }
            // A typo'd word pages through its correction ("trnag" is "trang"), known words no product has
            // together through the trigram fallback; the cursors stay in their mode.
            for (query, sort) in [
                ("banh trang", "price_asc"), ("banh trang", "price_desc"), ("banh trang", "newest"),
                ("banh trang", "relevance"), ("banh trnag", "relevance"), ("banh trnag", "price_asc"),
                ("banh trang so 9", "relevance"),
            ] {
                var seen: [String] = []
                var cursor: String?
                var pages = 0
                repeat {
                    var uri = "/v1/products?q=\(query.q)&sort=\(sort)&limit=3"
                    if let cursor { uri += "&cursor=\(cursor)" }
                    let reply = try await world.expect(.get, uri, nil, status: .ok)
                    seen += (reply.json["items"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
                    cursor = reply.json["next_cursor"] as? String
                    pages += 1
                } while cursor != nil && pages < 10
                #expect(seen.count == 7, "\(query) \(sort)")
                #expect(Set(seen) == expected, "\(query) \(sort)")
            }
            // A cursor from another sort, or one this service never issued, is a 422 naming `cursor`.
            let first = try await world.expect(.get, "/v1/products?sort=newest&limit=2", nil, status: .ok)
            let cursor = try #require(first.json["next_cursor"] as? String)
            let mixed = try await api.request(.get, "/v1/products?sort=price_asc&cursor=\(cursor)")
            #expect(mixed.errorFields == ["cursor"])
            let forged = try await api.request(.get, "/v1/products?cursor=bm90LWEtY3Vyc29y")
            #expect(forged.errorFields == ["cursor"])
            let bad = try await api.request(.get, "/v1/products?price_min=5&price_max=1&limit=0")
            #expect(Set(bad.errorFields) == ["price_max", "limit"])
        }
    }
}
