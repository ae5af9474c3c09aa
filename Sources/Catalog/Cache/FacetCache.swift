import Foundation
import Synchronization

/// Facet counts of searches, kept for a few seconds per process: the browse pages (everything, a
/// category, a province) that every visitor opens, and the texts, whose counts visit every match of
/// their words (each facet ignores its own filter); counting either means reading every listed product
/// of the selection. Every process drops them all on any
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
        /// Counts being made, shared by whoever asks for the same key meanwhile: a burst of misses after a
        /// change costs one statement per key, not one per request.
        var inflight: [String: Task<SearchFacets, any Error>] = [:]
        /// Bumped by every change: a count begun before it is not kept.
        var generation: UInt64 = 0
        var enabled = false
    }

    private enum Lookup {
        case hit(SearchFacets)
        case wait(Task<SearchFacets, any Error>)
        case lead(Task<SearchFacets, any Error>, generation: UInt64)
        case off
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
            state.generation &+= 1
            state.entries.removeAll(keepingCapacity: true)
            state.inflight.removeAll()
        }
    }

    /// Drops every count: the catalog changed somewhere.
    public func removeAll() {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll(keepingCapacity: true)
            state.inflight.removeAll()
        }
    }

    public var count: Int { state.withLock { $0.entries.count } }
    public var isEnabled: Bool { state.withLock { $0.enabled } }

    /// The counts for `key`: kept ones, the count another request is making, or a new count (kept
    /// unless the catalog changed while it ran).
    func facets(_ key: String, count: @escaping @Sendable () async throws -> SearchFacets) async throws
        -> SearchFacets
    {
        let lookup = state.withLock { state -> Lookup in
            guard state.enabled else { return .off }
            if let entry = state.entries[key] {
                if entry.expires > .now { return .hit(entry.facets) }
                state.entries[key] = nil
            }
            if let flight = state.inflight[key] { return .wait(flight) }
            let task = Task { try await count() }
            state.inflight[key] = task
            return .lead(task, generation: state.generation)
        }
        switch lookup {
        case .hit(let facets): return facets
        case .wait(let task): return try await task.value
        case .off: return try await count()
        case .lead(let task, let generation):
            let result: Result<SearchFacets, any Error>
            do { result = .success(try await task.value) } catch { result = .failure(error) }
            state.withLock { state in
                if state.generation == generation { state.inflight[key] = nil }
                guard case .success(let facets) = result, state.generation == generation, state.enabled else { return }
                if state.entries.count >= capacity {
                    let now = ContinuousClock.now
                    state.entries = state.entries.filter { $0.value.expires > now }
                    if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
                }
                state.entries[key] = Entry(facets: facets, expires: .now + ttl)
            }
            return try result.get()
        }
    }
}

extension ProductSearch {
    /// A search not filtered by stock, which moves without a notification.
    var isFacetCacheable: Bool { inStock == nil }

    /// What the facets of a search depend on: its text (and the place in it, read from the text), its
    /// match mode and its filters, not its sort or page.
    var facetKey: String {
        var parts: [String] = [(fuzzy ? "~" : corrects ? "*" : "") + (text ?? ""), category ?? "", province ?? ""]
        parts.append(ocopMinStars.map { String($0) } ?? "")
        parts.append(priceMin.map { String($0) } ?? "")
        parts.append(priceMax.map { String($0) } ?? "")
        parts.append(supplierID?.uuidString ?? "")
        parts.append(inStock.map { String($0) } ?? "")
        if regionalSpecialty { parts.append("specialty") }
        return parts.joined(separator: "|")
    }
}
