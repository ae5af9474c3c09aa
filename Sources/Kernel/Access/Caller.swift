import Foundation

/// Who is asking (nil for an anonymous request) and the request id that goes into the audit trail.
public struct Caller: Sendable {
    public var principal: Principal?
    public var requestID: String?

    public init(principal: Principal?, requestID: String?) {
        self.principal = principal
        self.requestID = requestID
    }

    /// The signed-in user, or 401.
    public func signedIn() throws(DomainError) -> Principal {
        guard let principal else { throw .unauthenticated("Sign in to do this.") }
        return principal
    }
}
