import ArgumentParser
import Catalog
import Foundation

/// Writes the SQL that `GET /v1/products?…` runs as a pgbench script, so the benchmark can measure
/// the database's own limit for exactly that work (Benchmarks/run).
struct SearchSQLCommand: ParsableCommand {
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

    func run() throws {
        var items: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            items[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        let search = try ProductSearch.validated(
            q: items["q"], category: items["category"], province: items["province"],
            ocopMinStars: items["ocop_min_stars"].flatMap { Int($0) },
            priceMin: items["price_min"].flatMap { Int64($0) },
            priceMax: items["price_max"].flatMap { Int64($0) }, supplierID: items["supplier_id"],
            inStock: items["in_stock"].map { $0 == "true" }, sort: items["sort"],
            limit: items["limit"].flatMap { Int($0) },
            cursor: items["cursor"])
        let (page, pageBinds) = try search.pageSQL()
        let (facets, facetBinds) = search.facetSQL()
        // Both statements number their binds from $1; pgbench variables are named after the statement.
        let text = Self.pgbench(page, prefix: "a") + ";\n" + Self.pgbench(facets, prefix: "b") + ";\n"
        try text.write(toFile: script, atomically: true, encoding: .utf8)
        if let explain {
            let psql = [("page", page, pageBinds), ("facets", facets, facetBinds)].map { name, sql, binds in
                let arguments = binds.values.map { "'" + $0.text.replacingOccurrences(of: "'", with: "''") + "'" }
                return
                    "PREPARE \(name) AS \(sql);\nEXPLAIN (ANALYZE, BUFFERS) EXECUTE \(name)(\(arguments.joined(separator: ", ")));\n"
            }
            try psql.joined().write(toFile: explain, atomically: true, encoding: .utf8)
        }
        for (index, value) in pageBinds.values.enumerated() { print("a\(index + 1)=\(value.text)") }
        for (index, value) in facetBinds.values.enumerated() { print("b\(index + 1)=\(value.text)") }
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
