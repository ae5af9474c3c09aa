import Foundation
import Logging
import PostgresNIO

/// What an admin may change on an account: its name, its phone, whether it can sign in.
public struct UserChanges: Sendable, Equatable {
    public var displayName: String?
    public var phone: String?
    public var isActive: Bool?

    public init(displayName: String? = nil, phone: String? = nil, isActive: Bool? = nil) {
        (self.displayName, self.phone, self.isActive) = (displayName, phone, isActive)
    }

    public func validated() throws(DomainError) -> UserChanges {
        var v = Validator()
        if let displayName { v.text(displayName, "display_name", max: 100) }
        let national = phone.flatMap { v.phone($0, "phone") }
        v.check(displayName != nil || phone != nil || isActive != nil, "body", "must change something")
        try v.done()
        var changes = self
        changes.phone = national
        return changes
    }
}

extension AccountStore {
    /// An admin edits a user. Deactivating revokes every session at once, on every process (the
    /// triggers of migration 0017), and reactivating does not bring them back. Nobody deactivates
    /// themselves: an admin locked out by his own hand has nobody left to undo it.
    public func update(_ id: UUID, _ changes: UserChanges, actor: UUID, requestID: String?, now: Date = Date())
        async throws -> UserRecord
    {
        let changes = try changes.validated()
        if changes.isActive == false && id == actor {
            throw DomainError.conflict(
                kind: "own-account", detail: "An admin cannot deactivate his own account; ask another admin.")
        }
        try await db.withTransaction(logger: logger) { connection in
            let before = try await connection.query(
                "SELECT display_name, phone, is_active FROM users WHERE id = \(id) FOR UPDATE", logger: logger
            ).collect().decode((String, String?, Bool).self)
            guard let (oldName, oldPhone, wasActive) = before.first else {
                throw DomainError.notFound("No user with this id.")
            }
            try await connection.query(
                """
                UPDATE users SET display_name = coalesce(\(changes.displayName), display_name),
                    phone = coalesce(\(changes.phone), phone),
                    is_active = coalesce(\(changes.isActive), is_active), updated_at = \(now)
                WHERE id = \(id)
                """,
                logger: logger)
            var details: [String: String] = [:]
            if let name = changes.displayName, name != oldName { details["display_name"] = "changed" }
            if let phone = changes.phone, phone != oldPhone { details["phone"] = "changed" }
            if let active = changes.isActive, active != wasActive {
                details["is_active"] = String(active)
                if !active {
                    try await connection.query(
                        "UPDATE auth_tokens SET revoked_at = \(now) WHERE user_id = \(id) AND revoked_at IS NULL",
                        logger: logger)
                }
            }
            let action =
                changes.isActive.map { $0 == wasActive ? "user.update" : ($0 ? "user.reactivate" : "user.deactivate") }
                ?? "user.update"
            try await AuditEntry(
                actorID: actor, action: action, entityType: "user", entityID: id.uuidString.lowercased(),
                requestID: requestID, details: details
            ).record(on: connection, logger: logger)
        }
        principalCache?.invalidate(user: id)
        return try await user(id: id)
    }
}
