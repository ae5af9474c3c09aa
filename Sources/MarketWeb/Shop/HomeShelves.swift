import Catalog
import Foundation

/// The home page's shelves, kept by each process: every visitor sees the same shelves, and finding
/// the newest 5-star products in stock among a million, with the catalog's origin counts, takes
/// seconds. One load at a time (visitors who arrive during the first one wait for it, not for their
/// own), and once `ttl` has passed the shelves are refreshed in the background while visitors are
/// still served the previous ones: a new product reaches "Mới lên kệ" within about `ttl`. Product
/// pages and search are never served from here.
actor HomeShelves {
    struct Shelf: Sendable {
        var heading: String
        var more: String
        var hits: [ProductHit]
    }

    struct Content: Sendable {
        var shelves: [Shelf]
        var origins: [FacetCount]
    }

    let ttl: Duration
    private var content: Content?
    private var expires = ContinuousClock.now
    private var loading: Task<Content, any Error>?

    init(ttl: Duration = .seconds(30)) {
        self.ttl = ttl
    }

    func value(load: @escaping @Sendable () async throws -> Content) async throws -> Content {
        if let content {
            if ContinuousClock.now >= expires, loading == nil { _ = start(load) }
            return content
        }
        if let loading { return try await loading.value }
        return try await start(load).value
    }

    private func start(_ load: @escaping @Sendable () async throws -> Content) -> Task<Content, any Error> {
        let task = Task { try await load() }
        loading = task
        Task { self.finish(try? await task.value) }
        return task
    }

    private func finish(_ result: Content?) {
        if let result {
            content = result
            expires = ContinuousClock.now.advanced(by: ttl)
        }
        loading = nil
    }
}
