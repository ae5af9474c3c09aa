import Kernel

/// The statement of a relevance page when the RUM index is there (migration 0054): the candidates come
/// in rank order from the index, and only they are ranked by `score`.
extension ProductSearch {
    /// How many of the best matches by word rank each candidate set takes. Ranking is exact within them;
    /// a relevance list ends after them (fifty pages of twenty), as the largest shops' lists do.
    static let rankedCandidates = 1_000

    /// Whether this search takes its page from the RUM index's order: a relevance search by words, when
    /// the index is there. The typo fallback ranks by trigram similarity (no index orders it), and a
    /// query that is only a place matches products that do not hold its words at all.
    var ranksInIndex: Bool {
        rumIndex && text != nil && sort == .relevance && !fuzzy && !placeIsText
    }

    /// `plainto_tsquery` of the bind `$n`, as the filters and `score` build it.
    private func query(_ bind: Int) -> String {
        "plainto_tsquery('simple'::regconfig, vn_search_norm($\(bind)))"
    }

    /// The candidates: the best `rankedCandidates` passing every filter by the index's rank of the words
    /// that every match has (the whole query, or the words beside a place); with a place, also the best
    /// that name it (they rank by the whole query, first); with accents, also the best whose title has
    /// them exactly (they rank above every folded match, and a common folded word would crowd them out).
    /// Each set is its own ordered index scan that stops at its limit. The page is ranked by `score` among
    /// them; with a text's counts, the statement also counts the facets over every match, as `pageSQL`
    /// does, without ranking them.
    func rankedInIndexSQL(_ binds: inout BindList) throws(DomainError) -> (String, BindList) {
        let (base, own) = splitFilters(&binds)
        let conditions = ([base] + own.all).joined(separator: " AND ")
        let words = place?.rest != nil ? 2 : 1
        func best(_ extra: String?, by bind: Int) -> String {
            let condition = extra.map { "\(conditions) AND \($0)" } ?? conditions
            return "(SELECT \(hitColumns) FROM products p WHERE \(condition)\n"
                + "    ORDER BY p.search_doc <=> \(query(bind)) LIMIT \(Self.rankedCandidates))"
        }
        var sets = [best(nil, by: words)]
        if words == 2 { sets.append(best("p.search_doc @@ \(query(1))", by: 1)) }
        if let text, SearchText.isAccented(text) {
            sets.append(
                best("p.search_doc @@ \(query(1)) AND position(vn_accent_key($1) IN p.title_accent_key) > 0", by: 1))
        }
        let page =
            "SELECT * FROM c h WHERE true\(try cursorCondition(&binds)) ORDER BY \(outerOrder) LIMIT $\(binds.count + 1)"
        binds.append(Int64(limit + 1))
        let hits = "\(hitSelect) FROM (\(page)) h JOIN suppliers s ON s.id = h.supplier_id"
        let candidates = "c AS (\n\(sets.joined(separator: "\nUNION\n")))"
        guard countsFacets else {
            return ("WITH \(candidates)\n\(hits)\nORDER BY \(outerOrder)", binds)
        }
        let matches = """
            SELECT p.category_code, p.origin_province_code,
                CASE WHEN p.ocop_expires_on > vn_today() THEN p.ocop_stars END AS ocop_stars,
                \(own.flags) FROM products p WHERE \(base)
            """
        let sql = """
            WITH \(candidates),
            m AS MATERIALIZED (\(matches)),
            \(facetCounts)
            SELECT f.matched, f.facets, h.* FROM f LEFT JOIN (\(hits)) h ON true
            ORDER BY \(outerOrder)
            """
        return (sql, binds)
    }
}
