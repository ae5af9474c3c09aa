import Foundation
import Kernel
import PostgresNIO
import Testing

@testable import MarketAPI

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Two real `market serve` processes on one database: the promise that stock is never oversold
/// "whatever the number of API processes" is tested across processes, not only across tasks.
@Suite("Orders across two server processes")
struct MultiProcessOrderTests {
    /// The `market` executable built beside the test bundle.
    static var binary: URL? {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("market")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    @Test(.timeLimit(.minutes(3)))
    func twoProcessesNeverOversell() async throws {
        let binary = try #require(Self.binary, "the market executable is built with the tests")
        try await withTestDatabase { client, url in
            // Set up the shop and the buyers through the in-process router on the same database.
            try await withTestApp(on: client) { api in
                let (_, fish, _, _) = try await OrderTests.shop(api, fishStock: 10)
                var buyers: [String] = []
                for _ in 0..<4 { buyers.append(try await api.buyerToken()) }
                let ports = (0..<2).map { _ in 22_000 + Int.random(in: 0..<8000) }
                let servers = try ports.map { port in try Self.start(binary, url: url, port: port) }
                defer { for server in servers { server.terminate() } }
                for port in ports { try await Self.waitUntilReady(port) }

                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for attempt in 0..<200 {
                        let port = ports[attempt % 2]
                        let buyer = buyers[attempt % buyers.count]
                        group.addTask { try await Self.placeOrder(port: port, token: buyer, variant: fish) }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == 201 }.count == 10)
                #expect(statuses.filter { $0 == 409 }.count == 190)
                #expect(try await OrderTests.stock(api, fish) == 0)
                #expect(
                    try await OrderTests.count(api, "SELECT COALESCE(sum(quantity), 0)::int FROM order_lines") == 10)
            }
        }
    }

    /// `market serve` on the test database, quiet, with `extra` added to its environment.
    static func start(_ binary: URL, url: DatabaseURL, port: Int, extra: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve"]
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = url.text
        environment["PORT"] = String(port)
        environment["LOG_LEVEL"] = "error"
        environment["BCRYPT_COST"] = "4"
        environment.merge(extra) { _, new in new }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func waitUntilReady(_ port: Int) async throws {
        for _ in 0..<200 {
            if let (_, response) = try? await URLSession.shared.data(
                from: URL(string: "http://127.0.0.1:\(port)/readyz")!),
                (response as? HTTPURLResponse)?.statusCode == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("server on port \(port) did not become ready")
    }

    static func placeOrder(port: Int, token: String, variant: String) async throws -> Int {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/orders")!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(UUID().uuidString, forHTTPHeaderField: "Idempotency-Key")
        request.httpBody = Data(
            """
            {"lines":[{"variant_id":"\(variant)","quantity":1}],"payment_method":"cod",
             "shipping_address":{"recipient_name":"Lê Văn Tám","phone":"0905123456","province_code":"48",
             "commune_code":"\(CatalogWorld.communeA)","address_line":"1 Bạch Đằng"}}
            """.utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}
