import Foundation
import Synchronization

/// Facet counts of searches without a text, kept for a few seconds per process. Those are the
/// browse pages (everything, a category, a province) that every visitor opens, and counting them
/// means reading every listed product of the selection. The hits themselves are always live; only
/// the counts beside them may be up to `ttl` old.
public final class FacetCache: Sendable {
    private struct Entry {
        var facets: SearchFacets
        var expires: ContinuousClock.Instant
    }

    private let entries = Mutex([String: Entry]())
    public let ttl: Duration
    public let capacity: Int

    public init(ttl: Duration = .seconds(10), capacity: Int = 1_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    public func get(_ key: String) -> SearchFacets? {
        entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard entry.expires > .now else {
                entries[key] = nil
                return nil
            }
            return entry.facets
        }
    }

    public func put(_ key: String, _ facets: SearchFacets) {
        entries.withLock { entries in
            if entries.count >= capacity {
                let now = ContinuousClock.now
                entries = entries.filter { $0.value.expires > now }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[key] = Entry(facets: facets, expires: .now + ttl)
        }
    }
}

extension ProductSearch {
    /// What the facets of a search depend on: its filters, not its sort or page.
    var facetKey: String {
        var parts: [String] = [category ?? "", province ?? ""]
        parts.append(ocopMinStars.map { String($0) } ?? "")
        parts.append(priceMin.map { String($0) } ?? "")
        parts.append(priceMax.map { String($0) } ?? "")
        parts.append(supplierID?.uuidString ?? "")
        parts.append(inStock.map { String($0) } ?? "")
        if regionalSpecialty { parts.append("specialty") }
        return parts.joined(separator: "|")
    }
}
