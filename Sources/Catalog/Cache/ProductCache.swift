import Foundation
import Synchronization

/// Product pages by id, shared by the requests of one process. Only `GET /v1/products/{id}` reads
/// it; checkout reads prices and stock from the database in its own transaction, never from here.
///
/// It is correct across processes because every change to a product, its variants or its supplier
/// notifies `catalog_changed` at commit (triggers in migration 0004) and `CatalogChangeListener`
/// drops the entry. While the listener is not connected, notifications could be missed, so the
/// cache is off (`isEnabled` false) and everything is read from the database. Stock taken by an
/// order is announced right after its commit (`CatalogChanges.announce`); an entry older than
/// `maxAge` is read again, which bounds how stale a page can be if such an announcement is lost.
public final class ProductCache: Sendable {
    private struct State {
        var entries: [UUID: (product: Product, storedAt: ContinuousClock.Instant)] = [:]
        var enabled = false
        /// Bumped by every invalidation: a value loaded before an invalidation must not be stored
        /// after it, or a reader racing a writer could keep the old page forever.
        var epoch: UInt64 = 0
        var hits: UInt64 = 0
        var misses: UInt64 = 0
    }

    private let state = Mutex(State())
    public let capacity: Int
    public let maxAge: Duration

    public init(capacity: Int = 20_000, maxAge: Duration = .seconds(30)) {
        self.capacity = capacity
        self.maxAge = maxAge
    }

    /// A token to pass to `store` after loading from the database.
    public struct Ticket: Sendable {
        fileprivate let epoch: UInt64
        fileprivate let enabled: Bool
    }

    /// The cached product, or nil and a ticket for storing what the caller loads.
    public func lookup(_ id: UUID) -> (Product?, Ticket) {
        state.withLock { state in
            let ticket = Ticket(epoch: state.epoch, enabled: state.enabled)
            guard state.enabled else { return (nil, ticket) }
            if let entry = state.entries[id], entry.storedAt.duration(to: .now) < maxAge {
                state.hits += 1
                return (entry.product, ticket)
            }
            state.misses += 1
            return (nil, ticket)
        }
    }

    public func store(_ product: Product, ticket: Ticket) {
        state.withLock { state in
            guard ticket.enabled, state.enabled, state.epoch == ticket.epoch else { return }
            if state.entries.count >= capacity, state.entries[product.id] == nil {
                // Cheap eviction: drop an arbitrary entry; hot products come straight back.
                if let victim = state.entries.keys.first { state.entries[victim] = nil }
            }
            state.entries[product.id] = (product, .now)
        }
    }

    public func invalidate(_ id: UUID) {
        state.withLock { state in
            state.epoch &+= 1
            state.entries[id] = nil
        }
    }

    public func invalidateAll() {
        state.withLock { state in
            state.epoch &+= 1
            state.entries.removeAll(keepingCapacity: true)
        }
    }

    /// Turned on by the listener once it is listening, off (and emptied) when it loses its connection.
    public func setEnabled(_ enabled: Bool) {
        state.withLock { state in
            state.epoch &+= 1
            state.enabled = enabled
            state.entries.removeAll(keepingCapacity: true)
        }
    }

    public var isEnabled: Bool { state.withLock { $0.enabled } }
    public var stats: (entries: Int, hits: UInt64, misses: UInt64) {
        state.withLock { ($0.entries.count, $0.hits, $0.misses) }
    }

    /// Applies one `catalog_changed` payload: a product id, or `supplier:<id>`.
    public func apply(notification payload: String) {
        if let id = UUID(uuidString: payload) {
            invalidate(id)
        } else {
            // Supplier changes are rare; dropping everything is simpler than indexing by supplier.
            invalidateAll()
        }
    }
}
