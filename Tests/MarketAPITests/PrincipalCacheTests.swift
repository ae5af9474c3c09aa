import Catalog
import Foundation
import Kernel
import PostgresNIO
import Testing

@testable import MarketAPI

@Suite("The principal cache: age, token expiry, races, capacity")
struct PrincipalCacheTests {
    static func principal(_ user: UUID = UUID()) -> Principal {
        Principal(
            userID: user,
            grants: [RoleGrant(id: UUID(), role: .buyer, supplierID: nil, postOfficeID: nil, grantedAt: Date())])
    }

    static func digest() -> String { BearerToken.generate().digest }

    /// Stores `principal` under `digest` with a fresh ticket; true when a lookup then finds it.
    @discardableResult
    static func cache(
        _ cache: PrincipalCache, _ digest: String, _ principal: Principal,
        expiresAt: Date = Date().addingTimeInterval(3600)
    ) -> Bool {
        cache.store(digest, principal: principal, expiresAt: expiresAt, ticket: cache.lookup(digest).1)
        return cache.lookup(digest).0 == principal
    }

    @Test func offUntilEnabledAndEmptiedWhenDisabled() {
        let cache = PrincipalCache()
        let digest = Self.digest()
        #expect(!Self.cache(cache, digest, Self.principal()))
        #expect(cache.stats.entries == 0)
        cache.setEnabled(true)
        #expect(Self.cache(cache, digest, Self.principal()))
        cache.setEnabled(false)
        #expect(cache.lookup(digest).0 == nil)
        #expect(cache.stats.entries == 0)
        // A ticket taken while off stays useless once the cache is on.
        let (_, offTicket) = cache.lookup(digest)
        cache.setEnabled(true)
        cache.store(digest, principal: Self.principal(), expiresAt: .distantFuture, ticket: offTicket)
        #expect(cache.lookup(digest).0 == nil)
    }

    @Test func anEntryIsReadAgainOnceOlderThanMaxAge() async throws {
        let cache = PrincipalCache(maxAge: .milliseconds(300))
        cache.setEnabled(true)
        let digest = Self.digest()
        #expect(Self.cache(cache, digest, Self.principal()))
        try await Task.sleep(for: .milliseconds(400))
        #expect(cache.lookup(digest).0 == nil)
        #expect(cache.stats.entries == 0)
    }

    @Test func anEntryIsNeverServedPastItsTokensExpiry() {
        let cache = PrincipalCache(maxAge: .seconds(3600))
        cache.setEnabled(true)
        let digest = Self.digest()
        let now = Date()
        let principal = Self.principal()
        cache.store(digest, principal: principal, expiresAt: now.addingTimeInterval(2), ticket: cache.lookup(digest).1)
        #expect(cache.lookup(digest, now: now).0 == principal)
        #expect(cache.lookup(digest, now: now.addingTimeInterval(1.9)).0 == principal)
        #expect(cache.lookup(digest, now: now.addingTimeInterval(2)).0 == nil)
        #expect(cache.lookup(digest, now: now).0 == nil)  // dropped, not just hidden
    }

    /// A request reads the old grants, a revocation commits and invalidates, then the request stores
    /// what it read: that must not be kept.
    @Test func aPrincipalLoadedBeforeAnInvalidationIsNotStored() {
        let cache = PrincipalCache()
        cache.setEnabled(true)
        let user = UUID()
        let digest = Self.digest()
        for invalidate in [
            { cache.invalidate(user: user) }, { cache.invalidate(digest: digest) }, { cache.invalidateAll() },
            { cache.apply(notification: user.uuidString.lowercased()) }, { cache.apply(notification: "*") },
            { cache.invalidate(user: UUID()) },  // even another user's: the epoch is per cache
        ] {
            let (_, ticket) = cache.lookup(digest)
            invalidate()
            cache.store(digest, principal: Self.principal(user), expiresAt: .distantFuture, ticket: ticket)
            #expect(cache.lookup(digest).0 == nil)
        }
        #expect(Self.cache(cache, digest, Self.principal(user)))
    }

    @Test func aUsersChangeDropsAllTheirTokensAndOnlyTheirs() {
        let cache = PrincipalCache()
        cache.setEnabled(true)
        let (alice, bob) = (Self.principal(), Self.principal())
        let aliceTokens = [Self.digest(), Self.digest()]
        let bobToken = Self.digest()
        for digest in aliceTokens { #expect(Self.cache(cache, digest, alice)) }
        #expect(Self.cache(cache, bobToken, bob))
        cache.apply(notification: alice.userID.uuidString.lowercased())
        for digest in aliceTokens { #expect(cache.lookup(digest).0 == nil) }
        #expect(cache.lookup(bobToken).0 == bob)
        cache.invalidate(digest: bobToken)
        #expect(cache.lookup(bobToken).0 == nil)
        #expect(Self.cache(cache, bobToken, bob))
        cache.apply(notification: "*")
        #expect(cache.stats.entries == 0)
    }

    @Test func theCacheHoldsAtMostItsCapacity() {
        let cache = PrincipalCache(capacity: 3)
        cache.setEnabled(true)
        let principals = (0..<10).map { _ in Self.principal() }
        let digests = principals.map { _ in Self.digest() }
        for (digest, principal) in zip(digests, principals) { #expect(Self.cache(cache, digest, principal)) }
        #expect(cache.stats.entries == 3)
        // Storing a token again replaces it rather than taking a second place.
        #expect(Self.cache(cache, digests[9], principals[9]))
        #expect(cache.stats.entries == 3)
        // The user index follows evictions: dropping every user leaves nothing behind.
        for principal in principals { cache.invalidate(user: principal.userID) }
        #expect(cache.stats.entries == 0)
        #expect(digests.allSatisfy { cache.lookup($0).0 == nil })
    }

    @Test func hitsAndMissesAreCounted() {
        let cache = PrincipalCache()
        cache.setEnabled(true)
        let digest = Self.digest()
        _ = cache.lookup(digest)
        #expect(cache.stats.misses == 1)
        #expect(Self.cache(cache, digest, Self.principal()))
        #expect(cache.stats.hits == 1)
    }

    @Test func principalCacheSecondsIsReadAndZeroTurnsTheCacheOff() throws {
        #expect(try AppConfig.fromEnvironment([:]).principalCacheSeconds == 5)
        let off = try AppConfig.fromEnvironment(["PRINCIPAL_CACHE_SECONDS": "0"])
        #expect(off.principalCacheSeconds == 0)
        #expect(throws: AppConfig.Problem.self) { try AppConfig.fromEnvironment(["PRINCIPAL_CACHE_SECONDS": "-1"]) }
        // Never connected: building the dependencies does not touch the database.
        let client = PostgresClient(
            configuration: .init(host: "127.0.0.1", username: "nobody", password: nil, database: nil, tls: .disable))
        #expect(AppDependencies(config: off, db: client, logger: testLogger).principalCache == nil)
        #expect(AppDependencies(config: testConfig(), db: client, logger: testLogger).principalCache != nil)
    }
}
