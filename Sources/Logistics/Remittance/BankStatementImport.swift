import Foundation
import Kernel
import Logging
import Orders
import PostgresNIO

public struct StatementImport: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var rowNo: Int
        public var bankReference: String
        public var amountVND: Int64
        public var outcome: String
        public var lineID: UUID?
    }

    public var id: UUID
    /// The same file was imported before: nothing changed, this is that import's result.
    public var alreadyImported: Bool
    public var rows: [Row]
}

/// An import in a list: when, how many rows, how many matched a paid line and how many need a look.
public struct StatementSummary: Sendable, Equatable {
    public var id: UUID
    public var importedAt: Date
    public var rowCount: Int
    public var matched: Int
    public var needsLook: Int
}

/// A bank statement (CSV) checked against the paid remittance lines (SPEC §6): a row whose
/// reference names a paid line with the same amount matches it; a different amount is flagged; a
/// reference no line has is unmatched. The same file twice changes nothing.
public struct BankStatementImport: Sendable {
    let db: Database
    let logger: Logger

    public init(db: Database, logger: Logger) {
        self.db = db
        self.logger = logger
    }

    public func importCSV(_ text: String, caller: Caller) async throws -> StatementImport {
        let principal = try caller.signedIn()
        try principal.require(.finance)
        let rows: [StatementRow]
        do {
            rows = try BankStatementCSV.parse(text)
        } catch {
            throw DomainError.validation(
                error.problems.map { FieldError(field: "row \($0.rowNo)", message: $0.message) })
        }
        let digest = Digest.sha256Hex(text)
        return try await db.withTransaction(logger: logger) { connection in
            try await connection.allowLongWork(logger: logger)
            let id = UUID()
            let inserted = try await connection.query(
                """
                INSERT INTO bank_statements (id, digest, imported_by, row_count)
                VALUES (\(id), \(digest), \(principal.userID), \(rows.count))
                ON CONFLICT (digest) DO NOTHING RETURNING id
                """,
                logger: logger
            ).collect()
            if inserted.isEmpty {
                let existing = try await connection.query(
                    "SELECT id FROM bank_statements WHERE digest = \(digest)", logger: logger
                ).collect().decode(UUID.self)
                guard let previous = existing.first else { throw DomainError.conflict(kind: "busy", detail: "Retry.") }
                return StatementImport(
                    id: previous, alreadyImported: true, rows: try await load(previous, on: connection))
            }
            // One statement for the whole file. A row matches a paid line with its reference and amount;
            // once a line is matched (by an earlier import, or an earlier row of this file with the right
            // amount), any further row for it is a duplicate; a reference no paid line has is unmatched.
            try await connection.query(
                """
                INSERT INTO bank_statement_rows (statement_id, row_no, bank_reference, amount_vnd, value_on,
                    description, outcome, line_id)
                SELECT \(id), r.row_no, r.reference, r.amount, r.value_on::date, r.description,
                    CASE
                        WHEN l.id IS NULL THEN 'unmatched'
                        WHEN EXISTS (SELECT 1 FROM bank_statement_rows o WHERE o.line_id = l.id AND o.outcome = 'matched')
                            OR count(*) FILTER (WHERE r.amount = l.amount_vnd) OVER (
                                PARTITION BY l.id ORDER BY r.row_no ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) > 0
                            THEN 'duplicate'
                        WHEN r.amount = l.amount_vnd THEN 'matched'
                        ELSE 'amount_mismatch'
                    END,
                    l.id
                FROM unnest(\(rows.map(\.rowNo))::int[], \(rows.map(\.bankReference))::text[],
                        \(rows.map(\.amountVND))::int8[], \(rows.map(\.valueDate))::text[],
                        \(rows.map(\.description))::text[])
                    AS r (row_no, reference, amount, value_on, description)
                    LEFT JOIN remittance_lines l ON l.bank_reference = r.reference AND l.status = 'paid'
                """,
                logger: logger)
            try await AuditEntry(
                actorID: principal.userID, action: "bank_statement.import", entityType: "bank_statement",
                entityID: id.uuidString, requestID: caller.requestID, details: ["rows": "\(rows.count)"]
            ).record(on: connection, logger: logger)
            return StatementImport(id: id, alreadyImported: false, rows: try await load(id, on: connection))
        }
    }

    /// One import again (finance's page after the upload), as it was answered then.
    public func statement(_ id: UUID, caller: Caller) async throws -> StatementImport {
        try caller.signedIn().require(.finance)
        return try await db.withConnection { connection in
            let found = try await connection.query(
                "SELECT 1 FROM bank_statements WHERE id = \(id)", logger: logger
            ).collect()
            guard !found.isEmpty else { throw DomainError.notFound("No bank statement with this id.") }
            return StatementImport(id: id, alreadyImported: false, rows: try await load(id, on: connection))
        }
    }

    /// The latest imports, newest first, with how their rows came out.
    public func recent(limit: Int, caller: Caller) async throws -> [StatementSummary] {
        try caller.signedIn().require(.finance)
        return try await db.withConnection { connection in
            try await connection.query(
                """
                SELECT s.id, s.imported_at, s.row_count,
                    count(*) FILTER (WHERE r.outcome = 'matched'), count(*) FILTER (WHERE r.outcome <> 'matched')
                FROM (SELECT * FROM bank_statements ORDER BY imported_at DESC, id DESC LIMIT \(limit)) s
                    LEFT JOIN bank_statement_rows r ON r.statement_id = s.id
                GROUP BY s.id, s.imported_at, s.row_count ORDER BY s.imported_at DESC, s.id DESC
                """,
                logger: logger
            ).collect().decode((UUID, Date, Int, Int, Int).self).map {
                StatementSummary(id: $0.0, importedAt: $0.1, rowCount: $0.2, matched: $0.3, needsLook: $0.4)
            }
        }
    }

    func load(_ id: UUID, on connection: PostgresConnection) async throws -> [StatementImport.Row] {
        try await connection.query(
            """
            SELECT row_no, bank_reference, amount_vnd, outcome, line_id FROM bank_statement_rows
            WHERE statement_id = \(id) ORDER BY row_no
            """,
            logger: logger
        ).collect().decode((Int, String, Int64, String, UUID?).self).map {
            StatementImport.Row(rowNo: $0.0, bankReference: $0.1, amountVND: $0.2, outcome: $0.3, lineID: $0.4)
        }
    }
}
