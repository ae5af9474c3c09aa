import Foundation
import Kernel
import PostgresNIO

public enum SearchSort: String, Sendable, CaseIterable {
    case relevance
    case priceAsc = "price_asc"
    case priceDesc = "price_desc"
    case newest

    /// One letter in the cursor, so a cursor from one sort is refused by another.
    var cursorTag: String {
        switch self {
        case .relevance: "r"
        case .priceAsc: "p"
        case .priceDesc: "d"
        case .newest: "n"
        }
    }
}

/// A validated `GET /v1/products` request, and the SQL that answers it. The SQL is built here, from
/// values only, so that tests and the pgbench replay in Benchmarks/ see exactly what the server runs.
public struct ProductSearch: Sendable, Equatable {
    public var text: String?
    public var category: String?
    public var province: String?
    public var ocopMinStars: Int?
    public var priceMin: Int64?
    public var priceMax: Int64?
    public var supplierID: UUID?
    public var inStock: Bool?
    public var sort: SearchSort
    public var limit: Int
    public var after: PageCursor?
    /// Whether `text` matches by trigram similarity of the title (typos) instead of by words. The
    /// store falls back to it when the words find nothing; cursors remember which one a page used.
    public var fuzzy = false
    /// Only regional specialities (the shop's home shelf; not a parameter of the API yet).
    public var regionalSpecialty = false
    /// Whether the result carries facet counts. The home's shelves show items only: counting facets over
    /// every listed product in stock, four times per refresh, was most of a refresh's work.
    public var countsFacets = true
    /// A place the query names (`search_places`), matched by its words or by the product's origin.
    public var place: PlaceMatch?

    /// Whether the database has the RUM index (migration 0054) to rank by: set by `SearchStore`.
    public var rumIndex = false
    /// How many matches the facet counts visit at most when ranked in the index: set by `SearchStore`.
    public var countedMatches = ProductSearch.defaultCountedMatches

    /// Whether the store searches the query with its unknown words replaced by the nearest known ones
    /// (`SearchStore.corrected`): the first fallback when the words find nothing; cursors remember it.
    public var corrects = false

    /// The cursor key prefix: sort and match mode.
    var cursorPrefix: String { sort.cursorTag + (fuzzy ? "~" : corrects ? "*" : "") + ":" }

    public static func validated(
        q: String?, category: String?, province: String?, ocopMinStars: Int?, priceMin: Int64?, priceMax: Int64?,
        supplierID: String?, inStock: Bool?, sort: String?, limit: Int?, cursor: String?,
        intents: [SearchIntent] = [], places: SearchPlaces = SearchPlaces()
    ) throws(DomainError) -> ProductSearch {
        var v = Validator()
        if let q {
            v.check(!q.unicodeScalars.contains(where: Validator.isControl), "q", "must not contain control characters")
            v.check(q.unicodeScalars.count <= 100, "q", "must be at most 100 characters")
        }
        if let category {
            v.check(
                ProductRules.isCategoryCode(category), "category", "must be a category code from GET /v1/categories")
        }
        if let province { v.check(Validator.isDigits(province, count: 2), "province", "must be 2 digits") }
        if let ocopMinStars { v.range(ocopMinStars, "ocop_min_stars", 3...5) }
        if let priceMin { v.range(priceMin, "price_min", 0...ProductRules.prices.upperBound) }
        if let priceMax { v.range(priceMax, "price_max", 0...ProductRules.prices.upperBound) }
        if let priceMin, let priceMax, priceMin > priceMax { v.fail("price_max", "must not be below price_min") }
        let supplier = supplierID.flatMap(UUID.init(uuidString:))
        if supplierID != nil && supplier == nil { v.fail("supplier_id", "must be a UUID") }
        let sortValue: SearchSort?
        if let sort {
            sortValue = SearchSort(rawValue: sort)
            if sortValue == nil { v.fail("sort", "must be one of relevance, price_asc, price_desc, newest") }
        } else {
            sortValue = nil
        }
        var pageLimit = 20
        do { pageLimit = try PageCursor.limit(limit) } catch { v.fail("limit", "must be between 1 and 100") }
        try v.done()
        // Intent words become filters before anything depends on whether there is a text left.
        var base = ProductSearch(
            text: SearchText.meaningful(q), category: category, province: province, ocopMinStars: ocopMinStars,
            priceMin: priceMin, priceMax: priceMax, supplierID: supplier, inStock: inStock, sort: .newest,
            limit: 20, after: nil
        ).applying(intents).applying(places)
        let text = base.text
        let hasText = text != nil
        // Relevance means nothing without a text; fall back to newest rather than refuse.
        var resolved = sortValue ?? (hasText ? .relevance : .newest)
        if resolved == .relevance && !hasText { resolved = .newest }
        var after: PageCursor?
        var fuzzy = false
        var corrects = false
        if let cursor {
            let decoded = try PageCursor.decode(cursor)
            if decoded.key.hasPrefix(resolved.cursorTag + "~:") && hasText {
                fuzzy = true
            } else if decoded.key.hasPrefix(resolved.cursorTag + "*:") && hasText {
                corrects = true
            } else if !decoded.key.hasPrefix(resolved.cursorTag + ":") {
                throw .invalid("cursor", "belongs to another search or sort order; start again without a cursor")
            }
            after = decoded
        }
        base.sort = resolved
        base.limit = pageLimit
        base.after = after
        base.fuzzy = fuzzy
        base.corrects = corrects
        return base
    }
}
