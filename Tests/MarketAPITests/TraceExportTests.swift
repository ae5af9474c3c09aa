import Foundation
import Kernel
import Testing

@testable import MarketAPI

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Issue 15: OpenTelemetry spans for each request and each SQL statement, exported over OTLP when an
/// endpoint is set. A real `market serve` process sends them to a local receiver, as it would to a
/// collector; the tracer is process-wide, so it is not bootstrapped inside the test process.
@Suite("Traces exported over OTLP/HTTP")
struct TraceExportTests {
    @Test func aRequestAndItsStatementsReachTheCollectorUnderTheCallersTrace() async throws {
        let binary = try #require(MultiProcessOrderTests.binary, "the market executable is built with the tests")
        try await WebhookReceiver.with { collector in
            try await withTestDatabase { _, url in
                let port = 22_000 + Int.random(in: 0..<8000)
                let process = try MultiProcessOrderTests.start(
                    binary, url: url, port: port,
                    extra: ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": collector.url, "OTEL_BSP_SCHEDULE_DELAY": "100"])
                defer { process.terminate() }
                try await MultiProcessOrderTests.waitUntilReady(port)

                // The caller's trace id (W3C traceparent), chosen so its 16 bytes are printable in
                // the protobuf body: the spans must carry it.
                let traceID = "41424344454647484950515253545556"
                var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/auth/login")!)
                request.httpMethod = "POST"
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.setValue("00-\(traceID)-0102030405060708-01", forHTTPHeaderField: "traceparent")
                request.httpBody = Data(#"{"email":"nobody@example.vn","password":"not-a-password"}"#.utf8)
                let (_, response) = try await URLSession.shared.data(for: request)
                #expect((response as? HTTPURLResponse)?.statusCode == 401)

                var exported = ""
                for _ in 0..<100 where !(exported.contains("/v1/auth/login") && exported.contains("users")) {
                    try await Task.sleep(for: .milliseconds(100))
                    exported = collector.received.map(\.body).joined()
                }
                let first = try #require(collector.received.first)
                #expect(first.headers["content-type"] == "application/x-protobuf")
                // The request's span, named by its route, and the statements under it with their text.
                #expect(exported.contains("/v1/auth/login"))
                #expect(exported.contains("ABCDEFGHIPQRSTUV"))
                #expect(exported.contains("SELECT id, password_hash, is_active FROM users"))
                #expect(exported.contains("postgresql"))
                #expect(exported.contains("market"))
            }
        }
    }
}
