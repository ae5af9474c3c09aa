import Foundation
import Kernel
import Logging
import Synchronization

/// Announces stock taken by orders (`CatalogChanges`), once per batch rather than once per order.
///
/// The process's own product cache forgets the products at once. Other processes hear of them through
/// one `catalog_changed` statement that carries every product announced since the last one: under
/// order load that is one statement for dozens of orders instead of a round trip and a transaction
/// after each. Only one such statement runs at a time; what arrives meanwhile waits for the next.
/// The order's response does not wait for it. Best effort like `CatalogChanges.announce`: what a
/// stopping process still held is caught by the caches' age.
public final class CatalogAnnouncer: Sendable {
    private struct State {
        var pending: Set<UUID> = []
        var sending = false
    }

    private let state = Mutex(State())
    private let db: Database
    private let cache: ProductCache?
    private let logger: Logger
    /// `pg_notify` payloads per statement: bounds one statement's size.
    static let batchLimit = 1_000

    public init(db: Database, cache: ProductCache?, logger: Logger) {
        self.db = db
        self.cache = cache
        self.logger = logger
    }

    public func announce(products ids: [UUID]) {
        guard !ids.isEmpty else { return }
        for id in ids { cache?.invalidate(id) }
        let start = state.withLock { state in
            state.pending.formUnion(ids)
            defer { state.sending = true }
            return !state.sending
        }
        guard start else { return }
        Task { await self.sendAll() }
    }

    /// Sends until nothing is pending, then lets the next `announce` start again.
    private func sendAll() async {
        while let batch = nextBatch() {
            await CatalogChanges.announce(products: batch, db: db, logger: logger)
        }
    }

    private func nextBatch() -> [UUID]? {
        state.withLock { state in
            guard !state.pending.isEmpty else {
                state.sending = false
                return nil
            }
            let batch = Array(state.pending.prefix(Self.batchLimit))
            state.pending.subtract(batch)
            return batch
        }
    }

    /// What is waiting to be sent (tests).
    var pendingCount: Int { state.withLock { $0.pending.count } }
}
