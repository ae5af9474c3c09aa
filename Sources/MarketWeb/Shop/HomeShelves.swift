import Catalog
import Foundation
import Synchronization

/// The home page's shelves, kept by each process for `ttl` (30 s by default): every visitor sees the
/// same shelves, and a new product appears on "Mới lên kệ" within that time. Product pages and search
/// are never served from here.
final class HomeShelves: Sendable {
    struct Shelf: Sendable {
        var heading: String
        var more: String
        var hits: [ProductHit]
    }

    struct Content: Sendable {
        var shelves: [Shelf]
        var origins: [FacetCount]
    }

    private let kept = Mutex<(expires: ContinuousClock.Instant, content: Content)?>(nil)
    let ttl: Duration

    init(ttl: Duration = .seconds(30)) {
        self.ttl = ttl
    }

    func value(load: () async throws -> Content) async throws -> Content {
        let now = ContinuousClock.now
        if let entry = kept.withLock({ $0 }), entry.expires > now { return entry.content }
        let content = try await load()
        kept.withLock { $0 = (now.advanced(by: ttl), content) }
        return content
    }
}
