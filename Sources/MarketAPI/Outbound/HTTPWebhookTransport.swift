import AsyncHTTPClient
import Foundation
import Logistics
import NIOCore
import NIOHTTP1

/// Webhook requests through async-http-client: one shared client (its connection pool keeps
/// connections to each receiver alive), redirects not followed (a receiver must answer where it was
/// registered), a deadline per request so a hanging receiver holds a lane for `timeout` at most, no
/// retries of its own.
struct HTTPWebhookTransport: WebhookTransport {
    let client: HTTPClient

    static func makeClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(10))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 16)
        // A receiver that refuses connections fails the attempt at once; the relay's own schedule
        // retries it (the pool's retries would hold a lane for the whole timeout on every request).
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func post(url: String, headers: [(String, String)], body: String, timeout: Duration) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(
            request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
        // The body is read (up to 64 KiB) and dropped, so the connection can serve the next request.
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return Int(response.status.code)
    }
}
