import Foundation
import Synchronization

/// What bearer tokens resolve to (`AccountStore.TokenPrincipal`), per process: every signed-in
/// request asks, so a hot token is answered without a database round trip.
///
/// It is correct across processes because every change to that answer (a revoked token,
/// `users.is_active`, role grants) notifies `principals_changed` with the user's id at commit, from
/// triggers (migration 0017), and `PrincipalChangeListener` drops that user's entries. This process's
/// own changes drop them right after their commit too, so its very next request sees them. While the
/// listener is not connected, notifications could be missed, so the cache is off. An entry is never
/// served past its token's expiry, nor once older than `maxAge`.
public final class PrincipalCache: PrincipalChangeObserver {
    private struct Entry {
        var principal: Principal
        var expiresAt: Date
        var storedAt: ContinuousClock.Instant
    }

    private struct State {
        /// By token digest.
        var entries: [String: Entry] = [:]
        /// So that a user's change drops all their tokens without a scan.
        var digestsByUser: [UUID: Set<String>] = [:]
        var enabled = false
        /// Bumped by every invalidation: a principal loaded before an invalidation must not be stored
        /// after it, or a request racing a revocation could keep the old grants.
        var epoch: UInt64 = 0
        var hits: UInt64 = 0
        var misses: UInt64 = 0

        mutating func remove(_ digest: String) {
            guard let entry = entries.removeValue(forKey: digest) else { return }
            let user = entry.principal.userID
            digestsByUser[user]?.remove(digest)
            if digestsByUser[user]?.isEmpty == true { digestsByUser[user] = nil }
        }

        mutating func removeAll() {
            entries.removeAll(keepingCapacity: true)
            digestsByUser.removeAll(keepingCapacity: true)
        }
    }

    private let state = Mutex(State())
    public let capacity: Int
    public let maxAge: Duration

    public init(capacity: Int = 50_000, maxAge: Duration = .seconds(5)) {
        self.capacity = capacity
        self.maxAge = maxAge
    }

    /// A token to pass to `store` after loading from the database.
    public struct Ticket: Sendable {
        fileprivate let epoch: UInt64
        fileprivate let enabled: Bool
    }

    /// The cached principal of a token digest, or nil and a ticket for storing what the caller loads.
    public func lookup(_ digest: String, now: Date = Date()) -> (Principal?, Ticket) {
        state.withLock { state in
            let ticket = Ticket(epoch: state.epoch, enabled: state.enabled)
            guard state.enabled else { return (nil, ticket) }
            if let entry = state.entries[digest] {
                if entry.expiresAt > now, entry.storedAt.duration(to: .now) < maxAge {
                    state.hits += 1
                    return (entry.principal, ticket)
                }
                state.remove(digest)
            }
            state.misses += 1
            return (nil, ticket)
        }
    }

    public func store(_ digest: String, principal: Principal, expiresAt: Date, ticket: Ticket) {
        state.withLock { state in
            guard ticket.enabled, state.enabled, state.epoch == ticket.epoch else { return }
            state.remove(digest)
            if state.entries.count >= capacity, let victim = state.entries.keys.first {
                // Cheap eviction: drop an arbitrary entry; a hot token comes straight back.
                state.remove(victim)
            }
            state.entries[digest] = Entry(principal: principal, expiresAt: expiresAt, storedAt: .now)
            state.digestsByUser[principal.userID, default: []].insert(digest)
        }
    }

    public func invalidate(user: UUID) {
        state.withLock { state in
            state.epoch &+= 1
            for digest in state.digestsByUser[user] ?? [] { state.remove(digest) }
        }
    }

    public func invalidate(digest: String) {
        state.withLock { state in
            state.epoch &+= 1
            state.remove(digest)
        }
    }

    public func invalidateAll() {
        state.withLock { state in
            state.epoch &+= 1
            state.removeAll()
        }
    }

    public func principalChanged(user: UUID) { invalidate(user: user) }

    /// Turned on by the listener once it is listening, off (and emptied) when it loses its connection.
    public func setEnabled(_ enabled: Bool) {
        state.withLock { state in
            state.epoch &+= 1
            state.enabled = enabled
            state.removeAll()
        }
    }

    public var isEnabled: Bool { state.withLock { $0.enabled } }
    public var stats: (entries: Int, hits: UInt64, misses: UInt64) {
        state.withLock { ($0.entries.count, $0.hits, $0.misses) }
    }

    /// Applies one `principals_changed` payload: a user id, or anything else (`*`) for everyone.
    public func apply(notification payload: String) {
        if let user = UUID(uuidString: payload) {
            invalidate(user: user)
        } else {
            invalidateAll()
        }
    }
}
