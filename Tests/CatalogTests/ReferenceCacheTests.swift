import Foundation
import Synchronization
import Testing

@testable import Catalog

@Suite("Reference cache: one read per key within its lifetime")
struct ReferenceCacheTests {
    @Test func answersFromMemoryUntilItExpiresAndNeverKeepsAFailure() async throws {
        let reads = Mutex(0)
        func load() async throws -> [String] {
            reads.withLock { $0 += 1 }
            return ["48"]
        }
        let cache = ReferenceCache(ttl: .milliseconds(200))
        for _ in 0..<5 { #expect(try await cache.value("provinces", load: load) == ["48"]) }
        #expect(reads.withLock { $0 } == 1)
        _ = try await cache.value("communes:48", load: load)
        #expect(reads.withLock { $0 } == 2)
        try await Task.sleep(for: .milliseconds(300))
        _ = try await cache.value("provinces", load: load)
        #expect(reads.withLock { $0 } == 3)
        // A failed read (an unknown province) is not remembered: the next one reads again.
        struct Missing: Error {}
        await #expect(throws: Missing.self) {
            try await cache.value("communes:99") { () async throws -> [String] in throw Missing() }
        }
        #expect(try await cache.value("communes:99", load: load) == ["48"])
    }
}
