import Foundation
import Testing

@testable import MarketAPI

/// Issue 17: a place in the query matches the product's origin (province, commune, the former Quảng Nam
/// province and the towns communes were cut from), not only words in its text.
@Suite("Search finds products by where they come from")
struct SearchPlaceTests {
    @Test func placeNamesMatchTheOrigin() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            // The world's supplier is in Hội An (20410, former Quảng Nam).
            _ = try await world.listed("Mật ong hoa cà phê", category: "honey")
            _ = try await world.listed("Mật ong Trà My", category: "honey")
            // Trà My (20900) is served by office A here, so its clerk approves the cooperative.
            try await api.db.query(
                "INSERT INTO post_office_communes (commune_code, post_office_id) VALUES ('20900', \(world.officeA))")
            let traMy = try await api.buyerToken()
            let traMySupplier = try await world.applySupplier(traMy, name: "HTX Quế Trà My", commune: "20900")
            try await world.expect(.post, "/v1/suppliers/\(traMySupplier)/approve", world.clerkA, status: .ok)
            _ = try await world.listed("Mật ong rừng", supplier: traMySupplier, token: traMy, category: "honey")
            _ = try await world.listed(
                "Quế thanh cạo vỏ", supplier: traMySupplier, token: traMy, category: "dried-produce")
            let haiVan = try await api.buyerToken()
            let haiVanSupplier = try await world.applySupplier(haiVan, name: "HTX Hải Vân", commune: "20194")
            try await world.expect(.post, "/v1/suppliers/\(haiVanSupplier)/approve", world.clerkB, status: .ok)
            // Hải Vân (20194) is office B's: its clerk approves.
            let keo = try await world.draft(
                "Mật ong hoa keo", supplier: haiVanSupplier, token: haiVan, category: "honey")
            try await world.expect(.post, "/v1/products/\(keo)/submit", haiVan, status: .ok)
            try await world.expect(.post, "/v1/products/\(keo)/approve", world.clerkB, status: .ok)
            // From Hội An's cooperative, but grown in Cao Bằng: not from Hội An.
            _ = try await world.listed("Mật ong bạc hà", category: "honey", province: "04")

            for query in ["mật ong Trà My", "mat ong tra my", "Mật ong trà my"] {
                // Honey from Trà My, or saying it is: not honey from elsewhere, nor Trà My's cinnamon.
                let titles = try await world.titles("q=\(query.q)")
                #expect(Set(titles) == ["Mật ong Trà My", "Mật ong rừng"], "\(query)")
                #expect(titles.first == "Mật ong Trà My", "\(query): the one naming the place first")
            }
            // A place alone: what names it first, then what comes from there.
            let traMyAlone = try await world.titles("q=\("Trà My".q)")
            #expect(traMyAlone.first == "Mật ong Trà My")
            #expect(Set(traMyAlone) == ["Mật ong Trà My", "Mật ong rừng", "Quế thanh cạo vỏ"])
            // Hội An's wards; the former Quảng Nam (communes from 20333 on); a province by its name.
            #expect(
                Set(try await world.titles("q=\("hội an".q)")) == ["Mật ong hoa cà phê", "Mật ong Trà My"])
            #expect(
                Set(try await world.titles("q=\("Quảng Nam".q)")) == [
                    "Mật ong hoa cà phê", "Mật ong Trà My", "Mật ong rừng", "Quế thanh cạo vỏ",
                ])
            // Paged one by one, the same four, each once: those naming the place first, then the others
            // by id (they all rank 0), across the candidate sets of the RUM index.
            var paged: [String] = []
            var cursor: String?
            repeat {
                let page = try await world.expect(
                    .get, "/v1/products?q=\("Quảng Nam".q)&limit=1" + (cursor.map { "&cursor=\($0)" } ?? ""), nil,
                    status: .ok)
                paged += (page.json["items"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
                cursor = page.json["next_cursor"] as? String
            } while cursor != nil && paged.count < 10
            #expect(paged.count == 4 && Set(paged).count == 4, "\(paged)")
            #expect(Set(try await world.titles("q=\("mật ong quang nam".q)")).count == 3)
            #expect(Set(try await world.titles("q=\("mật ong Đà Nẵng".q)")).count == 4)
            #expect(try await world.titles("q=\("mật ong cao bằng".q)") == ["Mật ong bạc hà"])
            // The facets count what the items are.
            let reply = try await world.expect(.get, "/v1/products?q=\("mật ong trà my".q)", nil, status: .ok)
            let byCategory = (reply.json["facets"] as? [String: Any])?["category"] as? [[String: Any]]
            #expect(byCategory?.first?["value"] as? String == "honey" && byCategory?.first?["count"] as? Int == 2)
            // A place that matches nothing here finds nothing, rather than everything.
            #expect(try await world.titles("q=\("mật ong Cà Mau".q)").isEmpty)
        }
    }
}
