import Kernel

/// The statement of a relevance page when the RUM index is there (migration 0054): the candidates come
/// in rank order from the index, and only they are ranked by `score`.
extension ProductSearch {
    /// How many of the best matches by word rank each candidate set takes. Ranking is exact within them;
    /// a relevance list ends after them (fifty pages of twenty), as the largest shops' lists do.
    static let rankedCandidates = 1_000

    /// How many of a text's matches its facet counts visit at most, with the RUM index, unless the store
    /// says otherwise (`SEARCH_COUNTED_MATCHES`). Counting every match of a common word visits the table
    /// for each (0.4 s for the 366,315 of "túi" at a million products, of which 10,000 take 35 ms); past
    /// this the counts are over the first this many found, so each is a lower bound
    /// (`SearchFacets.complete` false; the shop writes "10.000+").
    public static let defaultCountedMatches = 10_000

    /// Whether this search takes its page from the RUM index's order: a relevance search by words, when
    /// the index is there. The typo fallback ranks by trigram similarity (no index orders it).
    var ranksInIndex: Bool {
        rumIndex && text != nil && sort == .relevance && !fuzzy
    }

    /// The candidates: the best `rankedCandidates` passing every filter by the index's rank of the words
    /// that every match has (the whole query, or the words beside a place); with a place, also the best
    /// that name it (they rank by the whole query, first); with accents, also some whose title has them
    /// exactly (they rank above every folded match, and a common folded word would crowd them out). The
    /// ordered sets are index scans that stop at their limit (the index still ranks every match, without
    /// reading the table). The page is ranked by `score` among them. With a text's counts, the statement
    /// also counts the facets over at most `countedMatches + 1` of the matches, none of them ranked.
    func rankedInIndexSQL(_ binds: inout BindList) throws(DomainError) -> (String, BindList) {
        let (base, own) = splitFilters(&binds)
        let conditions = ([base] + own.all).joined(separator: " AND ")
        let words = place?.rest != nil ? 2 : 1
        func best(_ extra: String?, by bind: Int?, columns: String = "") -> String {
            let condition = extra.map { "\(conditions) AND \($0)" } ?? conditions
            let order = bind.map { "ORDER BY p.search_doc <=> \(tsQuery($0)) " } ?? ""
            return
                "SELECT \(hitColumns)\(columns) FROM products p WHERE \(condition)\n    \(order)LIMIT \(Self.rankedCandidates)"
        }
        // A query that is only a place also matches products from there that do not name it: the index
        // orders those naming it; the others all rank 0, so by id (`outerOrder`), the first of them.
        let naming = placeIsText ? "p.search_doc @@ \(tsQuery(1))" : nil
        var sets: [String] = []
        var union = ["SELECT * FROM c1"]
        // Marks each candidate whose title has the accents exactly, in every set alike (UNION drops the
        // same product found twice only when its columns are equal).
        var marked = ""
        if let text, SearchText.isAccented(text) {
            // The best by the words, each marked whether its title has the accents exactly. Then, only when
            // those are as many as the limit and some are folded matches (else they hold the best exact ones
            // already), any exact ones, not the best: ranking every match of a common word a second time
            // cost as much as the first set (0.3 s for "túi" at a million products). When the exact ones
            // are fewer than the limit that is all of them ("cá tra": the fish among the folded matches).
            // `LIKE` rather than `position`, so that the accented titles' trigram index finds them (migration
            // 0056; the key has no `%` or `_`: `vn_accent_key` makes punctuation spaces).
            marked = ", \(exactAccents) AS exact"
            sets.append("c1 AS (\(best(naming, by: words, columns: marked)))")
            let needed =
                "(SELECT count(*) = \(Self.rankedCandidates) AND NOT bool_and(exact) FROM c1) AND p.search_doc @@ \(tsQuery(1)) "
                + "AND p.title_accent_key LIKE '%' || vn_accent_key($1) || '%'"
            sets.append("c2 AS (\(best(needed, by: nil, columns: marked)))")
            union.append("SELECT * FROM c2")
        } else {
            sets.append("c1 AS (\(best(naming, by: words)))")
        }
        if placeIsText {
            sets.append(
                "c4 AS (SELECT \(hitColumns)\(marked) FROM products p WHERE \(conditions)\n    ORDER BY p.id LIMIT \(Self.rankedCandidates))"
            )
            union.append("SELECT * FROM c4")
        }
        if words == 2 {
            // With a place, also the best naming it: they rank by the whole query, first.
            sets.append("c3 AS (\(best("p.search_doc @@ \(tsQuery(1))", by: 1, columns: marked)))")
            union.append("SELECT * FROM c3")
        }
        let page =
            "SELECT * FROM c h WHERE true\(try cursorCondition(&binds)) ORDER BY \(outerOrder) LIMIT $\(binds.count + 1)"
        binds.append(Int64(limit + 1))
        let hits = "\(hitSelect) FROM (\(page)) h JOIN suppliers s ON s.id = h.supplier_id"
        let candidates = (sets + ["c AS (\(union.joined(separator: " UNION ")))"]).joined(separator: ",\n")
        guard countsFacets else {
            return ("WITH \(candidates)\n\(hits)\nORDER BY \(outerOrder)", binds)
        }
        let matches = """
            SELECT p.category_code, p.origin_province_code,
                CASE WHEN p.ocop_expires_on > vn_today() THEN p.ocop_stars END AS ocop_stars,
                \(own.flags) FROM products p WHERE \(base) LIMIT \(countedMatches + 1)
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
