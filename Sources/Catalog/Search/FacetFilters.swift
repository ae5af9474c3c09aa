/// The facets' own filters as SQL conditions over `products p`; nil where the search has none.
struct FacetFilters: Sendable {
    var category: String?
    var province: String?
    var stars: String?

    var all: [String] { [category, province, stars].compactMap { $0 } }

    /// The three as boolean columns (`in_category`, `in_province`, `in_stars`), never NULL.
    var flags: String {
        [("in_category", category), ("in_province", province), ("in_stars", stars)]
            .map { name, condition in "\(condition.map { "coalesce(\($0), false)" } ?? "true") AS \(name)" }
            .joined(separator: ", ")
    }
}
