import Foundation
import Hummingbird
import HummingbirdTesting
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
}
