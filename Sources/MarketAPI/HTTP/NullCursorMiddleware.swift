import Foundation
import HTTPTypes
import OpenAPIRuntime

/// SPEC §7: a collection answers `"next_cursor": null` on its last page. The generated encoders
/// leave nil optionals out, so this adds the key to JSON bodies that have `items` but no
/// `next_cursor`. A quoted key can only be a key: inside JSON strings quotes are escaped.
struct NullCursorMiddleware: ServerMiddleware {
    private static let itemsKey = Array(#""items":"#.utf8)
    private static let cursorKey = Array(#""next_cursor":"#.utf8)
    private static let nullCursor = Array(#","next_cursor":null}"#.utf8)
    static let otherCollections: Set<String> = ["searchProducts", "getReconciliation"]

    func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        metadata: ServerRequestMetadata,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        // Collections are the `list…` operations, the search and the reconciliation report (a page of
        // rows); other bodies pass untouched.
        guard operationID.hasPrefix("list") || Self.otherCollections.contains(operationID) else {
            return try await next(request, body, metadata)
        }
        let (response, responseBody) = try await next(request, body, metadata)
        guard request.method == .get, response.status == .ok, let responseBody,
            response.headerFields[.contentType]?.hasPrefix("application/json") == true
        else { return (response, responseBody) }
        let bytes = Self.withNullCursor(try await [UInt8](collecting: responseBody, upTo: .max))
        var rewritten = response
        // The length was set for the body as encoded; it must describe the body as sent.
        rewritten.headerFields[.contentLength] = String(bytes.count)
        return (rewritten, HTTPBody(bytes))
    }

    static func withNullCursor(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}"),
            bytes.firstRange(of: itemsKey) != nil, bytes.firstRange(of: cursorKey) == nil
        else { return bytes }
        return bytes.dropLast() + nullCursor
    }
}
