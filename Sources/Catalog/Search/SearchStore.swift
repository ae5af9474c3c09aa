import Foundation
import Kernel
import Logging
import PostgresNIO
import Synchronization

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

    public init(value: String, count: Int64) {
        self.value = value
        self.count = count
    }
}

public struct SearchFacets: Sendable, Equatable {
    public var category: [FacetCount] = []
    public var province: [FacetCount] = []
    public var stars: [FacetCount] = []
    /// With a text: how many products its words matched before the category, province and stars filters
    /// (at most `ProductSearch.countedMatches + 1` when not `complete`).
    var matched: Int64?
    /// False when a text matched more products than its counts visit (`ProductSearch.countedMatches`, with
    /// the RUM index): each count is then a lower bound.
    public var complete = true
}

public struct SearchResult: Sendable {
    public var hits: [ProductHit]
    public var next: PageCursor?
    public var facets: SearchFacets
    /// With a text: how many products its words matched before the category, province and stars
    /// filters (the facets count among these), kept with the counts.
    var matched: Int64? { facets.matched }
    /// The words searched instead of the query's, when none of them matched and the nearest known words
    /// did (folded: "mat ong" for "mat onng").
    public var correctedText: String?

}

public struct SearchStore: Sendable {
    let db: Database
    let logger: Logger
    let facetCache: FacetCache?
    /// The intent phrases and the place names, read once per process: they change only with a migration.
    let intentTable = KeptValue<[SearchIntent]>()
    let placeTable = KeptValue<SearchPlaces>()
    /// Whether the RUM index is there, read once per process (`SearchIndex`).
    let rumState = KeptValue<Bool>()
    /// False to rank every match even where the RUM index is there (tests of the fallback).
    let usesRUMIndex: Bool
    /// `ProductSearch.countedMatches` of every search.
    let countedMatches: Int

    public init(
        db: Database, logger: Logger, facetCache: FacetCache? = nil, usesRUMIndex: Bool = true,
        countedMatches: Int = ProductSearch.defaultCountedMatches
    ) {
        self.db = db
        self.logger = logger
        self.facetCache = facetCache
        self.usesRUMIndex = usesRUMIndex
        self.countedMatches = countedMatches
    }

    /// Whether searches rank by the RUM index (migration 0054): once per process, as the index is made only
    /// by a migration or a start.
    public func ranksInIndex() async throws -> Bool {
        guard usesRUMIndex else { return false }
        if let known = rumState.value { return known }
        let present = try await SearchIndex.isPresent(db, logger: logger)
        rumState.value = present
        return present
    }

    /// `search_intents`, for `ProductSearch.validated(…, intents:)`.
    public func intents() async throws -> [SearchIntent] {
        if let known = intentTable.value { return known }
        let rows = try await db.query(
            "SELECT phrase, kind, min_stars FROM search_intents ORDER BY phrase", logger: logger)
        let intents = try rows.map { row in
            let (phrase, kind, stars) = try row.decode((String, String, Int16?).self)
            return SearchIntent(
                phrase: phrase, kind: SearchIntent.Kind(rawValue: kind) ?? .regionalSpecialty,
                minStars: stars.map(Int.init))
        }
        intentTable.value = intents
        return intents
    }

    /// `search_places`, for `ProductSearch.validated(…, places:)`.
    public func places() async throws -> SearchPlaces {
        if let known = placeTable.value { return known }
        let rows = try await db.query("SELECT phrase, province_code, commune_code FROM search_places", logger: logger)
        let places = SearchPlaces(
            try rows.map { row in
                let (phrase, province, commune) = try row.decode((String, String, String?).self)
                return SearchPlace(phrase: phrase, provinceCode: province, communeCode: commune)
            })
        placeTable.value = places
        return places
    }

    public func search(_ search: ProductSearch) async throws -> SearchResult {
        var search = search
        search.rumIndex = try await ranksInIndex()
        search.countedMatches = countedMatches
        if search.corrects {
            // A later page of a corrected search: corrected again (the same words, unless the catalog's
            // words changed meanwhile).
            guard let corrected = try await corrected(search) else {
                return SearchResult(hits: [], next: nil, facets: SearchFacets())
            }
            var found = try await run(corrected)
            found.correctedText = corrected.text
            return found
        }
        let result = try await run(search)
        if result.hits.isEmpty, result.matched == 0, search.text != nil, !search.fuzzy, search.after == nil {
            // No word matched: the words it does not know replaced by the nearest it knows, searched in the
            // index; when that changes nothing or finds nothing, the titles compared by trigram similarity.
            if let corrected = try await corrected(search) {
                var found = try await run(corrected)
                found.correctedText = corrected.text
                if !found.hits.isEmpty || (found.matched ?? 0) > 0 { return found }
            }
            var fuzzy = search
            fuzzy.fuzzy = true
            return try await run(fuzzy)
        }
        return result
    }

    /// The search with each query word the catalog does not know replaced by the nearest one it does
    /// (`search_correct_words`, migration 0055), the words beside a place too; nil when none changes. The
    /// corrected words are folded (no accents: the typed ones were not the catalog's).
    func corrected(_ search: ProductSearch) async throws -> ProductSearch? {
        guard let text = search.text else { return nil }
        // Both in one statement (the words beside a place are corrected on their own).
        let rows = try await db.query(
            "SELECT search_correct_words(\(text)), search_correct_words(\(search.place?.rest))", logger: logger)
        guard let (fixedText, fixedRest) = try rows.first?.decode((String?, String?).self) else { return nil }
        var corrected = search
        corrected.corrects = true
        var changed = false
        if let fixedText {
            corrected.text = fixedText
            changed = true
        }
        if let fixedRest {
            corrected.place?.rest = fixedRest
            changed = true
        }
        return changed ? corrected : nil
    }

    /// With a text, one statement counting the facets beside the page, unless another request has
    /// counted them (`runKeepingCounts`); without one, the page, then the facets from the cache or their
    /// own statement.
    func run(_ search: ProductSearch) async throws -> SearchResult {
        if search.text != nil, search.countsFacets, search.isFacetCacheable, let facetCache, facetCache.isEnabled {
            return try await runKeepingCounts(search, facetCache)
        }
        return try await runStatement(search)
    }

    /// A text's facet counts visit every match of its words nationally (each facet ignores its own
    /// filter), which for a common word is most of the work: they are kept like a browse's, dropped on
    /// every process by any catalog change. The request that counts them gets its page from the same
    /// statement; one that finds them kept (or being counted) runs the page alone, every filter in the
    /// index scan.
    func runKeepingCounts(_ search: ProductSearch, _ cache: FacetCache) async throws -> SearchResult {
        let led = KeptValue<SearchResult>()
        let facets = try await cache.facets(search.facetKey) {
            let result = try await runStatement(search)
            led.value = result
            return result.facets
        }
        if let own = led.value { return own }
        var pageOnly = search
        pageOnly.countsFacets = false
        var result = try await runStatement(pageOnly)
        result.facets = facets
        return result
    }

    func runStatement(_ search: ProductSearch) async throws -> SearchResult {
        let all = try await db.query(try search.pageQuery(), logger: logger)
        var hits: [ProductHit] = []
        var lastScore = ""
        // With a text, a page with no hits is one row carrying only the counts.
        let rows = search.text == nil ? all : try all.filter { try $0.columns.get("id", as: UUID?.self) != nil }
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
        if search.text != nil, search.countsFacets, let first = all.first {
            // Counted by the same statement, as JSON rows [grouping, category, province, stars, count].
            let matched: Int64 = try first.columns.get("matched")
            facets.matched = matched
            facets.complete = !search.ranksInIndex || matched <= search.countedMatches
            let json: String = try first.columns.get("facets")
            let groups = try JSONDecoder().decode([FacetRow].self, from: Data(json.utf8))
            for group in groups { facets.add(group) }
            facets.sortForDisplay()
        } else if !search.countsFacets {
            // Items only (the home's shelves).
        } else if search.isFacetCacheable, let facetCache {
            // One count per key at a time on this process, kept until the catalog changes anywhere.
            facets = try await facetCache.facets(search.facetKey) { try await countFacets(search) }
        } else if search.text == nil || search.after != nil {
            // A page past the last hit, or a browse filtered by stock: count with their own statement.
            facets = try await countFacets(search)
        }
        return SearchResult(hits: hits, next: next, facets: facets)
    }
}

/// One group of the facet counts.
struct FacetRow: Decodable {
    var grouping: Int
    var category: String?
    var province: String?
    var stars: Int?
    var count: Int64

    init(grouping: Int, category: String?, province: String?, stars: Int?, count: Int64) {
        (self.grouping, self.category, self.province, self.stars, self.count) = (
            grouping, category, province, stars, count
        )
    }

    init(from decoder: any Decoder) throws {
        var row = try decoder.unkeyedContainer()
        grouping = try row.decode(Int.self)
        category = try row.decodeIfPresent(String.self)
        province = try row.decodeIfPresent(String.self)
        stars = try row.decodeIfPresent(Int.self)
        count = try row.decode(Int64.self)
    }
}

extension SearchFacets {
    /// GROUPING(category, province, stars) sets a bit for each column *not* grouped, the first
    /// column the most significant: 0b011 = by category, 0b101 = by province, 0b110 = by stars.
    mutating func add(_ row: FacetRow) {
        switch row.grouping {
        case 0b011: if let value = row.category { category.append(FacetCount(value: value, count: row.count)) }
        case 0b101: if let value = row.province { province.append(FacetCount(value: value, count: row.count)) }
        case 0b110: if let value = row.stars { stars.append(FacetCount(value: String(value), count: row.count)) }
        default: break
        }
    }
}

/// A value read once and kept, shared by the copies of a store.
final class KeptValue<Value: Sendable>: Sendable {
    private let state = Mutex<Value?>(nil)

    var value: Value? {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }

}

extension SearchFacets {
    /// The stars facet as the filter reads it (`ocop_min_stars`: that many or more): each level counts
    /// the products with at least its stars, from five down, so picking one lists what it counted.
    public var starsAtLeast: [FacetCount] {
        var total: Int64 = 0
        return stars.sorted { $0.value > $1.value }.map { level in
            total += level.count
            return FacetCount(value: level.value, count: total)
        }
    }

    /// Most counted first (then by value); stars from five down.
    mutating func sortForDisplay() {
        let order: (FacetCount, FacetCount) -> Bool = {
            $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value
        }
        category.sort(by: order)
        province.sort(by: order)
        stars.sort { $0.value > $1.value }
    }
}

extension SearchStore {
    /// The facet counts of a search, by their own statement, in display order.
    func countFacets(_ search: ProductSearch) async throws -> SearchFacets {
        var facets = SearchFacets()
        for row in try await db.query(search.facetQuery(), logger: logger) {
            let r = row.columns
            facets.add(
                FacetRow(
                    grouping: Int(try r.get("grouping", as: Int32.self)), category: try r.get("category_code"),
                    province: try r.get("origin_province_code"),
                    stars: (try r.get("stars", as: Int16?.self)).map(Int.init),
                    count: try r.get("count")))
        }
        facets.sortForDisplay()
        return facets
    }
}
