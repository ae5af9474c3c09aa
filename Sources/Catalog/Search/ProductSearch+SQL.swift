import Foundation
import Kernel
import PostgresNIO

/// The statements that answer a `ProductSearch`, built from its values only.
extension ProductSearch {
    /// The relevance score, rounded so that it can be a cursor key. Matched by words: `ts_rank_cd`
    /// (cover density: query words next to each other in the title rank above scattered ones), title
    /// words weighted above description words (migration 0005); when the buyer typed accents, a title
    /// holding the query with exactly those accents, as whole words, ranks above every folded match
    /// ("cá tra" the fish before "cà phê Trà Linh"; migration 0044). Matched by the typo fallback: the
    /// trigram word similarity of the query to the title, plus 0.3 × its similarity to the title's start,
    /// where a Vietnamese title names what the product is: word similarity alone puts "Trà gừng mật ong"
    /// (0.78) before "Mật ong rừng" (0.70) for "mat onng"; with the start, honey comes first (0.86 vs 0.81).
    var score: String {
        if fuzzy {
            return "round((word_similarity(vn_search_norm($1), p.search_title) + 0.3 * similarity(vn_search_norm($1), "
                + "left(p.search_title, char_length(vn_search_norm($1)) + 2)))::numeric, 6)"
        }
        var words = "ts_rank_cd(p.search_doc, \(tsQuery(1)))"
        if place?.rest != nil {
            // A product from the place need not name it, and then has no rank for the whole query: a
            // tenth of its rank for the other words ($2) orders those, mostly below the ones naming it.
            words =
                "greatest(\(words), 0.1 * ts_rank_cd(p.search_doc, \(tsQuery(2))))"
        }
        guard let text, SearchText.isAccented(text) else { return "round(\(words)::numeric, 6)" }
        return "round((\(words) + CASE WHEN \(exactAccents) THEN 1 ELSE 0 END)::numeric, 6)"
    }

    /// The words' query of the bind `$n`, folded as the products' `search_doc` is.
    func tsQuery(_ bind: Int) -> String {
        "plainto_tsquery('simple'::regconfig, vn_search_norm($\(bind)))"
    }

    /// Whether the title holds the text (`$1`) with exactly its accents, as whole words.
    var exactAccents: String { "position(vn_accent_key($1) IN p.title_accent_key) > 0" }

    /// Filters shared by the page and the facets; with a text, `$1` is the text.
    func filters(_ binds: inout BindList) -> String {
        let (base, own) = splitFilters(&binds)
        return ([base] + own.all).joined(separator: " AND ")
    }

    /// The filters, with the three that a facet counts without apart: each facet ignores its own filter
    /// (a buyer who picked one province still sees how many items the others have), so the facets count
    /// over `base` and test the other two; the items pass all of them.
    func splitFilters(_ binds: inout BindList) -> (base: String, own: FacetFilters) {
        if let text { binds.append(text) }
        var sql = "p.status = 'active' AND p.supplier_active AND p.min_price_vnd IS NOT NULL"
        var own = FacetFilters()
        if text != nil {
            // Words use the tsvector index and stay fast however common a word is; trigrams (the
            // typo fallback) must scan the postings of every trigram of the query, so they run
            // only when the words found nothing.
            let words: (Int) -> String = { bind in
                self.fuzzy
                    ? "p.search_title %> vn_search_norm($\(bind))"
                    : "p.search_doc @@ \(self.tsQuery(bind))"
            }
            if let place {
                // The other words, and the place's words in the text or the product from there. The
                // other words are $2 (`score` ranks by them too).
                var either = placeIsText ? [words(1)] : []
                if let rest = place.rest {
                    binds.append(rest)
                    binds.append(place.words)
                    either.append(words(binds.count))
                }
                if !place.provinces.isEmpty {
                    binds.append(place.provinces)
                    either.append("p.origin_province_code = ANY($\(binds.count)::text[])")
                }
                if !place.communes.isEmpty {
                    // A product comes from its supplier's commune when it comes from that province.
                    binds.append(place.communes)
                    either.append(
                        "(p.supplier_id, p.origin_province_code) IN (SELECT s.id, s.province_code FROM suppliers s "
                            + "WHERE s.commune_code = ANY($\(binds.count)::text[]))")
                }
                sql += (placeIsText ? "" : " AND \(words(2))") + " AND (\(either.joined(separator: " OR ")))"
            } else {
                sql += " AND \(words(1))"
            }
        }
        if let category {
            binds.append(category)
            own.category = "(p.category_code = $\(binds.count) OR p.category_group = $\(binds.count))"
        }
        if let province {
            binds.append(province)
            own.province = "p.origin_province_code = $\(binds.count)"
        }
        if let ocopMinStars {
            binds.append(Int16(ocopMinStars))
            own.stars = "p.ocop_stars >= $\(binds.count) AND p.ocop_expires_on > vn_today()"
        }
        if let priceMin {
            binds.append(priceMin)
            sql += " AND p.min_price_vnd >= $\(binds.count)"
        }
        if let priceMax {
            binds.append(priceMax)
            sql += " AND p.min_price_vnd <= $\(binds.count)"
        }
        if let supplierID {
            binds.append(supplierID)
            sql += " AND p.supplier_id = $\(binds.count)"
        }
        if regionalSpecialty { sql += " AND p.is_regional_specialty" }
        if inStock == true {
            sql +=
                " AND EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND v.is_active AND v.stock_on_hand > 0)"
        } else if inStock == false {
            sql +=
                " AND NOT EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND v.is_active AND v.stock_on_hand > 0)"
        }
        return (sql, own)
    }

    /// The page of hits, one row more than the limit to know whether there is a next page.
    public func pageQuery() throws(DomainError) -> PostgresQuery {
        let (sql, binds) = try pageSQL()
        return PostgresQuery(unsafeSQL: sql, binds: binds.postgres)
    }

    public func facetQuery() -> PostgresQuery {
        let (sql, binds) = facetSQL()
        return PostgresQuery(unsafeSQL: sql, binds: binds.postgres)
    }

    /// The columns of a hit taken from `products p`.
    var hitColumns: String { hitColumns(scoreWhen: nil) }

    /// The columns of a hit, the score computed only for rows where `condition` holds (when given).
    func hitColumns(scoreWhen condition: String?) -> String {
        let value = sort == .relevance ? score : "0::numeric"
        return """
            p.id, p.title, p.category_code, p.origin_province_code, p.images[1] AS image, p.min_price_vnd,
                p.is_regional_specialty, p.created_at, p.supplier_id,
                CASE WHEN p.ocop_expires_on > vn_today() THEN p.ocop_stars END AS ocop_stars,
                p.ocop_expires_on::text AS ocop_expires_on,
                \(condition.map { "CASE WHEN \($0) THEN \(value) END" } ?? value) AS score
            """
    }

    /// The page of hits, one row more than the limit, to know whether there is a next page. With a
    /// text, the same statement also counts the facets (column `facets`, JSON) and the matches
    /// (`matched`): the matches are found once, without the facets' own filters, flagged with whether
    /// they pass each (`in_category`, `in_province`, `in_stars`); the page takes those that pass all
    /// three and each facet counts those that pass the other two. So the counts always agree with the
    /// items, and a page with no items still carries them (one row with no hit). Without a text the
    /// page comes from an index in sort order and the facets from `facetSQL`.
    public func pageSQL() throws(DomainError) -> (String, BindList) {
        var binds = BindList()
        guard text != nil else {
            // Sort keys over `products p`, so the listed-products indexes serve the order.
            let conditions = filters(&binds)
            let cursor = try cursorCondition(&binds).replacingOccurrences(of: "h.", with: "p.")
            let page =
                "SELECT \(hitColumns) FROM products p WHERE \(conditions)\(cursor) ORDER BY \(orderKey.order) LIMIT $\(binds.count + 1)"
            binds.append(Int64(limit + 1))
            return (
                "\(hitSelect) FROM (\(page)) h JOIN suppliers s ON s.id = h.supplier_id\nORDER BY \(outerOrder)", binds
            )
        }
        if ranksInIndex {
            return try rankedInIndexSQL(&binds)
        }
        guard countsFacets else {
            // The page alone (its counts are kept): every filter in the scan of the words' index.
            let matches = "SELECT \(hitColumns) FROM products p WHERE \(filters(&binds))"
            let page =
                "SELECT * FROM (\(matches)) h WHERE true\(try cursorCondition(&binds)) ORDER BY \(outerOrder) LIMIT $\(binds.count + 1)"
            binds.append(Int64(limit + 1))
            return (
                "\(hitSelect) FROM (\(page)) h JOIN suppliers s ON s.id = h.supplier_id\nORDER BY \(outerOrder)", binds
            )
        }
        let (base, own) = splitFilters(&binds)
        let flags = own.flags
        // Scored only where it is listed: the rank reads the whole search document.
        let scored =
            own.all.isEmpty || sort != .relevance
            ? hitColumns : hitColumns(scoreWhen: own.all.joined(separator: " AND "))
        let matches = "SELECT \(scored),\n    \(flags) FROM products p WHERE \(base)"
        let page =
            "SELECT * FROM m h WHERE h.in_category AND h.in_province AND h.in_stars\(try cursorCondition(&binds)) ORDER BY \(outerOrder) LIMIT $\(binds.count + 1)"
        binds.append(Int64(limit + 1))
        let sql = """
            WITH m AS MATERIALIZED (\(matches)),
            \(facetCounts)
            SELECT f.matched, f.facets, h.* FROM f LEFT JOIN (
            \(hitSelect) FROM (\(page)) h JOIN suppliers s ON s.id = h.supplier_id) h ON true
            ORDER BY \(outerOrder)
            """
        return (sql, binds)
    }

    /// The CTE `f`: the matches `m` (with their `in_category`, `in_province`, `in_stars` flags) counted,
    /// and each facet over those passing the other two facets' filters, as JSON rows
    /// [grouping, category, province, stars, count].
    var facetCounts: String {
        """
        f AS (
            SELECT (SELECT count(*) FROM m) AS matched,
                COALESCE(json_agg(json_build_array(g, category_code, origin_province_code, ocop_stars, n)), '[]')::text
                AS facets
            FROM (SELECT GROUPING(category_code, origin_province_code, ocop_stars)::int AS g,
                    category_code, origin_province_code, ocop_stars,
                    CASE GROUPING(category_code, origin_province_code, ocop_stars)
                        WHEN 3 THEN count(*) FILTER (WHERE in_province AND in_stars)
                        WHEN 5 THEN count(*) FILTER (WHERE in_category AND in_stars)
                        ELSE count(*) FILTER (WHERE in_category AND in_province) END AS n
                FROM m GROUP BY GROUPING SETS ((category_code), (origin_province_code), (ocop_stars))) x
            WHERE n > 0
        )
        """
    }

    /// A page's hits with their stock and supplier, from `h` joined to `suppliers s`.
    var hitSelect: String {
        """
        SELECT h.*,
            EXISTS (SELECT 1 FROM product_variants v
                WHERE v.product_id = h.id AND v.is_active AND v.stock_on_hand > 0) AS in_stock,
            s.name AS supplier_name, s.kind AS supplier_kind,
            s.province_code AS supplier_province, s.commune_code AS supplier_commune
        """
    }

    /// The keyset condition after the cursor, over the page's columns (`h.`).
    func cursorCondition(_ binds: inout BindList) throws(DomainError) -> String {
        guard let after else { return "" }
        let raw = String(after.key.dropFirst(cursorPrefix.count))
        guard let id = UUID(uuidString: after.id) else {
            throw .invalid("cursor", "is not a cursor this service issued")
        }
        switch sort {
        case .relevance:
            guard Decimal(string: raw) != nil else { throw .invalid("cursor", "is not a cursor this service issued") }
            binds.append(raw)
            binds.append(id)
            let (score, id) = (binds.count - 1, binds.count)
            return " AND (h.score < $\(score)::numeric OR (h.score = $\(score)::numeric AND h.id > $\(id)))"
        case .priceAsc, .priceDesc:
            guard let price = Int64(raw) else { throw .invalid("cursor", "is not a cursor this service issued") }
            binds.append(price)
            binds.append(id)
            return
                " AND (h.min_price_vnd, h.id) \(sort == .priceAsc ? ">" : "<") ($\(binds.count - 1), $\(binds.count))"
        case .newest:
            guard let micros = Int64(raw) else { throw .invalid("cursor", "is not a cursor this service issued") }
            binds.append(micros)
            binds.append(id)
            return " AND (h.created_at, h.id) < (\(PageCursor.timestampSQL(binds.count - 1)), $\(binds.count))"
        }
    }

    /// Counts by category, origin province and OCOP stars in force, each without its own filter (see
    /// `splitFilters`); a value no item would have is left out. Without a text or any filter but those
    /// three, from `listed_facet_tallies` (migration 0053: the listed products counted per category,
    /// province and certificate, kept by the products' triggers) instead of the products themselves.
    public func facetSQL() -> (String, BindList) {
        var binds = BindList()
        let (base, own) = splitFilters(&binds)
        let (source, counted, condition) =
            countsFromTallies
            ? ("listed_facet_tallies p", "sum(p.n)", "p.n > 0") : ("products p", "count(*)", base)
        let sql = """
            SELECT grouping, category_code, origin_province_code, stars, count FROM (
                SELECT GROUPING(p.category_code, p.origin_province_code, f.stars)::int AS grouping,
                    p.category_code, p.origin_province_code, f.stars,
                    (CASE GROUPING(p.category_code, p.origin_province_code, f.stars)
                        WHEN 3 THEN \(counted) FILTER (WHERE f.in_province AND f.in_stars)
                        WHEN 5 THEN \(counted) FILTER (WHERE f.in_category AND f.in_stars)
                        ELSE \(counted) FILTER (WHERE f.in_category AND f.in_province) END)::bigint AS count
                FROM \(source)
                CROSS JOIN LATERAL (SELECT CASE WHEN p.ocop_expires_on > vn_today() THEN p.ocop_stars END AS stars,
                    \(own.flags) ) f
                WHERE \(condition)
                GROUP BY GROUPING SETS ((p.category_code), (p.origin_province_code), (f.stars))) x
            WHERE count > 0
            """
        return (sql, binds)
    }

    /// Whether the tallies can answer the facet counts: no text, and no filter they do not hold.
    var countsFromTallies: Bool {
        text == nil && priceMin == nil && priceMax == nil && supplierID == nil && !regionalSpecialty && inStock == nil
    }

    /// The same order over the page's columns.
    var outerOrder: String {
        switch sort {
        case .relevance: "h.score DESC, h.id"
        case .priceAsc: "h.min_price_vnd, h.id"
        case .priceDesc: "h.min_price_vnd DESC, h.id DESC"
        case .newest: "h.created_at DESC, h.id DESC"
        }
    }

    /// The sort key expression and the ORDER BY of each sort; every order ends with the id so it is total.
    var orderKey: (key: String, order: String) {
        switch sort {
        case .relevance: (score, "score DESC, p.id")
        case .priceAsc: ("p.min_price_vnd", "p.min_price_vnd, p.id")
        case .priceDesc: ("p.min_price_vnd", "p.min_price_vnd DESC, p.id DESC")
        case .newest: ("p.created_at", "p.created_at DESC, p.id DESC")
        }
    }
}
