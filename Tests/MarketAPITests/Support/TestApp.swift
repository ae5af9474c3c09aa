import Catalog
import DatabaseTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Kernel
import Logging
import NIOCore
import PostgresNIO

@testable import MarketAPI

/// Settings for tests: cheap bcrypt, everything else as in production.
func testConfig(_ adjust: (inout AppConfig) -> Void = { _ in }) -> AppConfig {
    var config = AppConfig()
    config.bcryptCost = 4
    config.loginMaxFailures = 3
    config.loginLockSeconds = 60
    config.paymentSecret = "test-payment-secret"
    // Every test signs up its own users from one address; the limit has its own tests.
    config.anonymousWriteBurst = 100_000
    // Tests run many apps on one loaded machine; the acquisition deadline has its own test.
    config.dbAcquireTimeoutMS = 60_000
    // Photos in each test's own database, never in a folder of the checkout.
    config.photoStore = .database
    // Tests change reference rows (a category only on a replica) and read them back at once.
    config.referenceCacheSeconds = 0
    adjust(&config)
    return config
}

let testLogger: Logger = {
    var logger = Logger(label: "test")
    logger.logLevel = ProcessInfo.processInfo.environment["TEST_LOG"] == "1" ? .error : .critical
    return logger
}()

/// A client to a fresh migrated database, running for the duration of `body`.
func withTestDatabase<T: Sendable>(_ body: @Sendable (PostgresClient, DatabaseURL) async throws -> T) async throws -> T
{
    // Metrics handlers are fixed when a metric is first created, so the registry must exist first.
    _ = MetricsSetup.registry
    return try await withFreshDatabase(logger: testLogger, body)
}

/// The real router and middleware over a fresh database, driven by HummingbirdTesting.
func withTestApp<T: Sendable>(
    config: AppConfig = testConfig(),
    _ body: @Sendable (TestAPI) async throws -> T
) async throws -> T {
    try await withTestDatabase { client, _ in
        let deps = AppDependencies(config: config, db: client, logger: testLogger)
        let app = Application(router: try buildRouter(deps), logger: testLogger)
        return try await app.test(.router) { testClient in
            try await body(TestAPI(client: testClient, db: client, config: config))
        }
    }
}

/// The real router over a database the caller already holds a client for.
func withTestApp<T: Sendable>(
    on client: PostgresClient, config: AppConfig = testConfig(), _ body: @Sendable (TestAPI) async throws -> T
) async throws -> T {
    let deps = AppDependencies(config: config, db: client, logger: testLogger)
    let app = Application(router: try buildRouter(deps), logger: testLogger)
    return try await app.test(.router) { testClient in
        try await body(TestAPI(client: testClient, db: client, config: config))
    }
}

/// Small helpers over the test client: JSON in and out, tokens, demo users.
struct TestAPI: Sendable {
    let client: any TestClientProtocol
    let db: PostgresClient
    let config: AppConfig

    struct Reply: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: ByteBuffer

        var text: String { String(buffer: body) }
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
        }
        var contentType: String? { headers[.contentType] }
        /// The `field` of each entry of a validation problem's `errors`.
        var errorFields: [String] {
            (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
        }
    }

    @discardableResult
    func request(
        _ method: HTTPRequest.Method,
        _ uri: String,
        token: String? = nil,
        json: Any? = nil,
        raw: String? = nil,
        bytes: ByteBuffer? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
            headers[.contentType] = "application/json"
        } else if let raw {
            body = ByteBuffer(string: raw)
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
        } else if let bytes {
            body = bytes
        }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        return Reply(status: response.status, headers: response.headers, body: response.body)
    }

    /// Registers a buyer (the details, then the emailed code) and returns its token.
    func buyerToken(email: String = "buyer-\(UUID().uuidString.prefix(8))@example.vn") async throws -> String {
        _ = try await register(email: email, password: "correct-horse-battery", phone: "0905123456")
        return try await login(email, "correct-horse-battery")
    }

    /// Signs up through both steps, as a buyer holding the mailbox would; the created user's JSON.
    @discardableResult
    func register(
        email: String, password: String, displayName: String = "Nguyễn Văn A", phone: String = "0905123456"
    ) async throws -> [String: Any] {
        let body: [String: Any] = ["email": email, "password": password, "display_name": displayName, "phone": phone]
        let asked = try await request(.post, "/v1/auth/register", json: body)
        guard asked.status == .accepted else { throw TestFailure("register failed: \(asked.status) \(asked.text)") }
        guard let code = try await queuedCode(to: email.lowercased(), template: "registration_code") else {
            throw TestFailure("no registration code was queued for \(email)")
        }
        let confirmed = try await request(
            .post, "/v1/auth/register/confirm", json: ["email": email, "code": code])
        guard confirmed.status == .created else {
            throw TestFailure("confirm failed: \(confirmed.status) \(confirmed.text)")
        }
        return confirmed.json
    }

    /// The code of the newest `template` message queued for `recipient` (what an SMS or email would carry).
    func queuedCode(to recipient: String, template: String) async throws -> String? {
        let rows = try await db.query(
            """
            SELECT params->>'code' FROM outbound_messages
            WHERE recipient = \(recipient) AND template = \(template) ORDER BY created_at DESC LIMIT 1
            """, logger: testLogger)
        for try await code in rows.decode(String?.self) { return code }
        return nil
    }

    func login(_ email: String, _ password: String) async throws -> String {
        let reply = try await request(.post, "/v1/auth/login", json: ["email": email, "password": password])
        guard reply.status == .ok, let token = reply.json["token"] as? String else {
            throw TestFailure("login failed: \(reply.status) \(reply.text)")
        }
        return token
    }

    /// Creates an admin directly (as the bootstrap does) and returns its token.
    func adminToken() async throws -> String {
        let email = "admin-\(UUID().uuidString.prefix(8))@example.vn"
        let accounts = AccountStore(config: testConfig(), db: Database(db), logger: testLogger)
        try await accounts.ensureAdmin(email: email, password: "admin-password-1")
        return try await login(email, "admin-password-1")
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
