import Catalog
import Foundation
import HTTPTypes
import Kernel
import Logging
import Synchronization

/// Per-request values that the generated OpenAPI handlers cannot receive as arguments. The
/// middlewares bind them around `next(…)`, so they are visible to everything the request runs.
enum RequestScope {
    @TaskLocal static var requestID: String?
    @TaskLocal static var logger: Logger = Logger(label: "market.request")
    @TaskLocal static var principal: Principal?
    /// The bearer token's digest, so that logout can revoke exactly the token it was called with.
    @TaskLocal static var tokenHash: String?
    /// JSON paths of the request body that hold `null` (see `NullFieldsMiddleware`).
    @TaskLocal static var nullFields: [String] = []
    /// For payment notifications: whether `X-Signature` is the HMAC of the raw body (nil elsewhere).
    @TaskLocal static var signatureValid: Bool?
    /// What inner middlewares learn about the request (its route, who signed in) for the access log line
    /// the outermost one writes.
    @TaskLocal static var facts: RequestFacts?

    /// The signed-in user, or 401.
    static func requirePrincipal() throws(DomainError) -> Principal {
        guard let principal else { throw .unauthenticated("Sign in and send `Authorization: Bearer <token>`.") }
        try rejectNulls()
        return principal
    }

    /// No request schema allows `null`: a field is either given a value or left out. Checked after
    /// authentication, so an anonymous caller learns only that it must sign in.
    static func rejectNulls() throws(DomainError) {
        guard nullFields.isEmpty else {
            throw .validation(
                nullFields.map { FieldError(field: $0, message: "must not be null; leave it out instead") })
        }
    }
}

/// The route and the signed-in user of one request, filled in by the middlewares that find them out.
final class RequestFacts: Sendable {
    private let state = Mutex<(route: String?, userID: UUID?)>((nil, nil))
    /// The request's method, path and authority, for the few handlers that need them (a photo's URL
    /// is built on the host the producer used).
    let head: HTTPRequest

    init(head: HTTPRequest) {
        self.head = head
    }

    var route: String? {
        get { state.withLock { $0.route } }
        set { state.withLock { $0.route = newValue } }
    }

    var userID: UUID? {
        get { state.withLock { $0.userID } }
        set { state.withLock { $0.userID = newValue } }
    }
}
