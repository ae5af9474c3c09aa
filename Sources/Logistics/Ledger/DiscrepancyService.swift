import Foundation
import Kernel
import Logging
import PostgresNIO

public struct Discrepancy: Sendable, Equatable {
    public var id: UUID
    public var kind: String
    public var courierID: UUID?
    public var postOfficeID: UUID?
    public var packageID: UUID?
    public var handoverID: UUID?
    public var businessDay: String
    public var amountVND: Int64
    public var status: String
    public var resolution: String?
    public var openedAt: Date
    public var resolvedAt: Date?
    public var comments: [Comment]
    /// Who and where, for pages that list discrepancies to people.
    public var courierName: String?
    public var postOfficeName: String?

    public struct Comment: Sendable, Equatable {
        public var authorID: UUID
        public var body: String
        public var createdAt: Date
    }
}

/// How finance settles a discrepancy, each with its adjusting transaction.
public enum DiscrepancyResolution: String, Sendable, CaseIterable {
    /// The courier owes a shortage (it stays on the courier's cash account until handed over).
    case chargeCourier = "charge_courier"
    /// The platform absorbs a shortage or keeps an overage.
    case writeOff = "write_off"
    /// An overage goes back to the buyer.
    case refundBuyer = "refund_buyer"

    /// The adjusting postings for a discrepancy of `amount` (negative: short), or nil when this
    /// resolution does not apply to it.
    public func transaction(amount: Int64, courier: UUID?) -> LedgerTransaction? {
        let size = abs(amount)
        let clearing: Int64 = amount < 0 ? -size : size  // undo the suspense balance
        switch self {
        case .chargeCourier:
            guard amount < 0, let courier else { return nil }
            return LedgerTransaction(
                kind: "adjustment",
                postings: [
                    Posting(account: AccountRef(.courierCash, courier), amountVND: size),
                    Posting(account: AccountRef(.codDiscrepancies), amountVND: clearing),
                ])
        case .writeOff:
            return LedgerTransaction(
                kind: "adjustment",
                postings: [
                    Posting(account: AccountRef(.platformCommission), amountVND: -clearing),
                    Posting(account: AccountRef(.codDiscrepancies), amountVND: clearing),
                ])
        case .refundBuyer:
            guard amount > 0 else { return nil }
            return LedgerTransaction(
                kind: "adjustment",
                postings: [
                    Posting(account: AccountRef(.refundsPayable), amountVND: -size),
                    Posting(account: AccountRef(.codDiscrepancies), amountVND: clearing),
                ])
        }
    }
}

/// Discrepancies: finance sees all, a clerk those of its post office; finance comments and resolves.
public struct DiscrepancyService: Sendable {
    let db: Database
    let logger: Logger

    public init(db: Database, logger: Logger) {
        self.db = db
        self.logger = logger
    }

    static let columns = """
        d.id, d.kind, d.courier_id, d.post_office_id, d.package_id, d.handover_id,
        to_char(d.business_day, 'YYYY-MM-DD') AS business_day, d.amount_vnd, d.status, d.resolution, d.opened_at,
        d.resolved_at, (SELECT display_name FROM users WHERE id = d.courier_id) AS courier_name,
        (SELECT name FROM post_offices WHERE id = d.post_office_id) AS post_office_name
        """

    public func list(status: String?, caller: Caller) async throws -> [Discrepancy] {
        let principal = try caller.signedIn()
        try principal.require(.finance, .clerk)
        let offices = Array(principal.postOfficeIDs(as: .clerk))
        let everywhere = principal.has(.finance)
        return try await db.withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM cod_discrepancies d
                WHERE (\(status)::text IS NULL OR d.status = \(status))
                    AND (\(everywhere) OR d.post_office_id = ANY(\(offices)))
                ORDER BY d.opened_at DESC, d.id DESC LIMIT 500
                """,
                logger: logger
            ).collect()
            return try rows.map { try Self.discrepancy($0, comments: []) }
        }
    }

    public func comment(_ id: UUID, body: String, caller: Caller) async throws -> Discrepancy {
        let principal = try caller.signedIn()
        try principal.require(.finance)
        var v = Validator()
        v.paragraph(body, "body", min: 1, max: 2000)
        v.check(!body.allSatisfy(\.isWhitespace), "body", "must not be empty")
        try v.done()
        return try await db.withTransaction(logger: logger) { connection in
            _ = try await load(id, on: connection, forUpdate: true)
            try await connection.query(
                """
                INSERT INTO discrepancy_comments (id, discrepancy_id, author_id, body)
                VALUES (\(UUID()), \(id), \(principal.userID), \(body))
                """,
                logger: logger)
            return try await load(id, on: connection)
        }
    }

    public func resolve(_ id: UUID, _ resolution: DiscrepancyResolution, note: String?, caller: Caller) async throws
        -> Discrepancy
    {
        let principal = try caller.signedIn()
        try principal.require(.finance)
        if let note {
            var v = Validator()
            v.paragraph(note, "note", min: 1, max: 2000)
            v.check(!note.allSatisfy(\.isWhitespace), "note", "must not be empty")
            try v.done()
        }
        return try await db.withTransaction(logger: logger) { connection in
            let current = try await load(id, on: connection, forUpdate: true)
            guard current.status == "open" else {
                throw DomainError.conflict(
                    kind: "invalid-transition", detail: "This discrepancy is already resolved.",
                    currentState: current.status)
            }
            guard let transaction = resolution.transaction(amount: current.amountVND, courier: current.courierID) else {
                throw DomainError.invalid(
                    "resolution",
                    "\(resolution.rawValue) does not apply to a \(current.amountVND < 0 ? "shortage" : "surplus")")
            }
            let posted = try await LedgerWriter(logger: logger).post(
                transaction, .init(referenceID: id, memo: note ?? resolution.rawValue, by: principal.userID),
                on: connection)
            try await connection.query(
                """
                UPDATE cod_discrepancies SET status = 'resolved', resolution = \(resolution.rawValue),
                    resolved_by = \(principal.userID), resolved_at = now(), resolution_transaction_id = \(posted)
                WHERE id = \(id)
                """,
                logger: logger)
            if let note {
                try await connection.query(
                    """
                    INSERT INTO discrepancy_comments (id, discrepancy_id, author_id, body)
                    VALUES (\(UUID()), \(id), \(principal.userID), \(note))
                    """,
                    logger: logger)
            }
            try await AuditEntry(
                actorID: principal.userID, action: "cod.discrepancy.resolve", entityType: "cod_discrepancy",
                entityID: id.uuidString, requestID: caller.requestID, details: ["resolution": resolution.rawValue]
            ).record(on: connection, logger: logger)
            return try await load(id, on: connection)
        }
    }

    func load(_ id: UUID, on connection: PostgresConnection, forUpdate: Bool = false) async throws -> Discrepancy {
        var query: PostgresQuery = "SELECT \(unescaped: Self.columns) FROM cod_discrepancies d WHERE d.id = \(id)"
        if forUpdate { query.sql += " FOR UPDATE" }
        guard let row = try await connection.query(query, logger: logger).collect().first else {
            throw DomainError.notFound("No discrepancy with this id.")
        }
        let comments = try await connection.query(
            """
            SELECT author_id, body, created_at FROM discrepancy_comments WHERE discrepancy_id = \(id)
            ORDER BY created_at, id
            """,
            logger: logger
        ).collect().decode((UUID, String, Date).self).map {
            Discrepancy.Comment(authorID: $0.0, body: $0.1, createdAt: $0.2)
        }
        return try Self.discrepancy(row, comments: comments)
    }

    static func discrepancy(_ row: PostgresRow, comments: [Discrepancy.Comment]) throws -> Discrepancy {
        let r = row.columns
        return Discrepancy(
            id: try r.get("id"), kind: try r.get("kind"), courierID: try r.get("courier_id"),
            postOfficeID: try r.get("post_office_id"), packageID: try r.get("package_id"),
            handoverID: try r.get("handover_id"), businessDay: try r.get("business_day"),
            amountVND: try r.get("amount_vnd"), status: try r.get("status"), resolution: try r.get("resolution"),
            openedAt: try r.get("opened_at"), resolvedAt: try r.get("resolved_at"), comments: comments,
            courierName: try r.get("courier_name"), postOfficeName: try r.get("post_office_name"))
    }
}
