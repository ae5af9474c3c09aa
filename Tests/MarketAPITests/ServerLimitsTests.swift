import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOPosix
import Testing

@testable import MarketAPI

/// Issue 16: 200 half-sent requests were all held for 120 s. A connection that sends nothing for the
/// idle timeout, mid-request or between requests, is closed.
@Suite("Server limits: stalled and idle connections are closed")
struct ServerLimitsTests {
    @Test func aHalfSentRequestHeadIsDisconnected() async throws {
        let config = testConfig {
            $0.httpIdleTimeoutSeconds = 1
            $0.port = 0
        }
        try await withTestDatabase { client, _ in
            let deps = AppDependencies(config: config, db: client, logger: testLogger)
            let app = try buildApplication(deps)
            try await app.test(.live) { testClient in
                let port = try #require(testClient.port)
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(host: "127.0.0.1", port: port).get()
                try await channel.writeAndFlush(ByteBuffer(string: "POST /v1/auth/login HTTP/1.1\r\nHost: a\r\nConte"))
                    .get()
                let start = ContinuousClock.now
                let closed = try await withThrowingTaskGroup(of: Bool.self) { group in
                    group.addTask {
                        try await channel.closeFuture.get()
                        return true
                    }
                    group.addTask {
                        try await Task.sleep(for: .seconds(10))
                        return false
                    }
                    defer { group.cancelAll() }
                    return try await group.next() ?? false
                }
                if !closed { try await channel.close() }
                #expect(closed, "the stalled connection was still open after 10 s")
                #expect(start.duration(to: .now) < .seconds(8))
                // (The test client's own keep-alive connection, idle meanwhile, was closed the same way.)
            }
        }
    }
}
