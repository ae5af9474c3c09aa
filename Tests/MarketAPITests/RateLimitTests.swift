import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Testing

@testable import MarketAPI

/// Issue 16: five anonymous guesses locked finance out for 15 minutes, from anywhere, as fast as the
/// attacker liked. Anonymous writes are now limited per client address first.
@Suite("Per-client limit on anonymous writes, keyed on the address trusted proxies forward")
struct RateLimitTests {
    @Test func aBucketAllowsABurstThenTheRate() {
        let rule = TokenBucket.Rule(burst: 3, perMinute: 60)
        var bucket = TokenBucket.full(rule, at: 1_000)
        #expect(bucket.take(rule, at: 1_000) == nil)
        #expect(bucket.take(rule, at: 1_000) == nil)
        #expect(bucket.take(rule, at: 1_000) == nil)
        #expect(bucket.take(rule, at: 1_000) == 1)
        #expect(bucket.take(rule, at: 1_001) == nil)
        #expect(bucket.take(rule, at: 1_001) == 1)
        #expect(!bucket.isFull(rule, at: 1_002))
        #expect(bucket.isFull(rule, at: 1_004))
        let slow = TokenBucket.Rule(burst: 1, perMinute: 2)
        var once = TokenBucket.full(slow, at: 0)
        #expect(once.take(slow, at: 0) == nil)
        #expect(once.take(slow, at: 0) == 30)
    }

    @Test func theLimiterForgetsFullBucketsFirstAndStaysBounded() {
        let limiter = ClientRateLimiter(rule: .init(burst: 2, perMinute: 60), capacity: 100)
        for i in 0..<1_000 { _ = limiter.admitHere("198.51.100.\(i % 250)-\(i)", now: Double(i) / 100) }
        #expect(limiter.count <= 100)
        #expect(limiter.admitHere("203.0.113.1", now: 20) == nil)
        #expect(limiter.admitHere("203.0.113.1", now: 20) == nil)
        #expect(limiter.admitHere("203.0.113.1", now: 20) != nil)
        #expect(limiter.admitHere("203.0.113.2", now: 20) == nil)
    }

    @Test func onlyTrustedProxiesNameTheClient() throws {
        let proxies = try #require(TrustedProxies(parsing: "127.0.0.1, 10.0.0.0/8, fd00::/8"))
        #expect(proxies.contains("10.1.2.3"))
        #expect(!proxies.contains("11.1.2.3"))
        #expect(proxies.contains("fd12::1"))
        #expect(!proxies.contains("fe80::1"))
        #expect(TrustedProxies(parsing: "10.0.0.0/33") == nil)
        #expect(TrustedProxies(parsing: "localhost") == nil)
        // An untrusted peer is the client, whatever it forwards.
        #expect(proxies.client(peer: "203.0.113.9", forwardedFor: ["1.1.1.1"]) == "203.0.113.9")
        // Through nginx and the ingress: the right-most address that is not a proxy.
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: ["198.51.100.7, 10.0.0.5"]) == "198.51.100.7")
        // What the client wrote further left never counts.
        #expect(
            proxies.client(peer: "127.0.0.1", forwardedFor: ["1.2.3.4", "198.51.100.7"]) == "198.51.100.7")
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: []) == "127.0.0.1")
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: ["not-an-address"]) == "127.0.0.1")
        #expect(TrustedProxies.none.client(peer: "127.0.0.1", forwardedFor: ["198.51.100.7"]) == "127.0.0.1")
    }

    /// Over a real socket: the peer is 127.0.0.1, a trusted proxy forwarding for two clients.
    @Test func anonymousWritesAreLimitedPerClientBeforeTheAccountLock() async throws {
        let config = testConfig {
            $0.anonymousWriteBurst = 3
            $0.anonymousWritesPerMinute = 1
            $0.loginMaxFailures = 5
            $0.trustedProxies = TrustedProxies(parsing: "127.0.0.1, ::1") ?? .none
        }
        try await withTestDatabase { client, _ in
            let deps = AppDependencies(config: config, db: client, logger: testLogger)
            let app = Application(router: try buildRouter(deps), logger: testLogger)
            try await app.test(.live) { testClient in
                let api = TestAPI(client: testClient, db: client, config: config)
                let xff = HTTPField.Name("X-Forwarded-For")!
                func login(from address: String) async throws -> TestAPI.Reply {
                    try await api.request(
                        .post, "/v1/auth/login", json: ["email": "finance@example.vn", "password": "guess-guess"],
                        headers: [xff: address])
                }
                for _ in 0..<3 { #expect(try await login(from: "198.51.100.7").status == .unauthorized) }
                let slowed = try await login(from: "198.51.100.7")
                #expect(slowed.status == .tooManyRequests)
                #expect(slowed.contentType == "application/problem+json")
                #expect(Int(slowed.headers[.retryAfter] ?? "") ?? 0 >= 1)
                // Another client is not slowed by the first, whatever it claims to be (the proxy appends
                // the address it really came from).
                #expect(try await login(from: "198.51.100.8").status == .unauthorized)
                #expect(try await login(from: "198.51.100.7, 198.51.100.8").status == .unauthorized)
                // Registration is an anonymous write too; reads and signed-in calls are not limited.
                let register = try await api.request(
                    .post, "/v1/auth/register",
                    json: ["email": "x@example.vn", "password": "long-enough-1", "display_name": "X"],
                    headers: [xff: "198.51.100.7"])
                #expect(register.status == .tooManyRequests)
                #expect(try await api.request(.get, "/v1/provinces", headers: [xff: "198.51.100.7"]).status == .ok)
                // Only admitted guesses reached a password check: three from the first client, two from the second.
                let failures = try await api.db.query(
                    "SELECT count(*) FROM audit_log WHERE action = 'login.failed'"
                ).decode(Int.self).reduce(0, +)
                #expect(failures == 5)
            }
        }
    }

    /// Issue 16: the limit was kept per process, so N API processes allowed N times the burst. Two
    /// processes (two routers with their own memory) on one database now count against one bucket.
    @Test func twoProcessesShareOneBucketPerClient() async throws {
        let config = testConfig {
            $0.anonymousWriteBurst = 4
            $0.anonymousWritesPerMinute = 1
            $0.loginMaxFailures = 10
            $0.trustedProxies = TrustedProxies(parsing: "127.0.0.1, ::1") ?? .none
        }
        try await withTestDatabase { client, _ in
            let deps = AppDependencies(config: config, db: client, logger: testLogger)
            let first = Application(router: try buildRouter(deps), logger: testLogger)
            let second = Application(router: try buildRouter(deps), logger: testLogger)
            try await first.test(.live) { one in
                try await second.test(.live) { two in
                    let xff = HTTPField.Name("X-Forwarded-For")!
                    func login(_ via: TestAPI) async throws -> HTTPResponse.Status {
                        try await via.request(
                            .post, "/v1/auth/login",
                            json: [
                                "email": "nobody-\(UUID().uuidString.prefix(8))@example.vn", "password": "guess-guess",
                            ],
                            headers: [xff: "198.51.100.20"]
                        ).status
                    }
                    let a = TestAPI(client: one, db: client, config: config)
                    let b = TestAPI(client: two, db: client, config: config)
                    #expect(try await login(a) == .unauthorized)
                    #expect(try await login(b) == .unauthorized)
                    #expect(try await login(a) == .unauthorized)
                    #expect(try await login(b) == .unauthorized)
                    // Each process has let only two through; together they spent the burst of four.
                    #expect(try await login(a) == .tooManyRequests)
                    #expect(try await login(b) == .tooManyRequests)
                    // A full bucket is forgotten: the table holds only clients still being slowed.
                    let limit = SharedRateLimit(db: Database(client), logger: testLogger, burst: 4, perMinute: 1)
                    try await client.query(
                        "UPDATE client_rate_limits SET full_at = now() - interval '1 second'", logger: testLogger)
                    #expect(try await limit.prune() == 1)
                    #expect(try await login(b) == .unauthorized)
                }
            }
        }
    }
}
