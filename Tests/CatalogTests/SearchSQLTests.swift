import Catalog
import DatabaseTestSupport
import Foundation
import Kernel
import Logging
import PostgresNIO
import Testing

/// The SQL that `GET /v1/products` runs, compared with the files under `SQLSnapshots/`, so that a change
/// to a search statement (and so to its plan) shows in review as a diff of those files. After an
/// intended change, `RECORD_SQL=1 swift test --filter SearchSQLTests` rewrites them.
@Suite("Search: the statements as written, and run on PostgreSQL")
struct SearchSQLTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "SQLSnapshots")

    static let cases: [(name: String, query: [String: String])] = [
        ("browse-newest", ["sort": "newest"]),
        (
            "browse-filtered-by-price",
            [
                "category": "food", "province": "48", "ocop_min_stars": "4", "price_min": "10000",
                "price_max": "500000", "in_stock": "true", "sort": "price_asc", "limit": "50",
            ]
        ),
        ("text-relevance", ["q": "nuoc mam cua dai"]),
        ("text-in-one-province", ["q": "mật ong", "province": "48", "sort": "price_desc"]),
    ]

    static func search(_ query: [String: String]) throws -> ProductSearch {
        try ProductSearch.validated(
            q: query["q"], category: query["category"], province: query["province"],
            ocopMinStars: query["ocop_min_stars"].flatMap { Int($0) },
            priceMin: query["price_min"].flatMap { Int64($0) }, priceMax: query["price_max"].flatMap { Int64($0) },
            supplierID: query["supplier_id"], inStock: query["in_stock"].map { $0 == "true" }, sort: query["sort"],
            limit: query["limit"].flatMap { Int($0) }, cursor: nil)
    }

    static func statements(_ search: ProductSearch) throws -> String {
        var text = "-- page\n" + (try search.pageSQL().0) + "\n"
        if search.text == nil { text += "-- facets\n" + search.facetSQL().0 + "\n" }
        return text
    }

    @Test(arguments: cases.map(\.name))
    func theStatementIsAsReviewed(_ name: String) throws {
        let query = try #require(Self.cases.first { $0.name == name }).query
        let sql = try Self.statements(try Self.search(query))
        let file = Self.folder.appendingPathComponent("\(name).sql")
        if ProcessInfo.processInfo.environment["RECORD_SQL"] == "1" {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try sql.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(sql == expected, "the SQL of \(name) changed: review it, then RECORD_SQL=1 to accept")
    }

    /// Every reviewed statement is one PostgreSQL accepts, binds and types included (on an empty catalog).
    @Test func theStatementsRunOnTheRealSchema() async throws {
        try await withFreshDatabase { client, _ in
            let store = SearchStore(db: Database(client), logger: TestDatabase.quietLogger)
            for (_, query) in Self.cases {
                let result = try await store.search(try Self.search(query))
                #expect(result.hits.isEmpty && result.next == nil)
            }
        }
    }
}
