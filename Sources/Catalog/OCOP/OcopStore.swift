import Foundation
import Kernel
import Logging
import PostgresNIO

/// OCOP certificates: producers record them, clerks of the supplier's post office verify them. The
/// product's badge follows the verified certificate through a trigger (see migration 0004).
public struct OcopStore: Sendable {
    let db: Database
    let logger: Logger
    let cache: ProductCache?

    public init(db: Database, logger: Logger, cache: ProductCache? = nil) {
        self.db = db
        self.logger = logger
        self.cache = cache
    }

    static let select = """
        SELECT c.id, c.product_id, c.stars, c.certificate_no, c.issued_by, c.issued_on::text AS issued_on,
            c.expires_on::text AS expires_on, c.status, (c.status = 'verified' AND vn_today() < c.expires_on) AS in_force,
            c.review_note, c.reviewed_at, c.created_at
        FROM ocop_certifications c
        """

    public func record(_ claim: OcopRules.Claim, product id: UUID, caller: Caller) async throws -> OcopCertification {
        let principal = try caller.signedIn()
        let products = ProductStore(db: db, logger: logger)
        let certificationID = UUID()
        try await db.withTransaction(logger: logger) { connection in
            let product = try await products.locked(id, on: connection)
            try principal.requireMember(of: product.scope, "product")
            guard product.status != .archived else {
                throw DomainError.conflict(
                    kind: "invalid-transition", detail: "An archived product cannot change.", currentState: "archived")
            }
            try await connection.query(
                """
                INSERT INTO ocop_certifications (id, product_id, stars, certificate_no, issued_by, issued_on,
                    expires_on, submitted_by)
                VALUES (\(certificationID), \(id), \(Int16(claim.stars)), \(claim.certificateNo),
                    \(claim.issuedBy.rawValue), \(claim.issuedOn.description)::date, \(claim.expiresOn.description)::date,
                    \(principal.userID))
                """,
                logger: logger
            )
            try await AuditEntry(
                actorID: principal.userID, action: "ocop.recorded", entityType: "product",
                entityID: id.uuidString.lowercased(), requestID: caller.requestID,
                details: [
                    "certification_id": certificationID.uuidString.lowercased(), "stars": String(claim.stars),
                    "certificate_no": claim.certificateNo,
                ]
            ).record(on: connection, logger: logger)
        }
        return try await load(certificationID)
    }

    public func list(product id: UUID, caller: Caller) async throws -> [OcopCertification] {
        let principal = try caller.signedIn()
        guard let product = try await ProductStore(db: db, logger: logger).load(id) else {
            throw DomainError.notFound("No product with this id.")
        }
        try principal.require(.producer, .clerk)
        guard principal.seesPrivate(product.scope) else { throw DomainError.notFound("No product with this id.") }
        let rows = try await db.query(
            PostgresQuery(
                unsafeSQL: Self.select + " WHERE c.product_id = $1 ORDER BY c.created_at DESC, c.id DESC",
                binds: {
                    var b = PostgresBindings(); b.append(id); return b
                }()),
            logger: logger)
        return try rows.map(Self.decode)
    }

    /// The certificate behind a listed product's OCOP badge, for anyone (the shop's product page
    /// shows its number and expiry): the verified certificate in force with the most stars, latest
    /// expiry first. Nil when the product is not listed or has none in force.
    public func badge(product id: UUID) async throws -> OcopCertification? {
        let rows = try await db.query(
            PostgresQuery(
                unsafeSQL: Self.select
                    + """
                     JOIN products p ON p.id = c.product_id
                    WHERE c.product_id = $1 AND p.status = 'active' AND p.supplier_active
                        AND c.status = 'verified' AND vn_today() < c.expires_on
                    ORDER BY c.stars DESC, c.expires_on DESC LIMIT 1
                    """,
                binds: {
                    var b = PostgresBindings(); b.append(id); return b
                }()),
            logger: logger)
        return try rows.map(Self.decode).first
    }

    public func review(_ certificationID: UUID, verify: Bool, note: String?, caller: Caller) async throws
        -> OcopCertification
    {
        let principal = try caller.signedIn()
        let products = ProductStore(db: db, logger: logger)
        let productID = try await db.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                "SELECT product_id, status FROM ocop_certifications WHERE id = \(certificationID) FOR UPDATE",
                logger: logger
            ).collect().decode((UUID, String).self)
            guard let row = rows.first else { throw DomainError.notFound("No certificate with this id.") }
            guard let product = try await products.load(row.0, on: connection) else {
                throw DomainError.notFound("No certificate with this id.")
            }
            try principal.requireReviewer(of: product.scope, "certificate")
            let next = try OcopRules.review(OcopReviewStatus(rawValue: row.1) ?? .pending, verify: verify)
            try await connection.query(
                """
                UPDATE ocop_certifications SET status = \(next.rawValue), review_note = \(note),
                    reviewed_by = \(principal.userID), reviewed_at = now()
                WHERE id = \(certificationID)
                """,
                logger: logger
            )
            try await AuditEntry(
                actorID: principal.userID, action: verify ? "ocop.verified" : "ocop.rejected", entityType: "product",
                entityID: row.0.uuidString.lowercased(), requestID: caller.requestID,
                details: ["certification_id": certificationID.uuidString.lowercased(), "note": note ?? ""]
            ).record(on: connection, logger: logger)
            return row.0
        }
        cache?.invalidate(productID)
        return try await load(certificationID)
    }

    /// Certificates waiting for a clerk of the post offices this caller works at, oldest first.
    public func reviewQueue(limit: Int, after cursor: PageCursor?, caller: Caller) async throws
        -> (items: [OcopCertification], next: PageCursor?)
    {
        let principal = try caller.signedIn()
        try principal.require(.clerk)
        var binds = PostgresBindings()
        var sql =
            Self.select + """
                 JOIN products p ON p.id = c.product_id
                JOIN suppliers s ON s.id = p.supplier_id
                LEFT JOIN post_office_communes pc ON pc.commune_code = s.commune_code
                WHERE c.status = 'pending'
                """
        if !principal.isAdmin {
            binds.append(Array(principal.postOfficeIDs(as: .clerk)))
            sql += " AND pc.post_office_id = ANY($\(binds.count))"
        }
        sql += try PageCursor.timeCondition(
            after: cursor, timeColumn: "c.created_at", idColumn: "c.id", descending: false, binds: &binds)
        binds.append(limit + 1)
        sql += " ORDER BY c.created_at, c.id LIMIT $\(binds.count)"
        let rows = try await db.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        return PageCursor.page(try rows.map(Self.decode), limit: limit) {
            PageCursor.after(time: $0.createdAt, id: $0.id)
        }
    }

    func load(_ id: UUID) async throws -> OcopCertification {
        var binds = PostgresBindings()
        binds.append(id)
        let rows = try await db.query(
            PostgresQuery(unsafeSQL: Self.select + " WHERE c.id = $1", binds: binds), logger: logger)
        guard let row = rows.first else { throw DomainError.notFound("No certificate with this id.") }
        return try Self.decode(row)
    }

    static func decode(_ row: PostgresRow) throws -> OcopCertification {
        let r = row.columns
        let stars: Int16 = try r.get("stars")
        return OcopCertification(
            id: try r.get("id"),
            productID: try r.get("product_id"),
            stars: Int(stars),
            certificateNo: try r.get("certificate_no"),
            issuedBy: OcopIssuer(rawValue: try r.get("issued_by")) ?? .province,
            issuedOn: try r.get("issued_on"),
            expiresOn: try r.get("expires_on"),
            status: OcopReviewStatus(rawValue: try r.get("status")) ?? .pending,
            inForce: try r.get("in_force"),
            reviewNote: try r.get("review_note"),
            reviewedAt: try r.get("reviewed_at"),
            createdAt: try r.get("created_at")
        )
    }
}
