import Foundation
import Hummingbird
import HummingbirdTesting
import Kernel
import PostgresNIO
import Testing

@testable import MarketAPI

/// Two apps on one database, each with its own principal cache and listener: as far as the cache
/// can tell, two API processes. The caches keep entries for 30 s here, so anything seen on the other
/// process within a second came through `principals_changed`, not through age.
@Suite("Cached principals follow logouts, grants and deactivations on every process")
struct PrincipalCacheProcessTests {
    struct Instance: Sendable {
        let api: TestAPI
        let cache: PrincipalCache

        /// Asks until the token is answered from this process's cache, so the checks that follow
        /// cannot pass with the cache off. (A notification landing mid-request may refuse one fill.)
        func cached(_ token: String, _ uri: String = "/v1/me") async throws -> Bool {
            for _ in 0..<20 {
                let hits = cache.stats.hits
                _ = try await api.request(.get, uri, token: token)
                if cache.stats.hits > hits { return true }
                try await Task.sleep(for: .milliseconds(20))
            }
            return false
        }
    }

    static func withTwoProcesses(_ body: @Sendable (Instance, Instance) async throws -> Void) async throws {
        let config = testConfig { $0.principalCacheSeconds = 30 }
        try await withTestDatabase { client, url in
            let deps = [0, 1].map { _ in AppDependencies(config: config, db: client, logger: testLogger) }
            let caches = try deps.map { try #require($0.principalCache) }
            let listening = try caches.map { cache in
                let listener = PrincipalChangeListener(
                    configuration: try url.connectionConfiguration(), cache: cache, logger: testLogger)
                return Task { await listener.run() }
            }
            defer { for task in listening { task.cancel() } }
            let appA = Application(router: try buildRouter(deps[0]), logger: testLogger)
            let appB = Application(router: try buildRouter(deps[1]), logger: testLogger)
            try await appA.test(.router) { clientA in
                try await appB.test(.router) { clientB in
                    let listeningNow = { caches.allSatisfy { $0.isEnabled } }
                    for _ in 0..<50 where !listeningNow() { try await Task.sleep(for: .milliseconds(50)) }
                    #expect(listeningNow())
                    try await body(
                        Instance(api: TestAPI(client: clientA, db: client, config: config), cache: caches[0]),
                        Instance(api: TestAPI(client: clientB, db: client, config: config), cache: caches[1]))
                }
            }
        }
    }

    /// Polls for up to one second.
    static func withinASecond(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(1)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }

    @Test func aLogoutOnOneProcessIsRefusedOnTheOther() async throws {
        try await Self.withTwoProcesses { a, b in
            let token = try await a.api.buyerToken()
            #expect(try await a.cached(token))
            #expect(try await b.cached(token))
            #expect(try await a.api.request(.post, "/v1/auth/logout", token: token).status == .noContent)
            // The process that revoked it refuses it at once, without waiting for the notification.
            #expect(try await a.api.request(.get, "/v1/me", token: token).status == .unauthorized)
            #expect(
                try await Self.withinASecond {
                    try await b.api.request(.get, "/v1/me", token: token).status == .unauthorized
                })
        }
    }

    @Test func grantsChangedOnOneProcessHoldOnTheOther() async throws {
        try await Self.withTwoProcesses { a, b in
            let admin = try await a.api.adminToken()
            let token = try await a.api.buyerToken()
            let userID = try #require(try await a.api.request(.get, "/v1/me", token: token).json["id"] as? String)
            #expect(try await b.cached(token, "/v1/users"))
            #expect(try await b.api.request(.get, "/v1/users", token: token).status == .forbidden)

            let granted = try await a.api.request(
                .post, "/v1/users/\(userID)/roles", token: admin, json: ["role": "admin"])
            #expect(granted.status == .created)
            let grantID = try #require(granted.json["id"] as? String)
            #expect(try await a.api.request(.get, "/v1/users", token: token).status == .ok)
            #expect(
                try await Self.withinASecond { try await b.api.request(.get, "/v1/users", token: token).status == .ok })
            #expect(try await b.cached(token, "/v1/users"))

            #expect(
                try await a.api.request(.delete, "/v1/users/\(userID)/roles/\(grantID)", token: admin).status
                    == .noContent)
            #expect(try await a.api.request(.get, "/v1/users", token: token).status == .forbidden)
            #expect(
                try await Self.withinASecond {
                    try await b.api.request(.get, "/v1/users", token: token).status == .forbidden
                })
            let roles = try await b.api.request(.get, "/v1/me", token: token).json["roles"] as? [[String: Any]]
            #expect(roles?.compactMap { $0["role"] as? String } == ["buyer"])
        }
    }

    /// There is no endpoint for it: an operator's UPDATE, which only the trigger can announce.
    @Test func aDeactivatedUserIsSignedOutOnEveryProcess() async throws {
        try await Self.withTwoProcesses { a, b in
            let token = try await a.api.buyerToken(email: "leaving@example.vn")
            #expect(try await a.cached(token))
            #expect(try await b.cached(token))
            try await a.api.db.query("UPDATE users SET is_active = false WHERE email = 'leaving@example.vn'")
            for process in [a, b] {
                #expect(
                    try await Self.withinASecond {
                        try await process.api.request(.get, "/v1/me", token: token).status == .unauthorized
                    })
            }
        }
    }

    /// Grants written by the catalog and logistics stores (a supplier application, a courier added by
    /// a clerk) reach the other process too.
    @Test func grantsWrittenByOtherModulesReachTheOtherProcess() async throws {
        try await Self.withTwoProcesses { a, b in
            let world = try await CatalogWorld.make(a.api)
            let applicant = try await a.api.buyerToken()
            #expect(try await b.cached(applicant))
            _ = try await world.applySupplier(applicant, name: "HTX Mật ong Trà My")
            #expect(try await Self.withinASecond { try await Self.roles(b.api, applicant) == ["buyer", "producer"] })

            let courier = try await a.api.buyerToken()
            let courierID = try #require(try await a.api.request(.get, "/v1/me", token: courier).json["id"] as? String)
            #expect(try await b.cached(courier))
            try await world.expect(
                .post, "/v1/post-offices/\(world.officeA)/couriers", world.clerkA,
                json: ["user_id": courierID, "max_stops": 30, "max_grams": 100_000], status: .created)
            #expect(try await Self.withinASecond { try await Self.roles(b.api, courier) == ["buyer", "courier"] })
        }
    }

    /// A process's own changes show on its very next request, before their notification could
    /// arrive: here the cache is on but nothing listens, so only the writers' own invalidation can
    /// drop an entry. (Never run a cache like this outside a test: other processes' changes would
    /// not reach it.)
    @Test func ownChangesShowOnTheNextRequestWithoutANotification() async throws {
        let config = testConfig { $0.principalCacheSeconds = 30 }
        try await withTestDatabase { client, _ in
            let deps = AppDependencies(config: config, db: client, logger: testLogger)
            let cache = try #require(deps.principalCache)
            cache.setEnabled(true)
            let app = Application(router: try buildRouter(deps), logger: testLogger)
            try await app.test(.router) { testClient in
                let process = Instance(api: TestAPI(client: testClient, db: client, config: config), cache: cache)
                let api = process.api
                let world = try await CatalogWorld.make(api)

                // Logout.
                let leaving = try await api.buyerToken()
                #expect(try await process.cached(leaving))
                #expect(try await api.request(.post, "/v1/auth/logout", token: leaving).status == .noContent)
                #expect(try await api.request(.get, "/v1/me", token: leaving).status == .unauthorized)

                // An admin's grant and revocation.
                let email = "grower-\(UUID().uuidString.prefix(8))@example.vn"
                let user = try await api.buyerToken(email: email)
                let userID = try #require(try await api.request(.get, "/v1/me", token: user).json["id"] as? String)
                #expect(try await process.cached(user))
                let granted = try await world.expect(
                    .post, "/v1/users/\(userID)/roles", world.admin, json: ["role": "finance"], status: .created)
                #expect(try await Self.roles(api, user) == ["buyer", "finance"])
                let grantID = try #require(granted.json["id"] as? String)
                try await world.expect(.delete, "/v1/users/\(userID)/roles/\(grantID)", world.admin, status: .noContent)
                #expect(try await Self.roles(api, user) == ["buyer"])

                // A supplier's members, added and removed by its producer.
                #expect(try await process.cached(user))
                let invited = try await world.expect(
                    .post, "/v1/suppliers/\(world.supplier)/members", world.producer, json: ["email": email],
                    status: .created)
                #expect(try await Self.roles(api, user) == ["buyer"])
                let invitation = try #require(invited.json["id"] as? String)
                try await world.expect(.post, "/v1/invitations/\(invitation)/accept", user, status: .ok)
                #expect(try await Self.roles(api, user) == ["buyer", "producer"])
                try await world.expect(
                    .delete, "/v1/suppliers/\(world.supplier)/members/\(userID)", world.producer, status: .noContent)
                #expect(try await Self.roles(api, user) == ["buyer"])

                // A supplier application, and a courier added by a clerk.
                #expect(try await process.cached(user))
                _ = try await world.applySupplier(user, name: "HTX Mật ong Trà My")
                #expect(try await Self.roles(api, user) == ["buyer", "producer"])
                #expect(try await process.cached(user))
                try await world.expect(
                    .post, "/v1/post-offices/\(world.officeA)/couriers", world.clerkA,
                    json: ["user_id": userID, "max_stops": 30, "max_grams": 100_000], status: .created)
                #expect(try await Self.roles(api, user) == ["buyer", "producer", "courier"])
            }
        }
    }

    static func roles(_ api: TestAPI, _ token: String) async throws -> Set<String> {
        let roles = try await api.request(.get, "/v1/me", token: token).json["roles"] as? [[String: Any]] ?? []
        return Set(roles.compactMap { $0["role"] as? String })
    }
}
