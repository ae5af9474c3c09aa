import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import NIOCore
import Synchronization

/// Reference data (provinces, a province's communes, categories, banks) as HTTP caches expect it
/// (issue 17): an `ETag` (the SHA-256 of the body) and `Cache-Control`, and 304 with no body for an
/// `If-None-Match` that names the current tag. The encoded answer is kept in memory for the reference
/// cache's lifetime, so a repeat is a lookup, not a read and a JSON encoding: the same staleness the
/// `ReferenceCache` behind those handlers already allows (reference data changes with migrations).
struct ReferenceResponseCache<Context: RequestContext>: RouterMiddleware {
    struct Entry: Sendable {
        var body: ByteBuffer
        var contentType: String
        var etag: String
        var expires: ContinuousClock.Instant
    }

    final class Store: Sendable {
        let entries = Mutex([String: Entry]())
    }

    /// How long an answer is kept and may be reused by a client without asking (0: asked every time).
    let ttl: Duration
    let store = Store()

    static func isReference(_ path: String) -> Bool {
        if path == "/v1/provinces" || path == "/v1/categories" || path == "/v1/banks" { return true }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 5 && parts[1] == "v1" && parts[2] == "provinces" && parts[4] == "communes"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard request.method == .get || request.method == .head, Self.isReference(request.uri.path) else {
            return try await next(request, context)
        }
        // The document's limit on the header, checked here since a kept answer never reaches the
        // generated handler that would check it.
        let tags = request.headers[values: .ifNoneMatch]
        if tags.reduce(0, { $0 + $1.utf8.count }) > 1000 || tags.contains(where: { $0.contains("\u{0}") }) {
            throw DomainError.invalid("If-None-Match", "must be at most 1000 characters, without NUL")
        }
        let key = request.uri.path
        let now = ContinuousClock.now
        if let entry = store.entries.withLock({ $0[key] }), entry.expires > now {
            return answer(entry, request)
        }
        let response = try await next(request, context)
        guard response.status == .ok else { return response }
        let collector = Collector()
        try await response.body.write(CollectingWriter(collector: collector))
        let body = collector.buffer.withLock { $0 }
        let digest = SHA256.hash(data: Data(body.readableBytesView))
        let entry = Entry(
            body: body, contentType: response.headers[.contentType] ?? "application/json",
            etag: "\"" + digest.prefix(16).map { String(format: "%02x", $0) }.joined() + "\"", expires: now + ttl)
        if ttl > .zero {
            store.entries.withLock { entries in
                // A handful of paths (4 + one per province): no eviction needed beyond expiry.
                if entries.count > 200 { entries.removeAll() }
                entries[key] = entry
            }
        }
        return answer(entry, request)
    }

    /// 304 when the client already has this tag (RFC 9110 §13.1.2: weak comparison, `*` matches),
    /// else the body; both with the tag and how long it may be reused.
    func answer(_ entry: Entry, _ request: Request) -> Response {
        var headers = HTTPFields()
        headers[.eTag] = entry.etag
        headers[.cacheControl] = "public, max-age=\(ttl.components.seconds), must-revalidate"
        let asked = request.headers[values: .ifNoneMatch].flatMap { $0.split(separator: ",") }.map {
            $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "")
        }
        if asked.contains(entry.etag) || asked.contains("*") {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = entry.contentType
        headers[.contentLength] = String(entry.body.readableBytes)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: entry.body))
    }
}

/// Where a response body is gathered (the writer itself is consumed by `ResponseBody.write`).
final class Collector: Sendable {
    let buffer = Mutex(ByteBuffer())
}

struct CollectingWriter: ResponseBodyWriter {
    let collector: Collector

    mutating func write(_ buffer: ByteBuffer) async throws {
        collector.buffer.withLock { collected in
            var copy = buffer
            collected.writeBuffer(&copy)
        }
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
