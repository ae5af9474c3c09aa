import Catalog
import Foundation
import Synchronization

/// What pricing an order read from the database last time, kept per process so that a cart of
/// variants seen before is priced without reading them again: variants with their sellers, the
/// recipient communes' provinces and regions, and the tariff in force.
///
/// Only a hint. The statement that writes the order checks, under the variants' locks, everything
/// pricing used (price, weight, names, seller, stock, on sale, the tariff in force) and refuses the
/// order if any of it changed; the order is then priced again from the database, which also refreshes
/// this cache. So a stale entry costs one refused statement, never a wrong order, and no change to the
/// catalog needs to reach it. A refusal is never answered from here either: the database has the last
/// word (and a stored response for the key, if any).
final class PricingCache: Sendable {
    private struct State {
        var variants: [UUID: (variant: PurchasableVariant, seller: String, at: ContinuousClock.Instant)] = [:]
        var destinations: [String: (province: String, region: String)] = [:]
        var tariff: (id: UUID, at: ContinuousClock.Instant)?
    }

    private let state = Mutex(State())
    let capacity: Int
    let maxAge: Duration

    init(capacity: Int = 100_000, maxAge: Duration = .seconds(60)) {
        self.capacity = capacity
        self.maxAge = maxAge
    }

    /// What pricing needs for these lines, when every piece is known and young enough.
    func context(variantIDs: [UUID], communeCode: String, now: ContinuousClock.Instant = .now) -> Cached? {
        state.withLock { state in
            guard let tariff = state.tariff, tariff.at.duration(to: now) < maxAge,
                let destination = state.destinations[communeCode]
            else { return nil }
            var cached = Cached(tariffID: tariff.id, destination: destination, variants: [:], sellers: [:])
            for id in variantIDs {
                guard let entry = state.variants[id], entry.at.duration(to: now) < maxAge else { return nil }
                cached.variants[id] = entry.variant
                cached.sellers[entry.variant.supplierID] = entry.seller
            }
            return cached
        }
    }

    struct Cached {
        var tariffID: UUID
        var destination: (province: String, region: String)
        var variants: [UUID: PurchasableVariant]
        var sellers: [UUID: String]
    }

    /// Keeps what a read from the database found.
    func remember(
        variants: [UUID: PurchasableVariant], sellers: [UUID: String], tariffID: UUID?, communeCode: String,
        destination: (province: String, region: String)?, now: ContinuousClock.Instant = .now
    ) {
        state.withLock { state in
            if let tariffID { state.tariff = (tariffID, now) }
            // Communes and their provinces are reference data: they do not change while a process runs.
            if let destination { state.destinations[communeCode] = destination }
            for (id, variant) in variants {
                if state.variants.count >= capacity, state.variants[id] == nil,
                    let victim = state.variants.keys.first
                {
                    state.variants[victim] = nil
                }
                state.variants[id] = (variant, sellers[variant.supplierID] ?? "", now)
            }
        }
    }

    /// Drops what an order found changed, so the next one reads it again.
    func forget(variantIDs: [UUID]) {
        state.withLock { state in
            for id in variantIDs { state.variants[id] = nil }
            state.tariff = nil
        }
    }

    var count: Int { state.withLock { $0.variants.count } }
}
