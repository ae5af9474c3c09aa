import Foundation
import Synchronization

/// Facet counts of searches without a text, kept for a few seconds per process. Those are the
/// browse pages (everything, a category, a province) that every visitor opens, and counting them
/// means reading every listed product of the selection. Every process drops them all on any
/// `catalog_changed` (a listing, a price, a certificate, a supplier: `CatalogChangeListener`), so the
/// counts agree with the hits beside them; the cache is off while no listener is connected, as the
/// product cache is, since then a change elsewhere would go unheard. Stock moves do not notify, so a
/// search filtered by stock is never cached.
public final class FacetCache: Sendable {
    private struct Entry {
        var facets: SearchFacets
        var expires: ContinuousClock.Instant
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var enabled = false
    }

    private let state = Mutex(State())
    public let ttl: Duration
    public let capacity: Int

    public init(ttl: Duration = .seconds(10), capacity: Int = 1_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    /// On when a listener hears `catalog_changed`; off (and empty) when it does not.
    public func setEnabled(_ enabled: Bool) {
        state.withLock { state in
            state.enabled = enabled
            state.entries.removeAll(keepingCapacity: true)
        }
    }

    /// Drops every count: the catalog changed somewhere.
    public func removeAll() {
        state.withLock { $0.entries.removeAll(keepingCapacity: true) }
    }

    public var count: Int { state.withLock { $0.entries.count } }
    public var isEnabled: Bool { state.withLock { $0.enabled } }

    public func get(_ key: String) -> SearchFacets? {
        state.withLock { state in
            guard state.enabled else { return nil }
            guard let entry = state.entries[key] else { return nil }
            guard entry.expires > .now else {
                state.entries[key] = nil
                return nil
            }
            return entry.facets
        }
    }

    public func put(_ key: String, _ facets: SearchFacets) {
        state.withLock { state in
            guard state.enabled else { return }
            if state.entries.count >= capacity {
                let now = ContinuousClock.now
                state.entries = state.entries.filter { $0.value.expires > now }
                if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            }
            state.entries[key] = Entry(facets: facets, expires: .now + ttl)
        }
    }
}

extension ProductSearch {
    /// A browse (no text) not filtered by stock, which moves without a notification.
    var isFacetCacheable: Bool { text == nil && inStock == nil }

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
