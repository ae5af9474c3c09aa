import HTTPTypes
import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime

/// The routes declared in the OpenAPI document, recorded as the generated code registers them. It lets
/// the server tell "no such path" (404) from "path exists, method does not" (405 with `Allow`).
final class RouteTable: @unchecked Sendable {
    // Written only while the router is built, before the server starts; read-only afterwards.
    private var routes: [(path: String, segments: [Substring], methods: Set<HTTPRequest.Method>)] = []

    enum Match: Equatable {
        /// The route's template as the document writes it (`/v1/orders/{order_id}`), for logs and metrics.
        case found(route: String)
        case methodNotAllowed(allow: [HTTPRequest.Method])
        case notFound
    }

    func add(method: HTTPRequest.Method, path: String) {
        let segments = Self.segments(path)
        if let index = routes.firstIndex(where: { $0.segments == segments }) {
            routes[index].methods.insert(method)
        } else {
            routes.append((path, segments, [method]))
        }
    }

    func match(method: HTTPRequest.Method, path: String) -> Match {
        let requested = Self.segments(path)
        var allowed: Set<HTTPRequest.Method> = []
        for route in routes where Self.matches(route.segments, requested) {
            if route.methods.contains(method) { return .found(route: route.path) }
            allowed.formUnion(route.methods)
        }
        if allowed.isEmpty { return .notFound }
        return .methodNotAllowed(allow: allowed.sorted { $0.rawValue < $1.rawValue })
    }

    /// Whether `method` on `path` is a declared route.
    func contains(method: HTTPRequest.Method, path: String) -> Bool {
        if case .found = match(method: method, path: path) { return true }
        return false
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    private static func matches(_ template: [Substring], _ path: [Substring]) -> Bool {
        guard template.count == path.count else { return false }
        for (t, p) in zip(template, path) where !(t.first == "{" && t.last == "}") && t != p {
            return false
        }
        return true
    }
}

/// Registers the generated handlers on the Hummingbird router and records each route in the table.
struct RecordingTransport<Context: RequestContext>: ServerTransport {
    let router: Router<Context>
    let table: RouteTable

    func register(
        _ handler:
            @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (
                HTTPResponse, HTTPBody?
            ),
        method: HTTPRequest.Method,
        path: String
    ) throws {
        table.add(method: method, path: path)
        router.register(handler, method: method, path: path)
    }
}
