import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logging
import Orders

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id")!
    static let signature = Self("X-Signature")!
}

/// Gives every request an id (the client's `X-Request-Id` when it is sane), puts it in every log
/// line and on the response, and logs one access line per request.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let id = request.headers[.requestID].flatMap(Self.sanitized) ?? UUID().uuidString.lowercased()
        var context = context
        context.logger[metadataKey: "request_id"] = .string(id)
        let logger = context.logger
        let start = ContinuousClock.now
        let facts = RequestFacts(head: request.head)
        var response = try await RequestScope.$requestID.withValue(id) {
            try await RequestScope.$facts.withValue(facts) {
                try await RequestScope.$logger.withValue(logger) {
                    try await next(request, context)
                }
            }
        }
        response.headers[.requestID] = id
        let elapsed = ContinuousClock.now - start
        // Built inside the log call's autoclosure: nothing is assembled when the level is above info.
        logger.info(
            "request",
            metadata: {
                var metadata: Logger.Metadata = [
                    "method": .string(request.method.rawValue),
                    "path": .string(request.uri.path),
                    "status": .stringConvertible(response.status.code),
                    "duration_ms": .stringConvertible(
                        Double(elapsed.components.attoseconds / 1_000_000_000_000) / 1000),
                ]
                if let route = facts.route { metadata["route"] = .string(route) }
                if let user = facts.userID { metadata["user_id"] = .string(user.uuidString.lowercased()) }
                return metadata
            }())
        return response
    }

    /// Client ids are echoed into logs and headers, so only short, plain tokens are honoured.
    static func sanitized(_ value: String) -> String? {
        guard (1...128).contains(value.utf8.count),
            value.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E && $0 != UInt8(ascii: "\"") })
        else { return nil }
        return value
    }
}

/// Turns every error into a problem document and answers 404/405 for routes the document does not
/// declare, before any handler runs.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        switch routes.match(method: request.method, path: request.uri.path) {
        case .notFound:
            return respond(
                ProblemDocument(kind: "not-found", status: .notFound, detail: "No such route: \(request.uri.path)"))
        case .methodNotAllowed(let allow):
            let detail =
                "\(request.method.rawValue) is not supported here; use \(allow.map(\.rawValue).joined(separator: ", "))."
            return respond(
                ProblemDocument(kind: "method-not-allowed", status: .methodNotAllowed, detail: detail),
                headers: [.allow: allow.map(\.rawValue).joined(separator: ", ")]
            )
        case .found(let route):
            RequestScope.facts?.route = route
        }
        do {
            return try await next(request, context)
        } catch {
            let (problem, headers) = ProblemMapper.problem(for: error, logger: context.logger)
            return respond(problem, headers: headers)
        }
    }

    private func respond(_ problem: ProblemDocument, headers: HTTPFields = [:]) -> Response {
        var problem = problem
        problem.requestID = RequestScope.requestID
        return problem.response(headers: headers)
    }
}

/// Reads the whole body up front, refusing more than `limit` bytes with a 413 before a handler runs.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limit: Int
    /// Requests whose handler reads and limits its own body.
    var exempt: @Sendable (HTTPRequest.Method, String) -> Bool = { _, _ in false }
    /// Requests allowed a larger body than `limit` (a photo upload), read here all the same.
    var raised: @Sendable (HTTPRequest.Method, String) -> Int? = { _, _ in nil }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if exempt(request.method, request.uri.path) { return try await next(request, context) }
        let limit = raised(request.method, request.uri.path) ?? limit
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw HTTPError(.contentTooLarge, message: "The body is larger than \(limit) bytes.")
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw HTTPError(.contentTooLarge, message: "The body is larger than \(limit) bytes.")
        }
        return try await next(request, context)
    }
}

/// Finds `null` values in JSON request bodies. The generated decoders read a `null` as "absent",
/// which would let `{"pickup_address": null}` through a schema that does not allow it; handlers
/// refuse such bodies once they know who is asking (`RequestScope.rejectNulls`).
struct NullFieldsMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method != .get, request.headers[.contentType]?.lowercased().contains("json") == true else {
            return try await next(request, context)
        }
        var request = request
        let body = try await request.collectBody(upTo: .max)
        // Cheap test first: most bodies contain no `null` at all.
        guard body.readableBytesView.firstRange(of: Array("null".utf8)) != nil,
            let json = try? JSONSerialization.jsonObject(with: Data(buffer: body), options: [.fragmentsAllowed])
        else { return try await next(request, context) }
        let paths = Self.nullPaths(in: json, at: "")
        guard !paths.isEmpty else { return try await next(request, context) }
        return try await RequestScope.$nullFields.withValue(paths) { try await next(request, context) }
    }

    static func nullPaths(in value: Any, at path: String) -> [String] {
        switch value {
        case is NSNull:
            return [path.isEmpty ? "body" : path]
        case let object as [String: Any]:
            return object.keys.sorted().flatMap { key in
                nullPaths(in: object[key] ?? NSNull(), at: path.isEmpty ? key : "\(path).\(key)")
            }
        case let array as [Any]:
            return array.enumerated().flatMap { nullPaths(in: $1, at: "\(path)[\($0)]") }
        default:
            return []
        }
    }
}

/// Resolves `Authorization: Bearer …` to a principal for the rest of the request. A request without
/// the header goes on anonymous (each handler decides whether that is enough); a bad token is a 401.
struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let accounts: AccountStore
    /// Every route of the document, and those callable without a sign-in: a request without a token
    /// to any other route is a 401 before its body or parameters are even read.
    let routes: RouteTable
    let publicRoutes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let header = request.headers[.authorization] else {
            let path = request.uri.path
            if routes.contains(method: request.method, path: path),
                !publicRoutes.contains(method: request.method, path: path)
            {
                throw DomainError.unauthenticated("Sign in and send `Authorization: Bearer <token>`.")
            }
            return try await next(request, context)
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", let token = BearerToken(parts[1]) else {
            throw DomainError.unauthenticated("Send `Authorization: Bearer <token>` with a token from /v1/auth/login.")
        }
        guard let principal = try await accounts.principal(forToken: token) else {
            throw DomainError.unauthenticated("The token is unknown, expired or revoked; sign in again.")
        }
        RequestScope.facts?.userID = principal.userID
        return try await RequestScope.$principal.withValue(principal) {
            try await RequestScope.$tokenHash.withValue(token.digest) {
                try await next(request, context)
            }
        }
    }
}

/// Checks the HMAC of payment notifications over the raw body, which the generated handler never
/// sees, and tells the handler through `RequestScope.signatureValid`.
struct PaymentSignatureMiddleware<Context: RequestContext>: RouterMiddleware {
    let secret: String?
    static var path: String { "/v1/payments/notifications" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method == .post, request.uri.path == Self.path else { return try await next(request, context) }
        var request = request
        let body = try await request.collectBody(upTo: .max)
        var valid = false
        if let secret, let signature = request.headers[.signature] {
            valid = PaymentSignature.isValid(signature, body: body.readableBytesView, secret: secret)
        }
        return try await RequestScope.$signatureValid.withValue(valid) { try await next(request, context) }
    }
}
