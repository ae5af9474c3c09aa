import Foundation
import Logging
import PostgresNIO

/// Granting and revoking roles, audited, in the user's row lock.
extension AccountStore {
    public func grant(_ spec: GrantSpec, to userID: UUID, actor: UUID, requestID: String?) async throws -> RoleGrant {
        let errors = spec.scopeErrors()
        if !errors.isEmpty { throw DomainError.validation(errors) }
        do {
            let grant = try await db.withTransaction(logger: logger) { connection in
                let exists =
                    try await connection.query("SELECT 1 FROM users WHERE id = \(userID) FOR UPDATE", logger: logger)
                    .decode(Int.self).first(where: { _ in true }) != nil
                guard exists else { throw DomainError.notFound("No user with this id.") }
                let grant = try await insertGrant(spec, userID: userID, actor: actor, on: connection)
                try await AuditEntry(
                    actorID: actor,
                    action: "role.grant",
                    entityType: "user",
                    entityID: userID.uuidString.lowercased(),
                    requestID: requestID,
                    details: grantDetails(grant)
                ).record(on: connection, logger: logger)
                return grant
            }
            principalCache?.invalidate(user: userID)
            return grant
        } catch let error as PSQLError where error.sqlState == "23505" {
            throw DomainError.conflict(
                kind: "grant-exists", detail: "The user already holds this role with this scope.")
        } catch let error as PSQLError where error.sqlState == "23503" {
            let field = spec.supplierID != nil ? "supplier_id" : "post_office_id"
            throw DomainError.validation([FieldError(field: field, message: "does not exist")])
        } catch let error as PSQLError where error.sqlState == "MK002" {
            throw DomainError.separationOfDuties
        }
    }

    public func revokeGrant(_ grantID: UUID, of userID: UUID, actor: UUID, requestID: String?) async throws {
        try await db.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                DELETE FROM role_grants WHERE id = \(grantID) AND user_id = \(userID)
                RETURNING id, role, supplier_id, post_office_id, granted_at
                """,
                logger: logger
            )
            guard
                let (id, role, supplierID, postOfficeID, grantedAt) = try await rows.decode(
                    (UUID, String, UUID?, UUID?, Date).self
                ).first(where: { _ in true }), let role = Role(rawValue: role)
            else {
                throw DomainError.notFound("This user has no such role grant.")
            }
            let grant = RoleGrant(
                id: id, role: role, supplierID: supplierID, postOfficeID: postOfficeID, grantedAt: grantedAt)
            try await AuditEntry(
                actorID: actor,
                action: "role.revoke",
                entityType: "user",
                entityID: userID.uuidString.lowercased(),
                requestID: requestID,
                details: grantDetails(grant)
            ).record(on: connection, logger: logger)
        }
        principalCache?.invalidate(user: userID)
    }

    @discardableResult
    func insertGrant(_ spec: GrantSpec, userID: UUID, actor: UUID?, on connection: PostgresConnection)
        async throws -> RoleGrant
    {
        let rows = try await connection.query(
            """
            INSERT INTO role_grants (user_id, role, supplier_id, post_office_id, granted_by)
            VALUES (\(userID), \(spec.role.rawValue), \(spec.supplierID), \(spec.postOfficeID), \(actor))
            RETURNING id, granted_at
            """,
            logger: logger
        )
        guard let (id, grantedAt) = try await rows.decode((UUID, Date).self).first(where: { _ in true }) else {
            throw DomainError.conflict(kind: "grant-exists", detail: "The grant could not be recorded.")
        }
        return RoleGrant(
            id: id, role: spec.role, supplierID: spec.supplierID, postOfficeID: spec.postOfficeID, grantedAt: grantedAt)
    }

    func grantDetails(_ grant: RoleGrant) -> [String: String] {
        var details = ["role": grant.role.rawValue, "grant_id": grant.id.uuidString.lowercased()]
        if let supplierID = grant.supplierID { details["supplier_id"] = supplierID.uuidString.lowercased() }
        if let postOfficeID = grant.postOfficeID { details["post_office_id"] = postOfficeID.uuidString.lowercased() }
        return details
    }
}
