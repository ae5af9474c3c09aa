import ArgumentParser
import Catalog
import Foundation
import Kernel

/// Writes the SQL that `GET /v1/products?…` runs as a pgbench script, so the benchmark can measure
/// the database's own limit for exactly that work (Benchmarks/run).
struct SearchSQLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search-sql",
        abstract: "Print the pgbench script and variables for one product search (for Benchmarks/run)."
    )

    @Option(help: "The query string of GET /v1/products, e.g. 'q=mat ong&province=48'.")
    var query: String

    @Option(help: "Where to write the pgbench script.")
    var script: String

    @Option(help: "Where to write a psql script that prints EXPLAIN ANALYZE of both statements.")
    var explain: String?

    @Flag(help: "The statement of the typo fallback (trigram similarity), which runs when the words match nothing.")
    var fuzzy = false

    @Flag(help: "The page alone, as a request runs it once its facet counts are kept.")
    var pageOnly = false

    func run() async throws {
        var items: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            items[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        // Intent phrases and place names change the statement: read them as the server does, from the
        // database the benchmark runs on (DATABASE_URL); without one, the query is taken word for word.
        var vocabulary: (intents: [SearchIntent], places: SearchPlaces, rum: Bool) = ([], SearchPlaces(), false)
        if ProcessInfo.processInfo.environment["DATABASE_URL"] != nil {
            let config = try AppConfig.fromEnvironment()
            let logger = LogSetup.bootstrap(level: config.logLevel, format: config.logFormat)
            let database = try await ResolvedDatabase.resolve(config, logger: logger)
            defer { database.finish() }
            vocabulary = try await DatabaseSetup.withClient(database.url, maxConnections: 1, logger: logger) { client in
                let store = SearchStore(db: Database(client), logger: logger)
                return (try await store.intents(), try await store.places(), try await store.ranksInIndex())
            }
        }
        var search = try ProductSearch.validated(
            q: items["q"], category: items["category"], province: items["province"],
            ocopMinStars: items["ocop_min_stars"].flatMap { Int($0) },
            priceMin: items["price_min"].flatMap { Int64($0) },
            priceMax: items["price_max"].flatMap { Int64($0) }, supplierID: items["supplier_id"],
            inStock: items["in_stock"].map { $0 == "true" }, sort: items["sort"],
            limit: items["limit"].flatMap { Int($0) },
            cursor: items["cursor"], intents: vocabulary.intents, places: vocabulary.places)
        search.rumIndex = vocabulary.rum
        search.fuzzy = fuzzy && search.text != nil
        search.countsFacets = !pageOnly
        // With a text the server runs one statement (page and facet counts together); without one,
        // the page and then the facet statement (unless its counts are cached). The script holds
        // exactly the statements the server runs for this search when nothing is cached.
        var statements = [("page", "a", try search.pageSQL())]
        if search.text == nil { statements.append(("facets", "b", search.facetSQL())) }
        let script = statements.map { _, prefix, statement in Self.pgbench(statement.0, prefix: prefix) + ";\n" }
        try script.joined().write(toFile: self.script, atomically: true, encoding: .utf8)
        if let explain {
            let psql = statements.map { name, _, statement in
                let arguments = statement.1.values.map { "'" + $0.text.replacingOccurrences(of: "'", with: "''") + "'" }
                let call = "\(name)(\(arguments.joined(separator: ", ")))"
                // Once to warm the cache (output discarded), then explained.
                return "PREPARE \(name) AS \(statement.0);\n\\o /dev/null\nEXECUTE \(call);\n\\o\n"
                    + "EXPLAIN (ANALYZE, BUFFERS) EXECUTE \(call);\n"
            }
            try psql.joined().write(toFile: explain, atomically: true, encoding: .utf8)
        }
        for (_, prefix, statement) in statements {
            for (index, value) in statement.1.values.enumerated() { print("\(prefix)\(index + 1)=\(value.text)") }
        }
    }

    /// `$12` → `:a12`, one statement per line as pgbench wants.
    static func pgbench(_ sql: String, prefix: String) -> String {
        var result = ""
        var index = sql.startIndex
        while index < sql.endIndex {
            let character = sql[index]
            if character == "$" {
                var end = sql.index(after: index)
                while end < sql.endIndex, sql[end].isASCII, sql[end].isNumber { end = sql.index(after: end) }
                result += ":\(prefix)" + sql[sql.index(after: index)..<end]
                index = end
            } else {
                result.append(character == "\n" ? " " : character)
                index = sql.index(after: index)
            }
        }
        return result
    }
}
