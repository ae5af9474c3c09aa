import Foundation
import Kernel
import Logging
import PostgresNIO

/// Couriers of a post office: its clerks (and admins) add them and set their capacity.
public struct CourierStore: Sendable {
    let db: Database
    let logger: Logger
    /// Adding a courier may grant the role, which the courier's next request must see.
    let principals: (any PrincipalChangeObserver)?

    public init(db: Database, logger: Logger, principals: (any PrincipalChangeObserver)? = nil) {
        self.db = db
        self.logger = logger
        self.principals = principals
    }

    static let columns = """
        c.user_id, c.post_office_id, u.display_name, u.email, u.phone, c.max_stops, c.max_grams, c.is_active,
        c.created_at, c.updated_at
        """

    public func list(postOffice id: UUID, caller: Caller) async throws -> [Courier] {
        let principal = try caller.signedIn()
        try principal.require(.clerk, .courier)
        guard principal.worksAt(postOffice: id, as: .clerk, .courier) else {
            throw DomainError.notFound("No post office with this id.")
        }
        return try await db.withConnection { connection in
            try await connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM couriers c JOIN users u ON u.id = c.user_id
                WHERE c.post_office_id = \(id) ORDER BY u.display_name COLLATE vietnamese, c.user_id
                """,
                logger: logger
            ).collect().map(Self.courier)
        }
    }

    /// The courier itself, or a clerk of its office.
    public func get(_ id: UUID, caller: Caller) async throws -> Courier {
        let principal = try caller.signedIn()
        try principal.require(.clerk, .courier)
        let courier = try await db.withConnection { connection in try await load(id, on: connection) }
        guard courier.id == principal.userID || principal.worksAt(postOffice: courier.postOfficeID, as: .clerk)
        else { throw DomainError.notFound("No courier with this id.") }
        return courier
    }

    /// Makes a user a courier of the office (granting the role there if needed) with a capacity.
    public func add(userID: UUID, postOffice id: UUID, _ input: CourierInput, caller: Caller) async throws -> Courier {
        let principal = try caller.signedIn()
        try principal.require(.clerk)
        guard principal.worksAt(postOffice: id, as: .clerk) else {
            throw DomainError.notFound("No post office with this id.")
        }
        var v = Validator()
        if input.maxStops == nil { v.fail("max_stops", "is required") }
        if input.maxGrams == nil { v.fail("max_grams", "is required") }
        try v.done()
        try input.validate()
        let courier: Courier
        do {
            courier = try await db.withTransaction(logger: logger) { connection in
                let users = try await connection.query(
                    "SELECT is_active FROM users WHERE id = \(userID) FOR UPDATE", logger: logger
                ).collect().decode(Bool.self)
                guard let active = users.first else { throw DomainError.invalid("user_id", "no user has this id") }
                guard active else { throw DomainError.invalid("user_id", "this user is deactivated") }
                let existing = try await connection.query(
                    """
                    SELECT c.post_office_id FROM couriers c JOIN role_grants g
                        ON g.user_id = c.user_id AND g.role = 'courier' AND g.post_office_id = c.post_office_id
                    WHERE c.user_id = \(userID)
                    """,
                    logger: logger
                ).collect().decode(UUID.self)
                if let office = existing.first {
                    throw DomainError.conflict(
                        kind: "already-courier",
                        detail: office == id
                            ? "This user is already a courier of this post office."
                            : "This user is a courier of another post office.")
                }
                let offices = try await connection.query(
                    "SELECT 1 FROM post_offices WHERE id = \(id)", logger: logger
                ).collect()
                guard !offices.isEmpty else { throw DomainError.notFound("No post office with this id.") }
                try await RoleGrantWrites.grant(
                    GrantSpec(role: .courier, postOfficeID: id), to: userID, by: principal.userID, on: connection,
                    logger: logger)
                try await connection.query(
                    """
                    INSERT INTO couriers (user_id, post_office_id, max_stops, max_grams, is_active)
                    VALUES (\(userID), \(id), \(input.maxStops), \(input.maxGrams), \(input.isActive ?? true))
                    ON CONFLICT (user_id) DO UPDATE SET post_office_id = EXCLUDED.post_office_id,
                        max_stops = EXCLUDED.max_stops, max_grams = EXCLUDED.max_grams, is_active = EXCLUDED.is_active,
                        updated_at = now()
                    """,
                    logger: logger)
                try await audit("courier.add", userID, caller, on: connection)
                return try await load(userID, on: connection)
            }
        } catch let error as PSQLError where error.sqlState == "MK002" {
            throw DomainError.separationOfDuties
        }
        principals?.principalChanged(user: userID)
        return courier
    }

    public func update(_ id: UUID, _ input: CourierInput, caller: Caller) async throws -> Courier {
        let principal = try caller.signedIn()
        try principal.require(.clerk)
        try input.validate()
        return try await db.withTransaction(logger: logger) { connection in
            let courier = try await load(id, on: connection)
            guard principal.worksAt(postOffice: courier.postOfficeID, as: .clerk) else {
                throw DomainError.notFound("No courier with this id.")
            }
            try await connection.query(
                """
                UPDATE couriers SET max_stops = COALESCE(\(input.maxStops), max_stops),
                    max_grams = COALESCE(\(input.maxGrams), max_grams),
                    is_active = COALESCE(\(input.isActive), is_active), updated_at = now()
                WHERE user_id = \(id)
                """,
                logger: logger)
            try await audit("courier.update", id, caller, on: connection)
            return try await load(id, on: connection)
        }
    }

    func audit(_ action: String, _ id: UUID, _ caller: Caller, on connection: PostgresConnection) async throws {
        try await AuditEntry(
            actorID: caller.principal?.userID, action: action, entityType: "courier", entityID: id.uuidString,
            requestID: caller.requestID
        ).record(on: connection, logger: logger)
    }

    func load(_ id: UUID, on connection: PostgresConnection) async throws -> Courier {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: Self.columns) FROM couriers c JOIN users u ON u.id = c.user_id
            WHERE c.user_id = \(id)
            """,
            logger: logger
        ).collect()
        guard let row = rows.first else { throw DomainError.notFound("No courier with this id.") }
        return try Self.courier(row)
    }

    static func courier(_ row: PostgresRow) throws -> Courier {
        let r = row.columns
        return Courier(
            id: try r.get("user_id"), postOfficeID: try r.get("post_office_id"),
            displayName: try r.get("display_name"), email: try r.get("email"), phone: try r.get("phone"),
            maxStops: try r.get("max_stops"), maxGrams: try r.get("max_grams"), isActive: try r.get("is_active"),
            createdAt: try r.get("created_at"), updatedAt: try r.get("updated_at"))
    }
}
