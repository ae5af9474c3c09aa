import Foundation
import Hummingbird
import HummingbirdTesting
import Kernel
import Logging
import PostgresNIO
import Testing

@testable import MarketAPI

@Suite("Readiness follows the database")
struct ReadinessTests {
    /// A cluster of its own, since this test stops and restarts PostgreSQL under a running server.
    @Test(.timeLimit(.minutes(3)))
    func readinessIs503DuringAnOutageAndRecoversWithoutRestart() async throws {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "market-readiness-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        // Below Linux's ephemeral range (32768–60999), so no client socket can hold it in between.
        let port = 21_000 + Int.random(in: 0..<4000)
        let cluster = EmbeddedPostgres(root: root, port: port, logger: testLogger)
        try cluster.start()
        defer {
            cluster.stop(mode: "immediate")
            try? FileManager.default.removeItem(at: root)
        }
        let url = cluster.url(database: "postgres")
        try await DatabaseSetup.withClient(url, maxConnections: 4, logger: testLogger) { client in
            let deps = AppDependencies(config: testConfig(), db: client, logger: testLogger)
            let app = Application(router: try buildRouter(deps), logger: testLogger)
            try await app.test(.router) { http in
                let up = try await http.execute(uri: "/readyz", method: .get)
                #expect(up.status == .ok)

                cluster.stop(mode: "immediate")
                let started = ContinuousClock.now
                let down = try await http.execute(uri: "/readyz", method: .get)
                #expect(down.status == .serviceUnavailable)
                #expect(started.duration(to: .now) < .seconds(5))
                #expect(try await http.execute(uri: "/healthz", method: .get).status == .ok)

                try cluster.start()
                var recovered = false
                for _ in 0..<30 where !recovered {
                    recovered = try await http.execute(uri: "/readyz", method: .get).status == .ok
                    if !recovered { try await Task.sleep(for: .milliseconds(500)) }
                }
                #expect(recovered)
            }
        }
    }

    /// A first start answers 503 until its start-up tasks (the demo catalog) are done: a newcomer's
    /// first search must not meet an empty shop while the server says it is ready.
    @Test func notReadyUntilTheStartUpTasksFinish() async throws {
        try await withTestDatabase { client, _ in
            let startup = StartupState(done: false)
            var deps = AppDependencies(config: testConfig(), db: client, logger: testLogger)
            deps.startup = startup
            let app = Application(router: try buildRouter(deps), logger: testLogger)
            try await app.test(.router) { http in
                // Never ready before the start-up is done, even once the database answers the probe
                // (which a loaded machine may take more than its 2 s to do the first time).
                var gated = false
                for _ in 0..<10 where !gated {
                    let starting = try await http.execute(uri: "/readyz", method: .get)
                    #expect(starting.status == .serviceUnavailable)
                    gated = String(buffer: starting.body).contains("\"database\":\"ok\"")
                }
                #expect(gated)
                startup.markDone()
                // Ready once the probe answers too (a loaded machine may take more than its 2 s once).
                var ready = false
                for _ in 0..<10 where !ready {
                    ready = try await http.execute(uri: "/readyz", method: .get).status == .ok
                    if !ready { try await Task.sleep(for: .milliseconds(500)) }
                }
                #expect(ready)
            }
        }
    }
}
