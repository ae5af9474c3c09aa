import HTTPTypes
import Hummingbird
import Kernel
import NIOCore

/// Slows anonymous writes per client address (issue 16): sign-in, registration and every other
/// write without a bearer token, before any handler or account lock sees them. The bank's signed
/// payment notifications are exempt: they cannot be guessed, and refusing one would delay money.
struct AnonymousWriteLimitMiddleware<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let limiter: ClientRateLimiter
    let proxies: TrustedProxies

    static var forwardedFor: HTTPField.Name { HTTPField.Name("X-Forwarded-For")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.headers[.authorization] == nil,
            ![.get, .head, .options].contains(request.method),
            request.uri.path != PaymentSignatureMiddleware<Context>.path,
            // Only the API: the pages' forms (console, shop) carry a session or visitor cookie and a
            // CSRF token instead of a bearer token; their sign-in and registration ask this limiter
            // themselves, and a buyer filling a cart is not slowed.
            request.uri.path.hasPrefix("/v1/")
        else { return try await next(request, context) }
        let client = proxies.client(
            peer: context.remoteAddress?.ipAddress, forwardedFor: request.headers[values: Self.forwardedFor])
        if let wait = await limiter.admit(client) {
            throw DomainError.tooManyRequests(
                detail: "Too many requests from this address without signing in; try again in \(wait) s.",
                retryAfterSeconds: wait)
        }
        return try await next(request, context)
    }
}

/// The request context of every route: Hummingbird's basic one plus the peer's address, which the
/// anonymous-write limit keys on.
struct MarketRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
