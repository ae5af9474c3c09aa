import DemoData
import Foundation
import Kernel
import Testing

@testable import MarketAPI

/// Issue 17: a judged query set. Real-sounding Vietnamese queries, with and without diacritics (foods,
/// teas, handicrafts, places, OCOP, intents, typos), run through `GET /v1/products` against the demo
/// catalog plus a few products this test lists. Each query judges every product 2 (what was asked), 1
/// (related, acceptable) or 0 (wrong), as a buyer would, by what the product is (its noun, category,
/// certificate), not by how the engine matches. Expectations per query: the first result is a 2 when
/// the catalog has one; the first three (or as many as are relevant) are at least 1; no 0 ranks above a
/// 2 in the first ten. The test prints nDCG@10 (gain 2^grade − 1, ideal order from the whole catalog)
/// and the share of queries whose expectations all hold; `Benchmarks/README.md` records them.
@Suite("Search: the judged query set")
struct SearchJudgedSetTests {
    /// A product as judged: its title (lower case, NFC, one tone-mark placement), folded, and facts.
    struct Item: Sendable {
        var title: String
        var folded: String
        var category: String
        var specialty: Bool
        var stars: Int?

        init(title: String, category: String, specialty: Bool, stars: Int?) {
            let lower = title.precomposedStringWithCanonicalMapping.lowercased()
            self.title = lower.replacingOccurrences(of: "hòa", with: "hoà")
            self.folded = VietnameseText.folded(lower)
            self.category = category
            self.specialty = specialty
            self.stars = stars
        }

        /// Contains these words in this order, accents as written.
        func has(_ phrase: String) -> Bool { " \(title) ".contains(" \(phrase) ") }
        func starts(_ phrase: String) -> Bool { title.hasPrefix(phrase + " ") || title == phrase }
        func folds(_ phrase: String) -> Bool { " \(folded) ".contains(" \(phrase) ") }
    }

    struct Judged: Sendable, CustomTestStringConvertible {
        var query: String
        var grade: @Sendable (Item) -> Int
        var testDescription: String { query }
    }

    static func q(_ query: String, _ grade: @escaping @Sendable (Item) -> Int) -> Judged {
        Judged(query: query, grade: grade)
    }

    /// 2 when `exact`, 1 when `related`, else 0.
    static func g(_ exact: Bool, _ related: Bool = false) -> Int { exact ? 2 : related ? 1 : 0 }

    static let set: [Judged] = [
        // Foods and seasonings.
        q("nước mắm") { g($0.has("nước mắm"), $0.starts("mắm")) },
        q("nuoc mam") { g($0.has("nước mắm"), $0.starts("mắm")) },
        q("nước mắm nam ô") { g($0.has("nước mắm nam ô"), $0.has("nước mắm")) },
        q("nuoc mam cua dai") { g($0.has("nước mắm") && $0.has("cửa đại"), $0.has("nước mắm")) },
        q("mắm tôm chua") { g($0.has("mắm tôm chua"), $0.starts("mắm")) },
        q("mật ong") { g($0.starts("mật ong"), $0.category == "honey" || $0.has("mật ong")) },
        q("mat ong rung") { g($0.has("mật ong rừng"), $0.category == "honey") },
        q("mật ong hoa cà phê") { g($0.has("mật ong hoa cà phê"), $0.category == "honey") },
        q("sâm ngọc linh") { g($0.has("sâm ngọc linh")) },
        q("sam ngoc linh") { g($0.has("sâm ngọc linh")) },
        q("rượu sâm") { g($0.has("rượu sâm"), $0.has("sâm ngọc linh") || $0.category == "spirits") },
        q("quế trà my") { g($0.has("quế") && $0.has("trà my") && !$0.has("trà quế"), $0.has("quế")) },
        q("que tra my") { g($0.has("quế") && $0.has("trà my") && !$0.has("trà quế"), $0.has("quế")) },
        q("tinh dầu quế") { g($0.has("tinh dầu quế"), $0.starts("tinh dầu")) },
        q("bánh tráng") { g($0.has("bánh tráng")) },
        q("banh trang tuy loan") { g($0.has("bánh tráng túy loan"), $0.has("bánh tráng")) },
        q("mì quảng") { g($0.has("mì quảng")) },
        q("mi quang phu chiem") { g($0.has("mì quảng phú chiêm"), $0.has("mì quảng")) },
        q("cá cơm khô") { g($0.has("cá cơm khô"), $0.has("cá cơm")) },
        q("mực một nắng") { g($0.has("mực một nắng"), $0.starts("mực")) },
        q("gạo lứt") { g($0.starts("gạo") && $0.has("lứt"), $0.has("gạo lứt") || $0.starts("gạo")) },
        q("gạo st25") { g($0.has("st25"), $0.starts("gạo")) },
        q("bưởi đại bình") { g($0.has("bưởi đại bình"), $0.starts("bưởi")) },
        q("chuối sấy") { g($0.starts("chuối") && $0.has("sấy"), $0.starts("chuối")) },
        q("tiêu đen") { g($0.starts("tiêu") && $0.has("đen"), $0.starts("tiêu")) },
        q("đậu phộng rang") { g($0.has("đậu phộng rang"), $0.has("đậu phộng")) },
        q("chả bò") { g($0.has("chả bò"), $0.starts("chả")) },
        q("tré bó rơm") { g($0.has("tré bó rơm")) },
        q("kẹo gương") { g($0.has("kẹo gương"), $0.starts("kẹo")) },
        q("nem chua") { g($0.has("nem chua")) },
        q("cá tra") { g($0.starts("cá tra")) },
        q("bò khô") { g($0.starts("bò khô"), $0.starts("bò") || $0.has("chả bò")) },
        // Teas and drinks.
        q("trà") { g($0.starts("trà") || $0.has("trà xanh"), $0.has("chè")) },
        q("chè xanh") { g($0.has("chè xanh"), $0.starts("chè") || $0.has("trà xanh")) },
        q("tra thao moc") { g($0.has("trà thảo mộc"), $0.starts("trà")) },
        q("cà phê") { g($0.starts("cà phê"), $0.category == "coffee-cocoa") },
        q("ca phe robusta") { g($0.has("robusta"), $0.starts("cà phê")) },
        q("rượu nếp than") { g($0.has("rượu nếp than"), $0.starts("rượu")) },
        q("nước ép chanh dây") { g($0.has("nước ép chanh dây"), $0.category == "soft-drinks") },
        // Herbs and cosmetics.
        q("ba kích") { g($0.has("ba kích")) },
        q("nấm linh chi") { g($0.has("nấm linh chi")) },
        q("tinh bột nghệ") { g($0.has("tinh bột nghệ")) },
        q("tinh dau sa chanh") { g($0.has("tinh dầu sả chanh"), $0.starts("tinh dầu")) },
        q("xà bông thảo mộc") { g($0.has("xà bông thảo mộc")) },
        // Handicrafts.
        q("gốm thanh hà") { g($0.has("gốm thanh hà") && $0.category == "pottery", $0.has("gốm thanh hà")) },
        q("gom thanh ha") { g($0.has("gốm thanh hà") && $0.category == "pottery", $0.has("gốm thanh hà")) },
        q("đèn lồng hội an") { g($0.has("đèn lồng hội an"), $0.starts("đèn")) },
        q("thổ cẩm") { g($0.has("thổ cẩm")) },
        q("lụa mã châu") { g($0.has("lụa mã châu"), $0.has("lụa")) },
        q("tượng gỗ") { g($0.has("tượng gỗ"), $0.category == "woodwork") },
        q("giỏ mây") { g($0.has("giỏ xách mây"), $0.category == "bamboo-rattan") },
        q("tranh thêu") { g($0.has("tranh thêu")) },
        // Plants, animals, tourism.
        q("hoa lan") { g($0.has("hoa lan"), $0.category == "flowers") },
        q("cây cảnh") { g($0.category == "bonsai") },
        q("cá koi") { g($0.has("koi"), $0.category == "ornamental-animals") },
        q("homestay") { g($0.has("homestay")) },
        q("tour sinh thái") { g($0.has("tour sinh thái"), $0.category == "eco-tourism") },
        // Places in titles.
        q("hội an") { g($0.has("hội an")) },
        q("trà my") { g($0.has("trà my")) },
        q("ngọc linh") { g($0.has("ngọc linh")) },
        // Intent words.
        q("ocop 4 sao") { g(($0.stars ?? 0) >= 4) },
        q("đặc sản") { g($0.specialty) },
        q("dac san tra my") { g($0.specialty && $0.has("trà my"), $0.specialty) },
        q("mật ong ocop") { g($0.category == "honey" && $0.stars != nil, $0.category == "honey") },
        // Typos (the trigram fallback when the words find nothing).
        q("nuoc mamm") { g($0.has("nước mắm")) },
        q("banh trang tui loan") { g($0.has("bánh tráng túy loan"), $0.has("bánh tráng")) },
        q("sam ngok linh") { g($0.has("sâm ngọc linh")) },
        q("mat onng") { g($0.starts("mật ong"), $0.category == "honey") },
        // Typed on a phone that sends combining marks (NFD).
        q("nu\u{031B}\u{0301}o\u{031B}c ma\u{0306}\u{0301}m") { g($0.has("nước mắm"), $0.starts("mắm")) },
    ]

    /// Queries whose expectations the engine does not meet yet, and why (each fails the test once it
    /// starts passing, so the list cannot go stale).
    static let knownGaps: [String: String] = [
        "bò khô": "every word must match: dried beef titled without \"khô\" (\"Bò một nắng\", \"Chả bò\") is not "
            + "found, while fish sauce whose description folds to both words is; needs a partial-match fallback"
    ]

    struct Outcome: Sendable {
        var query: String
        var ndcg: Double
        var failures: [String]
    }

    /// DCG@10 with gain 2^grade − 1 and a log2 discount.
    static func dcg(_ grades: [Int]) -> Double {
        grades.prefix(10).enumerated().reduce(0) { sum, entry in
            sum + (pow(2, Double(entry.element)) - 1) / log2(Double(entry.offset) + 2)
        }
    }

    /// The expectations of one query over its first ten results' grades, with the catalog's counts.
    static func judge(_ grades: [Int], catalog: [Int]) -> (ndcg: Double, failures: [String]) {
        let ideal = dcg(catalog.sorted(by: >))
        let ndcg = ideal > 0 ? dcg(grades) / ideal : (grades.isEmpty ? 1 : 0)
        var failures: [String] = []
        let exact = catalog.filter { $0 == 2 }.count
        let relevant = catalog.filter { $0 >= 1 }.count
        if exact > 0, grades.first != 2 { failures.append("first result is not what was asked") }
        let head = min(3, relevant)
        if grades.count < head || grades.prefix(head).contains(0) {
            failures.append("a wrong product in the first \(head)")
        }
        if let lastExact = grades.lastIndex(of: 2), grades[..<lastExact].contains(0) {
            failures.append("a wrong product ranks above one that was asked for")
        }
        return (ndcg, failures)
    }

    @Test func judgeTheRulesThemselves() {
        #expect(Self.judge([2, 2, 1], catalog: [2, 2, 1, 0]).failures.isEmpty)
        #expect(Self.judge([2, 2, 1], catalog: [2, 2, 1, 0]).ndcg == 1)
        #expect(Self.judge([1, 2, 2], catalog: [2, 2, 1]).failures == ["first result is not what was asked"])
        #expect(Self.judge([2, 0, 2], catalog: [2, 2, 0]).failures.count == 2)
        #expect(Self.judge([], catalog: [0, 0]).failures.isEmpty)
        #expect(Self.judge([], catalog: [2]).failures.count == 2)
        #expect(Self.set.count >= 60)
    }

    /// Ranked by the RUM index's candidates (migration 0054) and, as where the extension is missing, by
    /// ranking every match: the same expectations hold both ways.
    /// One catalog, searched by two apps over it.
    @Test func theJudgedQueriesOnTheDemoCatalog() async throws {
        try await withTestApp { api in
            let db = Database(api.db)
            let accounts = AccountStore(config: api.config, db: db, logger: testLogger)
            try await DemoSeed(db: db, accounts: accounts, logger: testLogger).loadOnce()
            // Products the demo lacks, listed by the demo producer and approved by the demo clerk.
            let producer = try await api.login("producer@demo.chobuudien.vn", DemoSeed.password)
            let clerk = try await api.login("clerk@demo.chobuudien.vn", DemoSeed.password)
            for (title, category) in [
                ("Cá tra phi lê đông lạnh", "processed-food"), ("Bò khô Tam Kỳ", "processed-food"),
                ("Bò một nắng ướp sả", "processed-food"),
            ] {
                let created = try await api.request(
                    .post, "/v1/suppliers/\(DemoSeed.supplierID.uuidString.lowercased())/products", token: producer,
                    json: [
                        "title": title, "description": "", "category_code": category, "origin_province_code": "48",
                        "images": ["https://cdn.example.vn/\(UUID().uuidString).jpg"],
                        "variants": [
                            [
                                "sku": "JS-\(UUID().uuidString.prefix(8))", "name": "Gói 500g", "price_vnd": 120_000,
                                "weight_grams": 600, "stock_on_hand": 20,
                            ]
                        ],
                    ])
                let id = try #require(created.json["id"] as? String, "\(created.text)")
                _ = try await api.request(.post, "/v1/products/\(id)/submit", token: producer)
                let approved = try await api.request(.post, "/v1/products/\(id)/approve", token: clerk)
                #expect(approved.status == .ok, "\(approved.text)")
            }
            let catalog = try await api.db.query(
                """
                SELECT title, category_code, is_regional_specialty,
                    CASE WHEN ocop_expires_on > vn_today() THEN ocop_stars::int END
                FROM products WHERE status = 'active' AND supplier_active AND min_price_vnd IS NOT NULL
                """
            ).collect().decode((String, String, Bool, Int?).self).map {
                Item(title: $0.0, category: $0.1, specialty: $0.2, stars: $0.3)
            }
            #expect(catalog.count > 2_000)

            for rumIndex in [true, false] {
                try await withTestApp(on: api.db, config: testConfig { $0.searchRUMIndex = rumIndex }) { app in
                    Self.judgeAll(try await Self.answers(app), catalog: catalog, rumIndex: rumIndex)
                }
            }
        }
    }

    /// The first ten items each judged query gets.
    static func answers(_ api: TestAPI) async throws -> [(Judged, [Item])] {
        var answers: [(Judged, [Item])] = []
        for judged in set {
            let reply = try await api.request(.get, "/v1/products?q=\(judged.query.q)&limit=10")
            #expect(reply.status == .ok)
            answers.append(
                (
                    judged,
                    (reply.json["items"] as? [[String: Any]] ?? []).map { json in
                        Item(
                            title: json["title"] as? String ?? "", category: json["category_code"] as? String ?? "",
                            specialty: json["is_regional_specialty"] as? Bool ?? false,
                            stars: (json["ocop"] as? [String: Any])?["stars"] as? Int)
                    }
                ))
        }
        return answers
    }

    /// Checks each answer against its expectations and prints the set's nDCG@10.
    static func judgeAll(_ answers: [(Judged, [Item])], catalog: [Item], rumIndex: Bool) {
        var outcomes: [Outcome] = []
        for (judged, items) in answers {
            let grades = items.map(judged.grade)
            let (ndcg, failures) = judge(grades, catalog: catalog.map(judged.grade))
            outcomes.append(Outcome(query: judged.query, ndcg: ndcg, failures: failures))
            let shown = zip(items, grades).map { "\($1) \($0.title)" }.joined(separator: " | ")
            if let gap = knownGaps[judged.query] {
                withKnownIssue(Comment(rawValue: gap)) {
                    #expect(failures.isEmpty, "\(judged.query): \(failures) — \(shown)")
                }
            } else {
                #expect(failures.isEmpty, "\(judged.query): \(failures) — \(shown)")
            }
        }
        let mean = outcomes.reduce(0) { $0 + $1.ndcg } / Double(outcomes.count)
        let holding = outcomes.filter(\.failures.isEmpty).count
        print(
            "judged set (\(rumIndex ? "RUM index" : "every match")): "
                + String(
                    format: "%d queries, nDCG@10 %.3f, expectations all held for %d (%.0f %%)",
                    outcomes.count, mean, holding, 100 * Double(holding) / Double(outcomes.count)))
        for outcome in outcomes where outcome.ndcg < 0.8 {
            print("  nDCG@10 \(String(format: "%.3f", outcome.ndcg))  \(outcome.query)")
        }
    }
}
