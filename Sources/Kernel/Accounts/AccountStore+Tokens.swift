import Foundation
import Logging
import PostgresNIO

/// Bearer tokens: what a live token resolves to, and revoking one.
extension AccountStore {
    /// The principal behind a live token, or nil for an unknown, expired or revoked one. Every
    /// signed-in request asks this: from the process's cache when it holds the token, else with a
    /// statement prepared once per connection.
    public func principal(forToken token: BearerToken, now: Date = Date()) async throws -> Principal? {
        let digest = token.digest
        var ticket: PrincipalCache.Ticket?
        if let cache = principalCache {
            let (cached, fresh) = cache.lookup(digest, now: now)
            if let cached { return cached }
            ticket = fresh
        }
        let rows = try await db.withConnection { connection in
            try await connection.rows(TokenPrincipal(digest: digest, now: now), logger: logger)
        }
        var userID: UUID?
        var expiresAt: Date?
        var grants: [RoleGrant] = []
        for (uid, expires, gid, role, supplierID, postOfficeID, grantedAt) in rows {
            userID = uid
            expiresAt = expires
            if let gid, let role = role.flatMap(Role.init(rawValue:)), let grantedAt {
                grants.append(
                    RoleGrant(
                        id: gid, role: role, supplierID: supplierID, postOfficeID: postOfficeID, grantedAt: grantedAt))
            }
        }
        guard let userID, let expiresAt else { return nil }
        let principal = Principal(userID: userID, grants: grants)
        if let ticket { principalCache?.store(digest, principal: principal, expiresAt: expiresAt, ticket: ticket) }
        return principal
    }

    public struct TokenPrincipal: PostgresPreparedStatement {
        public static let sql = """
            SELECT u.id, t.expires_at, g.id, g.role, g.supplier_id, g.post_office_id, g.granted_at
            FROM auth_tokens t
            JOIN users u ON u.id = t.user_id AND u.is_active
            LEFT JOIN role_grants g ON g.user_id = u.id
            WHERE t.token_hash = $1::text AND t.revoked_at IS NULL AND t.expires_at > $2::timestamptz
            ORDER BY g.granted_at, g.id
            """
        public typealias Row = (UUID, Date, UUID?, String?, UUID?, UUID?, Date?)
        var digest: String
        var now: Date

        public func makeBindings() throws -> PostgresBindings {
            var binds = PostgresBindings()
            binds.append(digest)
            binds.append(now)
            return binds
        }

        public func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    public func revoke(tokenDigest: String, now: Date = Date()) async throws {
        try await db.query(
            "UPDATE auth_tokens SET revoked_at = \(now) WHERE token_hash = \(tokenDigest) AND revoked_at IS NULL",
            logger: logger
        )
        // Other processes hear of it from the trigger of migration 0017.
        principalCache?.invalidate(digest: tokenDigest)
    }
}
