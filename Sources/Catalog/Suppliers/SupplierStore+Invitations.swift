import Foundation
import Kernel
import Logging
import PostgresNIO

/// Membership by invitation: a member invites an address; the person signed in with that address
/// accepts (becoming a producer of the supplier) or declines. Every answer to the inviter is the same
/// whether or not the address has an account.
extension SupplierStore {
    static let invitationColumns = """
        i.id, i.supplier_id, s.name AS supplier_name, i.email, i.status, i.created_at, i.expires_at, i.resolved_at
        """

    public func invite(_ email: String, to id: UUID, caller: Caller, now: Date = Date()) async throws
        -> SupplierInvitation
    {
        let principal = try caller.signedIn()
        var v = Validator()
        v.email(email, "email")
        try v.done()
        return try await db.withTransaction(logger: logger) { connection in
            let supplier = try await lockedSupplier(id, on: connection)
            try principal.requireMember(of: supplier.scope, "supplier")
            // Members' addresses are on the members list the inviter already sees: saying so tells nothing.
            let members = try await connection.query(
                """
                SELECT 1 FROM role_grants g JOIN users u ON u.id = g.user_id
                WHERE g.role = 'producer' AND g.supplier_id = \(id) AND lower(u.email) = lower(\(email))
                """,
                logger: logger
            ).collect()
            guard members.isEmpty else {
                throw DomainError.conflict(kind: "already-member", detail: "This address is already a member's.")
            }
            // Expired pending invitations give way to the new one.
            try await connection.query(
                """
                UPDATE supplier_invitations SET status = 'revoked', resolved_at = \(now)
                WHERE supplier_id = \(id) AND lower(email) = lower(\(email)) AND status = 'pending'
                    AND expires_at <= \(now)
                """,
                logger: logger)
            let invitationID = UUID()
            let inserted = try await connection.query(
                """
                INSERT INTO supplier_invitations (id, supplier_id, email, invited_by, created_at, expires_at)
                VALUES (\(invitationID), \(id), \(email), \(principal.userID), \(now),
                    \(now.addingTimeInterval(SupplierInvitation.lifetime)))
                ON CONFLICT (supplier_id, lower(email)) WHERE status = 'pending' DO NOTHING
                RETURNING id
                """,
                logger: logger
            ).collect().decode(UUID.self)
            if let created = inserted.first {
                try await AuditEntry(
                    actorID: principal.userID, action: "supplier.member_invited", entityType: "supplier",
                    entityID: id.uuidString.lowercased(), requestID: caller.requestID,
                    details: ["invitation_id": created.uuidString.lowercased()]
                ).record(on: connection, logger: logger)
            }
            // Inviting the same address again returns the open invitation.
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.invitationColumns) FROM supplier_invitations i
                JOIN suppliers s ON s.id = i.supplier_id
                WHERE i.supplier_id = \(id) AND lower(i.email) = lower(\(email)) AND i.status = 'pending'
                """,
                logger: logger
            ).collect()
            guard let row = rows.first else { throw DomainError.conflict(kind: "concurrent-update", detail: "Retry.") }
            return try Self.invitation(row, now: now)
        }
    }

    /// A supplier's invitations, newest first (its members, its clerks).
    public func invitations(of id: UUID, caller: Caller, now: Date = Date()) async throws -> [SupplierInvitation] {
        let principal = try caller.signedIn()
        guard let supplier = try await load(id) else { throw DomainError.notFound("No supplier with this id.") }
        try principal.require(.producer, .clerk)
        guard principal.seesPrivate(supplier.scope) else { throw DomainError.notFound("No supplier with this id.") }
        return try await db.query(
            """
            SELECT \(unescaped: Self.invitationColumns) FROM supplier_invitations i
            JOIN suppliers s ON s.id = i.supplier_id
            WHERE i.supplier_id = \(id) ORDER BY i.created_at DESC, i.id LIMIT 500
            """,
            logger: logger
        ).map { try Self.invitation($0, now: now) }
    }

    public func revokeInvitation(_ invitationID: UUID, of id: UUID, caller: Caller, now: Date = Date()) async throws {
        let principal = try caller.signedIn()
        try await db.withTransaction(logger: logger) { connection in
            let supplier = try await lockedSupplier(id, on: connection)
            try principal.requireMember(of: supplier.scope, "supplier")
            let revoked = try await connection.query(
                """
                UPDATE supplier_invitations SET status = 'revoked', resolved_at = \(now), resolved_by = \(principal.userID)
                WHERE id = \(invitationID) AND supplier_id = \(id) AND status = 'pending'
                RETURNING id
                """,
                logger: logger
            ).collect()
            guard !revoked.isEmpty else { throw DomainError.notFound("No open invitation with this id.") }
            try await AuditEntry(
                actorID: principal.userID, action: "supplier.invitation_revoked", entityType: "supplier",
                entityID: id.uuidString.lowercased(), requestID: caller.requestID,
                details: ["invitation_id": invitationID.uuidString.lowercased()]
            ).record(on: connection, logger: logger)
        }
    }

    /// The open invitations addressed to the caller's email.
    public func myInvitations(caller: Caller, now: Date = Date()) async throws -> [SupplierInvitation] {
        let principal = try caller.signedIn()
        return try await db.query(
            """
            SELECT \(unescaped: Self.invitationColumns) FROM supplier_invitations i
            JOIN suppliers s ON s.id = i.supplier_id JOIN users u ON lower(u.email) = lower(i.email)
            WHERE u.id = \(principal.userID) AND i.status = 'pending' AND i.expires_at > \(now)
            ORDER BY i.created_at DESC, i.id LIMIT 100
            """,
            logger: logger
        ).map { try Self.invitation($0, now: now) }
    }

    /// The invitee answers: `accept` makes them a producer of the supplier. Anyone else, or an
    /// invitation no longer open, is 404 (nothing about other people's invitations leaks).
    public func answerInvitation(_ invitationID: UUID, accept: Bool, caller: Caller, now: Date = Date())
        async throws -> SupplierInvitation
    {
        let principal = try caller.signedIn()
        let answered = try await db.withTransaction(logger: logger) { connection -> SupplierInvitation in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.invitationColumns) FROM supplier_invitations i
                JOIN suppliers s ON s.id = i.supplier_id JOIN users u ON lower(u.email) = lower(i.email)
                WHERE i.id = \(invitationID) AND u.id = \(principal.userID) AND u.is_active
                    AND i.status = 'pending' AND i.expires_at > \(now)
                FOR UPDATE OF i
                """,
                logger: logger
            ).collect()
            guard let row = rows.first else { throw DomainError.notFound("No open invitation with this id.") }
            let invitation = try Self.invitation(row, now: now)
            try await connection.query(
                """
                UPDATE supplier_invitations SET status = \(accept ? "accepted" : "declined"), resolved_at = \(now),
                    resolved_by = \(principal.userID)
                WHERE id = \(invitationID)
                """,
                logger: logger)
            if accept {
                try await RoleGrantWrites.grant(
                    GrantSpec(role: .producer, supplierID: invitation.supplierID), to: principal.userID,
                    by: principal.userID, on: connection, logger: logger)
            }
            try await AuditEntry(
                actorID: principal.userID, action: accept ? "supplier.member_added" : "supplier.invitation_declined",
                entityType: "supplier", entityID: invitation.supplierID.uuidString.lowercased(),
                requestID: caller.requestID,
                details: [
                    "user_id": principal.userID.uuidString.lowercased(),
                    "invitation_id": invitationID.uuidString.lowercased(),
                ]
            ).record(on: connection, logger: logger)
            var done = invitation
            done.status = accept ? .accepted : .declined
            done.resolvedAt = now
            return done
        }
        if accept { principals?.principalChanged(user: principal.userID) }
        return answered
    }

    static func invitation(_ row: PostgresRow, now: Date) throws -> SupplierInvitation {
        let r = row.columns
        let expiresAt: Date = try r.get("expires_at")
        var status = SupplierInvitation.Status(rawValue: try r.get("status")) ?? .pending
        if status == .pending, expiresAt <= now { status = .expired }
        return SupplierInvitation(
            id: try r.get("id"), supplierID: try r.get("supplier_id"), supplierName: try r.get("supplier_name"),
            email: try r.get("email"), status: status, createdAt: try r.get("created_at"), expiresAt: expiresAt,
            resolvedAt: try r.get("resolved_at"))
    }
}
