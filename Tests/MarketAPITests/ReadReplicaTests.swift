import Foundation
import Hummingbird
import HummingbirdTesting
import Kernel
import PostgresNIO
import Testing

@testable import MarketAPI

@Suite("DATABASE_READ_URL: browsing reads the replica, everything else the primary")
struct ReadReplicaTests {
    /// Two databases stand in for a primary and a replica that differ: what each endpoint shows
    /// tells which one it read.
    @Test func searchAndReferenceDataReadTheReplicaOrdersAndAccountsThePrimary() async throws {
        try await withTestDatabase { primary, _ in
            try await withTestDatabase { replica, _ in
                try await replica.query(
                    """
                    INSERT INTO categories (code, parent_code, name, name_en, position)
                    VALUES ('replica-only', 'food', 'Chỉ có ở bản sao', 'Replica only', 99)
                    """)
                let deps = AppDependencies(config: testConfig(), db: primary, readDB: replica, logger: testLogger)
                let app = Application(router: try buildRouter(deps), logger: testLogger)
                try await app.test(.router) { client in
                    let api = TestAPI(client: client, db: primary, config: testConfig())
                    let categories = try await api.request(.get, "/v1/categories")
                    #expect(categories.text.contains("replica-only"))
                    // Accounts (and so orders) live on the primary: a buyer registered through the API
                    // exists there and not on the replica.
                    let token = try await api.buyerToken(email: "replica-test@example.vn")
                    #expect(try await api.request(.get, "/v1/me", token: token).status == .ok)
                    var onReplica = 0
                    for try await n in try await replica.query(
                        "SELECT count(*)::int FROM users WHERE email = 'replica-test@example.vn'"
                    ).decode(Int.self) { onReplica = n }
                    #expect(onReplica == 0)
                    let search = try await api.request(.get, "/v1/products?q=x")
                    #expect(search.status == .ok)
                }
            }
        }
    }

    /// A replica that does not answer (nothing listens on its port) must not hold reads up: they
    /// fall back to the primary within the timeout, and the replica is skipped for a while. (The time
    /// limit only guards against a hang: it counts from when the test starts, and in a full parallel run a
    /// test may wait a minute for its databases; the timings that matter are asserted inside.)
    @Test(.timeLimit(.minutes(3))) func readsFallBackToThePrimaryWhenTheReplicaIsDown() async throws {
        try await withTestDatabase { primary, _ in
            let dead = PostgresClient(
                configuration: .init(
                    host: "127.0.0.1", port: 9, username: "nobody", password: nil, database: "none", tls: .disable),
                backgroundLogger: testLogger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await dead.run() }
                let deps = AppDependencies(config: testConfig(), db: primary, readDB: dead, logger: testLogger)
                let app = Application(router: try buildRouter(deps), logger: testLogger)
                try await app.test(.router) { client in
                    let api = TestAPI(client: client, db: primary, config: testConfig())
                    let start = ContinuousClock.now
                    let first = try await api.request(.get, "/v1/categories")
                    #expect(first.status == .ok)
                    // The replica's 5 s connect timeout, then the primary's answer. Under the whole suite's
                    // parallel load this took 6.5 s, 11 s and 20.1 s, so the bound only tells an answer after
                    // the timeout from a read held up for good (which the test's time limit would otherwise
                    // end): 60 s.
                    #expect(start.duration(to: .now) < .seconds(60))
                    // Skipped now: the replica is marked down, so the next read goes straight to the
                    // primary (`Database.query` asks the state before trying the replica) instead of
                    // waiting out the 2 s timeout again. The time bound only guards against a read
                    // held up for good: a search alone under the whole suite's parallel load once took
                    // 1.09 s, and 3.26 s on a fresh-clone CI run, so no fixed bound can tell 2 s apart.
                    // Without a probe the replica is skipped for 10 s from the failed try, which came after
                    // `start`: within 10 s of `start` it must still be skipped. (A loaded run once took longer
                    // for the primary's answer alone, after which trying the replica again is right.)
                    if start.duration(to: .now) < .seconds(10) {
                        #expect(!deps.replicaState.isAvailable)
                    }
                    let again = ContinuousClock.now
                    #expect(try await api.request(.get, "/v1/products?q=mat").status == .ok)
                    // Alone it takes 16 ms; fresh-clone CI runs under the whole suite took 9.7 s and 25.6 s
                    // (the search reads its intent phrases and place names, then words, then typos): the
                    // bound only tells a slow answer from one held up for good.
                    #expect(again.duration(to: .now) < .seconds(60))
                }
                group.cancelAll()
            }
        }
    }

    /// Issue 16: with the replica stopped, every few seconds a live search paid the full fallback
    /// timeout. The probe marks it down in the background; reads go to the primary at once, and back
    /// to the replica when a probe finds it well.
    @Test(.timeLimit(.minutes(3))) func theProbeSendsReadsToThePrimaryAtOnceAndBack() async throws {
        #expect(ReplicaProbe.isWell(lag: 0, maxLag: 10))
        #expect(ReplicaProbe.isWell(lag: 9.5, maxLag: 10))
        #expect(!ReplicaProbe.isWell(lag: 10.5, maxLag: 10))
        #expect(!ReplicaProbe.isWell(lag: nil, maxLag: 10))
        try await withTestDatabase { primary, _ in
            try await withTestDatabase { replica, _ in
                try await replica.query(
                    """
                    INSERT INTO categories (code, parent_code, name, name_en, position)
                    VALUES ('probe-replica', 'food', 'Chỉ có ở bản sao', 'Replica only', 99)
                    """)
                let dead = PostgresClient(
                    configuration: .init(
                        host: "127.0.0.1", port: 9, username: "nobody", password: nil, database: "none",
                        tls: .disable),
                    backgroundLogger: testLogger)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await dead.run() }
                    let deps = AppDependencies(config: testConfig(), db: primary, readDB: dead, logger: testLogger)
                    let probe = ReplicaProbe(
                        replica: dead, state: deps.replicaState, maxLagSeconds: 10, logger: testLogger)
                    #expect(await probe.probeOnce() == false)
                    let app = Application(router: try buildRouter(deps), logger: testLogger)
                    try await app.test(.router) { client in
                        let api = TestAPI(client: client, db: primary, config: testConfig())
                        // Not one read waits for the dead replica (the fallback alone takes 2 s or more; a
                        // loaded full run once took 1.54 s for a read that did not wait).
                        for _ in 0..<3 {
                            let start = ContinuousClock.now
                            let reply = try await api.request(.get, "/v1/categories")
                            #expect(reply.status == .ok)
                            #expect(start.duration(to: .now) < .seconds(1.9))
                        }
                    }
                    // The same state, a live replica: well again, and reads go there.
                    let live = ReplicaProbe(
                        replica: replica, state: deps.replicaState, maxLagSeconds: 10, logger: testLogger)
                    #expect(await live.probeOnce() == true)
                    let liveDeps = AppDependencies(
                        config: testConfig(), db: primary, readDB: replica, logger: testLogger)
                    liveDeps.replicaState.probed(available: true)
                    let liveApp = Application(router: try buildRouter(liveDeps), logger: testLogger)
                    try await liveApp.test(.router) { client in
                        let api = TestAPI(client: client, db: primary, config: testConfig())
                        let categories = try await api.request(.get, "/v1/categories")
                        #expect(categories.text.contains("probe-replica"))
                        // A probe that finds it behind turns it off: the primary answers.
                        liveDeps.replicaState.probed(available: false)
                        let primaryAnswer = try await api.request(.get, "/v1/categories")
                        #expect(!primaryAnswer.text.contains("probe-replica"))
                    }
                    group.cancelAll()
                }
            }
        }
    }
}
