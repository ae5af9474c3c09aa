import Foundation
import Logging
import PostgresNIO

/// One search result: what a result list shows, without variants.
public struct ProductHit: Sendable, Equatable {
    public var id: UUID
    public var supplier: SupplierSummary
    public var title: String
    public var categoryCode: String
    public var originProvinceCode: String
    public var image: String?
    public var priceMinVND: Int64?
    public var inStock: Bool
    public var isRegionalSpecialty: Bool
    public var ocop: OcopBadge?
    public var createdAt: Date
}

public struct FacetCount: Sendable, Equatable {
    public var value: String
    public var count: Int64
}

public struct SearchFacets: Sendable, Equatable {
    public var category: [FacetCount] = []
    public var province: [FacetCount] = []
    public var stars: [FacetCount] = []
}

public struct SearchResult: Sendable {
    public var hits: [ProductHit]
    public var next: PageCursor?
    public var facets: SearchFacets
}

public struct SearchStore: Sendable {
    let db: Database
    let logger: Logger

    public init(db: Database, logger: Logger) {
        self.db = db
        self.logger = logger
    }

    /// The page and the facets run on one connection, one after the other: the pool is the limit
    /// under load, and two connections per search would halve how many searches it serves.
    public func search(_ search: ProductSearch) async throws -> SearchResult {
        let result = try await run(search)
        if result.hits.isEmpty, search.text != nil, !search.fuzzy, search.after == nil {
            // No word matched: try again tolerating typos in the title.
            var fuzzy = search
            fuzzy.fuzzy = true
            return try await run(fuzzy)
        }
        return result
    }

    func run(_ search: ProductSearch) async throws -> SearchResult {
        let pageQuery = try search.pageQuery()
        let facetQuery = search.facetQuery()
        let (rows, facetRows) = try await db.withConnection { connection in
            let rows = try await connection.query(pageQuery, logger: logger).collect()
            let facetRows = try await connection.query(facetQuery, logger: logger).collect()
            return (rows, facetRows)
        }
        var hits: [ProductHit] = []
        var lastScore = ""
        for row in rows.prefix(search.limit) {
            let r = row.columns
            let stars: Int16? = try r.get("ocop_stars")
            let expires: String? = try r.get("ocop_expires_on")
            var badge: OcopBadge?
            if let stars, let expires { badge = OcopBadge(stars: Int(stars), expiresOn: expires) }
            hits.append(
                ProductHit(
                    id: try r.get("id"),
                    supplier: SupplierSummary(
                        id: try r.get("supplier_id"), name: try r.get("supplier_name"),
                        kind: SupplierKind(rawValue: try r.get("supplier_kind")) ?? .household,
                        provinceCode: try r.get("supplier_province"), communeCode: try r.get("supplier_commune")),
                    title: try r.get("title"),
                    categoryCode: try r.get("category_code"),
                    originProvinceCode: try r.get("origin_province_code"),
                    image: try r.get("image"),
                    priceMinVND: try r.get("min_price_vnd"),
                    inStock: try r.get("in_stock"),
                    isRegionalSpecialty: try r.get("is_regional_specialty"),
                    ocop: badge,
                    createdAt: try r.get("created_at")
                ))
            if search.sort == .relevance {
                // numeric's text form, exactly what the next page compares against.
                lastScore = "\(try r.get("score", as: Decimal.self))"
            }
        }
        var next: PageCursor?
        if rows.count > search.limit, let last = hits.last {
            let key: String
            switch search.sort {
            case .relevance: key = lastScore
            case .priceAsc, .priceDesc: key = String(last.priceMinVND ?? 0)
            case .newest: key = PageCursor.timeKey(last.createdAt)
            }
            next = PageCursor(key: search.cursorPrefix + key, id: last.id.uuidString.lowercased())
        }
        var facets = SearchFacets()
        for row in facetRows {
            let r = row.columns
            let grouping: Int32 = try r.get("grouping")
            let count: Int64 = try r.get("count")
            // GROUPING(a, b, c) sets a bit for each column *not* grouped, `a` the most significant:
            // 0b011 = by category, 0b101 = by province, 0b110 = by stars.
            switch grouping {
            case 0b011:
                facets.category.append(FacetCount(value: try r.get("category_code"), count: count))
            case 0b101:
                facets.province.append(FacetCount(value: try r.get("origin_province_code"), count: count))
            case 0b110:
                if let stars: Int16 = try r.get("stars") {
                    facets.stars.append(FacetCount(value: String(stars), count: count))
                }
            default: break
            }
        }
        let order: (FacetCount, FacetCount) -> Bool = {
            $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value
        }
        facets.category.sort(by: order)
        facets.province.sort(by: order)
        facets.stars.sort { $0.value > $1.value }
        return SearchResult(hits: hits, next: next, facets: facets)
    }
}
