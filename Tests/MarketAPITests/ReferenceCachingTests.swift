import Foundation
import HTTPTypes
import Testing

@testable import MarketAPI

/// Issue 17: reference data answers with ETag and Cache-Control, and a client that holds the current
/// copy gets 304 without a body.
@Suite("Reference data: ETag, Cache-Control, 304")
struct ReferenceCachingTests {
    @Test func aClientHoldingTheCurrentCopyGetsNotModified() async throws {
        try await withTestApp { api in
            var tags: Set<String> = []
            for path in ["/v1/provinces", "/v1/provinces/48/communes", "/v1/categories", "/v1/banks"] {
                let first = try await api.request(.get, path)
                #expect(first.status == .ok, "\(path)")
                let tag = try #require(first.headers[.eTag], "\(path)")
                #expect(tag.hasPrefix("\"") && tag.hasSuffix("\"") && tag.count == 34)
                // The reference cache's lifetime (the tests run with it off: 0, asked every time).
                #expect(
                    first.headers[.cacheControl]
                        == "public, max-age=\(api.config.referenceCacheSeconds), must-revalidate")
                #expect(first.contentType == "application/json; charset=utf-8")
                #expect(!(first.json["items"] as? [Any] ?? []).isEmpty, "\(path)")
                tags.insert(tag)
                // The kept answer is the same bytes with the same tag.
                let again = try await api.request(.get, path)
                #expect(again.text == first.text && again.headers[.eTag] == tag)
                for held in [tag, "W/\(tag)", "\"0000\", \(tag)", "*"] {
                    var headers = HTTPFields()
                    headers[.ifNoneMatch] = held
                    let reply = try await api.request(.get, path, headers: headers)
                    #expect(reply.status == .notModified, "\(path) \(held)")
                    #expect(reply.body.readableBytes == 0 && reply.headers[.eTag] == tag)
                }
                var stale = HTTPFields()
                stale[.ifNoneMatch] = "\"0123456789abcdef0123456789abcdef\""
                let changed = try await api.request(.get, path, headers: stale)
                #expect(changed.status == .ok && changed.text == first.text)
            }
            #expect(tags.count == 4)
            // The document's limit on the header holds for a kept answer too.
            var long = HTTPFields()
            long[.ifNoneMatch] = String(repeating: "0", count: 1001)
            let refused = try await api.request(.get, "/v1/banks", headers: long)
            #expect(refused.status == .unprocessableContent || refused.status == .badRequest)
            #expect(refused.contentType == "application/problem+json")
            // A province that does not exist is still its problem, never a cached answer.
            let missing = try await api.request(.get, "/v1/provinces/99/communes")
            #expect(missing.status.code >= 400 && missing.status.code < 500 && missing.headers[.eTag] == nil)
        }
    }

    /// With the reference cache on, a repeat is served from the kept answer: a category renamed in the
    /// database behind the service's back shows only after the lifetime, like `ReferenceCache` itself.
    @Test func theKeptAnswerIsReusedForItsLifetime() async throws {
        var config = testConfig()
        config.referenceCacheSeconds = 300
        try await withTestApp(config: config) { api in
            let first = try await api.request(.get, "/v1/categories")
            #expect(first.headers[.cacheControl] == "public, max-age=300, must-revalidate")
            try await api.db.query("UPDATE categories SET name = name || ' (đổi)' WHERE parent_code IS NULL")
            let kept = try await api.request(.get, "/v1/categories")
            #expect(kept.text == first.text && kept.headers[.eTag] == first.headers[.eTag])
        }
    }
}
