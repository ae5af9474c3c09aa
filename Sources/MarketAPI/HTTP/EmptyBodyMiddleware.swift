import Foundation
import HTTPTypes
import OpenAPIRuntime

/// An operation whose JSON body is optional (`ready` takes a packed parcel's measurement, or nothing) must
/// accept a request with no body at all. The transport hands the generated code an empty body rather than
/// none, which it would decode as malformed JSON; this passes an empty (or blank) body on as none.
struct EmptyBodyMiddleware: ServerMiddleware {
    static let optionalBodies: Set<String> = ["markPackageReady"]

    func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        metadata: ServerRequestMetadata,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard Self.optionalBodies.contains(operationID), let body else {
            return try await next(request, body, metadata)
        }
        // The router's body limit already bounds what arrives; a measurement is a few dozen bytes.
        let bytes = try await [UInt8](collecting: body, upTo: 1 << 20)
        let blank = bytes.allSatisfy { [0x20, 0x09, 0x0A, 0x0D].contains($0) }
        return try await next(request, blank ? nil : HTTPBody(bytes), metadata)
    }
}
