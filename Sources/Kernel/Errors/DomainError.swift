/// One bad field of a request, named the way the client sent it (`shipping_address.phone`).
public struct FieldError: Sendable, Equatable, Codable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// The errors every module throws for a request that cannot be served. The HTTP layer maps each case
/// to a problem document exactly once; domain code never deals with status codes.
public enum DomainError: Error, Sendable, Equatable {
    /// The request is well-formed JSON but some fields break the rules.
    case validation([FieldError])
    /// Not authenticated: no token, an unknown, expired or revoked one.
    case unauthenticated(String)
    /// Authenticated, but this role may not do this.
    case forbidden(String)
    /// The resource does not exist, or its existence must not leak to this caller.
    case notFound(String)
    /// The resource exists but is in a state that forbids the action; `fields` name what in the request
    /// met the conflict (e.g. each line whose stock is short).
    case conflict(kind: String, detail: String, currentState: String? = nil, fields: [FieldError] = [])
    /// Too many attempts; retry after this many seconds.
    case tooManyRequests(detail: String, retryAfterSeconds: Int)
    /// The request itself is malformed in a way no schema catches (e.g. a tracking number whose check
    /// digit is wrong).
    case badRequest(kind: String, detail: String)
    /// A rule that is not about one field (e.g. an idempotency key reused with another body).
    case unprocessable(kind: String, detail: String)

    /// SPEC §1: nobody approves, verifies or receives their own work (migration 0022 enforces the clerk
    /// and courier half of it in the database, SQLSTATE MK002).
    public static let separationOfDuties = DomainError.conflict(
        kind: "separation-of-duties",
        detail: "A clerk cannot be a courier of the post office where he is a clerk.")

    /// The other half of SPEC §1's rule: a member of a supplier never reviews it, its products or its
    /// OCOP certificates, whatever else he is.
    public static let ownWork = DomainError.forbidden(
        "You are a member of this supplier: its applications, products and certificates are reviewed by another clerk.")

    public static func invalid(_ field: String, _ message: String) -> DomainError {
        .validation([FieldError(field: field, message: message)])
    }
}
