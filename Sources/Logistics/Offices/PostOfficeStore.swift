import Foundation
import Kernel
import Logging
import PostgresNIO

/// Post offices and the communes they serve: public to read, admins edit them.
public struct PostOfficeStore: Sendable {
    let db: Database
    let logger: Logger

    public init(db: Database, logger: Logger) {
        self.db = db
        self.logger = logger
    }

    static let columns = """
        po.id, po.code, po.name, po.province_code, po.commune_code, po.address_line, po.lat, po.lon, po.phone,
        po.is_active, po.is_sorting_hub, po.created_at, po.updated_at,
        ARRAY(SELECT commune_code FROM post_office_communes c WHERE c.post_office_id = po.id ORDER BY commune_code)
            AS communes
        """

    /// Every office, by code (a province has tens of them, not thousands).
    public func list(provinceCode: String?) async throws -> [PostOffice] {
        try await db.withConnection { connection in
            try await connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM post_offices po
                WHERE \(provinceCode)::text IS NULL OR po.province_code = \(provinceCode)
                ORDER BY po.code
                """,
                logger: logger
            ).collect().map(Self.office)
        }
    }

    public func get(_ id: UUID) async throws -> PostOffice {
        try await db.withConnection { connection in try await load(id, on: connection) }
    }

    public func create(_ input: PostOfficeInput, caller: Caller) async throws -> PostOffice {
        let principal = try caller.signedIn()
        try principal.require(.admin)
        try input.validate(creating: true)
        let id = UUID()
        return try await write(caller: caller, action: "post_office.create", id: id) { connection in
            try await connection.query(
                """
                INSERT INTO post_offices (id, code, name, province_code, commune_code, address_line, lat, lon, phone,
                    is_sorting_hub)
                VALUES (\(id), \(input.code), \(input.name), \(input.provinceCode), \(input.communeCode),
                    \(input.addressLine), \(input.lat), \(input.lon), \(input.phone), \(input.isSortingHub ?? false))
                """,
                logger: logger)
        }
    }

    public func update(_ id: UUID, _ input: PostOfficeInput, caller: Caller) async throws -> PostOffice {
        let principal = try caller.signedIn()
        try principal.require(.admin)
        try input.validate(creating: false)
        return try await write(caller: caller, action: "post_office.update", id: id) { connection in
            let rows = try await connection.query(
                """
                UPDATE post_offices SET code = COALESCE(\(input.code), code), name = COALESCE(\(input.name), name),
                    province_code = COALESCE(\(input.provinceCode), province_code),
                    commune_code = COALESCE(\(input.communeCode), commune_code),
                    address_line = COALESCE(\(input.addressLine), address_line),
                    lat = COALESCE(\(input.lat), lat), lon = COALESCE(\(input.lon), lon),
                    phone = COALESCE(\(input.phone), phone), is_active = COALESCE(\(input.isActive), is_active),
                    is_sorting_hub = COALESCE(\(input.isSortingHub), is_sorting_hub), updated_at = now()
                WHERE id = \(id) RETURNING 1
                """,
                logger: logger
            ).collect()
            guard !rows.isEmpty else { throw DomainError.notFound("No post office with this id.") }
        }
    }

    /// Makes this office the one serving exactly `communes`: those served elsewhere move here, those
    /// it served and no longer lists are left unserved.
    public func setCommunes(_ id: UUID, _ communes: [String], caller: Caller) async throws -> PostOffice {
        let principal = try caller.signedIn()
        try principal.require(.admin)
        var v = Validator()
        for (index, code) in communes.enumerated() where !Validator.isDigits(code, count: 5) {
            v.fail("communes[\(index)]", "must be 5 digits")
        }
        v.check(communes.count <= 500, "communes", "must list at most 500 communes")
        try v.done()
        let unique = Array(Set(communes)).sorted()
        return try await write(caller: caller, action: "post_office.communes", id: id) { connection in
            let found = try await connection.query(
                "SELECT 1 FROM post_offices WHERE id = \(id) FOR UPDATE", logger: logger
            ).collect()
            guard !found.isEmpty else { throw DomainError.notFound("No post office with this id.") }
            try await connection.query(
                "DELETE FROM post_office_communes WHERE post_office_id = \(id) AND NOT commune_code = ANY(\(unique))",
                logger: logger)
            try await connection.query(
                """
                INSERT INTO post_office_communes (commune_code, post_office_id)
                SELECT code, \(id) FROM unnest(\(unique)::text[]) AS code
                ON CONFLICT (commune_code) DO UPDATE SET post_office_id = EXCLUDED.post_office_id
                """,
                logger: logger)
        }
    }

    /// Runs a change with its audit entry in one transaction and returns the office as it now is.
    /// A code, commune or province that does not exist is the client's mistake (422), not ours.
    func write(
        caller: Caller, action: String, id: UUID, _ change: @escaping (PostgresConnection) async throws -> Void
    ) async throws -> PostOffice {
        do {
            return try await db.withTransaction(logger: logger) { connection in
                try await change(connection)
                try await AuditEntry(
                    actorID: caller.principal?.userID, action: action, entityType: "post_office",
                    entityID: id.uuidString, requestID: caller.requestID
                ).record(on: connection, logger: logger)
                return try await load(id, on: connection)
            }
        } catch let error as PSQLError where error.sqlState == "23505" {
            throw DomainError.conflict(kind: "duplicate-code", detail: "Another post office has this code.")
        } catch let error as PSQLError where error.sqlState == "23503" {
            let field = error.constraintName?.contains("province") == true ? "province_code" : "commune_code"
            throw DomainError.invalid(field, "does not exist")
        }
    }

    func load(_ id: UUID, on connection: PostgresConnection) async throws -> PostOffice {
        let rows = try await connection.query(
            "SELECT \(unescaped: Self.columns) FROM post_offices po WHERE po.id = \(id)", logger: logger
        ).collect()
        guard let row = rows.first else { throw DomainError.notFound("No post office with this id.") }
        return try Self.office(row)
    }

    static func office(_ row: PostgresRow) throws -> PostOffice {
        let r = row.columns
        return PostOffice(
            id: try r.get("id"), code: try r.get("code"), name: try r.get("name"),
            provinceCode: try r.get("province_code"), communeCode: try r.get("commune_code"),
            addressLine: try r.get("address_line"),
            location: GeoPoint(
                lat: try r.get("lat", as: Double?.self) ?? 0, lon: try r.get("lon", as: Double?.self) ?? 0),
            phone: try r.get("phone"), isActive: try r.get("is_active"),
            isSortingHub: try r.get("is_sorting_hub"), communes: try r.get("communes"),
            createdAt: try r.get("created_at"), updatedAt: try r.get("updated_at"))
    }
}
