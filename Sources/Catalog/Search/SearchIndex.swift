import Kernel
import Logging
import PostgresNIO

/// The RUM index that orders a text's matches by rank (migration 0054). It is optional: RUM is not part of
/// PostgreSQL's contrib, so where the database server lacks it the search ranks every match instead (the
/// same results, slower) and says so.
public enum SearchIndex {
    /// What ranks relevance: "rum" when the index is there, or why it is not.
    public struct State: Sendable, Equatable {
        public var detail: String
        public var isRUM: Bool { detail == "rum" }
    }

    /// Makes the index if the extension can be had and it is missing (`search_rum_index_ensure`), and logs
    /// which way search ranks. `market serve` and `market migrate` call it on every start, so a database
    /// where RUM is installed later gets the index then (building it locks the products against writes
    /// for as long as it takes: seconds for a province's catalog, minutes at a million products).
    @discardableResult
    public static func ensure(_ db: Database, logger: Logger) async throws -> State {
        let rows = try await db.query("SELECT search_rum_index_ensure()", logger: logger)
        let detail = try rows.first?.decode(String.self) ?? "rum"
        let state = State(detail: detail)
        if state.isRUM {
            logger.info("search ranks by the RUM index")
        } else {
            logger.warning(
                "search ranks every match of a query's words (slower at scale): \(detail)",
                metadata: ["search": .string(detail)])
        }
        return state
    }

    /// Whether the index is there and usable.
    static func isPresent(_ db: Database, logger: Logger) async throws -> Bool {
        let rows = try await db.query(
            """
            SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                WHERE c.relname = 'products_listed_rum_idx' AND i.indisvalid)
            """, logger: logger)
        return try rows.first?.decode(Bool.self) ?? false
    }
}
