import Foundation
import Logging
import PostgresNIO

/// Reading users and their grants (admin user management, `/v1/me`).
extension AccountStore {
    /// `knownGrants` spares a query when the caller already holds them (the signed-in principal's).
    public func user(id: UUID, knownGrants: [RoleGrant]? = nil) async throws -> UserRecord {
        let rows = try await db.query(
            "SELECT id, email, display_name, phone, is_active, created_at FROM users WHERE id = \(id)",
            logger: logger
        )
        guard
            let (id, email, name, phone, active, createdAt) = try rows.decode(
                (UUID, String, String, String?, Bool, Date).self
            ).first
        else {
            throw DomainError.notFound("No user with this id.")
        }
        let grants: [RoleGrant]
        if let knownGrants {
            grants = knownGrants
        } else {
            grants = try await self.grants(of: [id])[id] ?? []
        }
        return UserRecord(
            id: id, email: email, displayName: name, phone: phone, isActive: active, createdAt: createdAt,
            grants: grants)
    }

    /// Users newest first, optionally only those holding `role`.
    /// Newest first; `emailPrefix` (lower case) narrows to addresses that start with it.
    public func users(limit: Int, after cursor: PageCursor?, role: Role?, emailPrefix: String? = nil) async throws -> (
        users: [UserRecord], next: PageCursor?
    ) {
        // The key is PostgreSQL's own text form of created_at, so no precision is lost between pages.
        let afterTime: String? = cursor?.key
        let afterID: UUID? = try cursor.map { cursor throws(DomainError) in
            guard let id = UUID(uuidString: cursor.id), Self.isTimestamp(cursor.key) else {
                throw .invalid("cursor", "is not a cursor this service issued")
            }
            return id
        }
        // LIKE's own characters in the typed prefix match themselves.
        let pattern = emailPrefix.map {
            $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
        }
        let rows = try await db.query(
            """
            SELECT u.id, u.email, u.display_name, u.phone, u.is_active, u.created_at,
                   u.created_at::text
            FROM users u
            WHERE (\(afterTime)::text IS NULL OR (u.created_at, u.id) < (\(afterTime)::timestamptz, \(afterID)))
              AND (\(role?.rawValue)::text IS NULL
                   OR EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.role = \(role?.rawValue)))
              AND (\(pattern)::text IS NULL OR u.email LIKE \(pattern))
            ORDER BY u.created_at DESC, u.id DESC
            LIMIT \(limit + 1)
            """,
            logger: logger
        )
        var fetched: [(user: UserRecord, key: String)] = []
        for (id, email, name, phone, active, createdAt, micros) in try rows.decode(
            (UUID, String, String, String?, Bool, Date, String).self
        ) {
            let user = UserRecord(
                id: id, email: email, displayName: name, phone: phone, isActive: active, createdAt: createdAt,
                grants: [])
            fetched.append((user, micros))
        }
        let page = PageCursor.page(fetched, limit: limit) { PageCursor(key: $0.key, id: $0.user.id.uuidString) }
        var users = page.items.map(\.user)
        let next = page.next
        let grants = try await self.grants(of: users.map(\.id))
        for index in users.indices { users[index].grants = grants[users[index].id] ?? [] }
        return (users, next)
    }

    /// Cursor keys are checked before they reach SQL, so a forged one is a 422, not a database error.
    public static func isTimestamp(_ text: String) -> Bool {
        text.utf8.count <= 40 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || " -:.+".utf8.contains($0) }
    }

    func grants(of userIDs: [UUID]) async throws -> [UUID: [RoleGrant]] {
        guard !userIDs.isEmpty else { return [:] }
        let rows = try await db.query(
            """
            SELECT user_id, id, role, supplier_id, post_office_id, granted_at
            FROM role_grants WHERE user_id = ANY(\(userIDs)) ORDER BY granted_at, id
            """,
            logger: logger
        )
        var result: [UUID: [RoleGrant]] = [:]
        for (userID, id, role, supplierID, postOfficeID, grantedAt) in try rows.decode(
            (UUID, UUID, String, UUID?, UUID?, Date).self
        ) {
            guard let role = Role(rawValue: role) else { continue }
            result[userID, default: []].append(
                RoleGrant(id: id, role: role, supplierID: supplierID, postOfficeID: postOfficeID, grantedAt: grantedAt)
            )
        }
        return result
    }
}
