import Foundation
import Testing

@testable import MarketAPI

/// Issue 17: when a query's words match nothing, each word the catalog does not know is replaced by the
/// nearest one it knows (`search_words`, migration 0055) and those are searched in the index; the titles'
/// trigram similarity is the last fallback.
@Suite("Typos corrected word by word")
struct SpellingTests {
    static func titles(_ reply: TestAPI.Reply) -> [String] {
        (reply.json["items"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
    }

    @Test func unknownWordsAreReplacedByTheNearestKnownOnes() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            _ = try await world.listed("Mật ong rừng", category: "honey")
            _ = try await world.listed("Mật ong hoa nhãn", category: "honey")
            _ = try await world.listed("Nước mắm Cửa Đại", category: "seasonings")

            // Two honeys, one per page: the correction is said on both pages and the cursor keeps it.
            let first = try await world.expect(.get, "/v1/products?q=\("mat onng".q)&limit=1", nil, status: .ok)
            #expect(first.json["corrected_q"] as? String == "mat ong")
            let cursor = try #require(first.json["next_cursor"] as? String)
            let second = try await world.expect(
                .get, "/v1/products?q=\("mat onng".q)&limit=1&cursor=\(cursor)", nil, status: .ok)
            #expect(second.json["corrected_q"] as? String == "mat ong")
            #expect(Set(Self.titles(first) + Self.titles(second)) == ["Mật ong rừng", "Mật ong hoa nhãn"])
            #expect(second.json["next_cursor"] is NSNull)

            // Words the catalog knows are left alone: no correction when they match.
            let exact = try await world.expect(.get, "/v1/products?q=\("mật ong".q)", nil, status: .ok)
            #expect(exact.json["corrected_q"] == nil)
            #expect(Self.titles(exact).count == 2)

            // A product listed later teaches its words: "ngok" is "ngoc" (same length before "ngo").
            _ = try await world.listed("Sâm Ngọc Linh tươi", category: "processed-food")
            let ginseng = try await world.expect(.get, "/v1/products?q=\("sam ngok linh".q)", nil, status: .ok)
            #expect(ginseng.json["corrected_q"] as? String == "sam ngoc linh")
            #expect(Self.titles(ginseng) == ["Sâm Ngọc Linh tươi"])

            // Of two words as near, the commoner: "thnah" (two letters swapped) is "thanh", not "thach".
            _ = try await world.listed("Nem chua Thanh Hoá", category: "processed-food")
            _ = try await world.listed("Bánh gai Thanh Hoá", category: "processed-food")
            _ = try await world.listed("Sương sáo thạch đen", category: "processed-food")
            let swapped = try await world.expect(.get, "/v1/products?q=\("thnah".q)", nil, status: .ok)
            #expect(swapped.json["corrected_q"] as? String == "thanh")
            #expect(Set(Self.titles(swapped)) == ["Nem chua Thanh Hoá", "Bánh gai Thanh Hoá"])

            // Known words that no product has together: nothing to correct, the trigram fallback answers
            // (the fish sauce's title is like the query) and no correction is claimed.
            let together = try await world.expect(.get, "/v1/products?q=\("nuoc mam rung".q)", nil, status: .ok)
            #expect(together.json["corrected_q"] == nil)
            #expect(Self.titles(together).contains("Nước mắm Cửa Đại"))

            // The shop says what it searched instead.
            let page = try await ConsoleTests.Browser(api).send(.get, "/tim-kiem?q=mat+onng")
            #expect(page.text.contains("Kết quả cho “mat ong”"))
            #expect(page.text.contains("Không có sản phẩm nào có đúng các chữ “mat onng”"))
            #expect(page.text.contains("Mật ong rừng"))
        }
    }
}
