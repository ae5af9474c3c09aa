import Foundation
import Kernel
import Logging
import PostgresNIO

public struct RemittanceBatch: Sendable, Equatable {
    public var id: UUID
    public var number: String
    public var cutoffAt: Date
    public var createdAt: Date
    public var lines: [RemittanceLine]
    public var totalVND: Int64 { lines.reduce(0) { $0 + $1.amountVND } }
}

public struct RemittanceLine: Sendable, Equatable {
    public var id: UUID
    public var lineNo: Int
    public var supplierID: UUID
    public var supplierName: String
    public var supplierPhone: String
    public var payoutMethod: String
    public var bankBIN: String?
    public var bankName: String?
    public var accountNo: String?
    public var accountName: String?
    public var amountVND: Int64
    public var parcelCount: Int
    public var status: String
    public var bankReference: String?
    public var failureReason: String?
    public var postOfficeName: String?
    /// Transfer description shown on the supplier's statement: the batch and line numbers.
    public var description: String
}

/// Remittance runs (SPEC §6): one batch per run with a line per supplier whose payable from parcels
/// not yet remitted is positive, net of charges (return charges, complaints' refunds the seller pays). Runs hold one advisory lock, so two at once take
/// turns and the second finds nothing left; the primary key of remittance_parcels would refuse a
/// parcel in two lines anyway.
public struct RemittanceService: Sendable {
    let db: Database
    let logger: Logger

    public init(db: Database, logger: Logger) {
        self.db = db
        self.logger = logger
    }

    public func run(cutoff: Date, caller: Caller, now: Date = Date()) async throws -> RemittanceBatch? {
        let principal = try caller.signedIn()
        try principal.require(.finance)
        guard cutoff <= now.addingTimeInterval(60) else {
            throw DomainError.invalid("cutoff_at", "must not be in the future")
        }
        return try await run(cutoff: cutoff, actor: principal.userID, requestID: caller.requestID)
    }

    /// Nil when nothing is payable.
    public func run(cutoff: Date, actor: UUID?, requestID: String?) async throws -> RemittanceBatch? {
        try await db.withTransaction(logger: logger) { connection in
            try await connection.allowLongWork(logger: logger)
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('remittance-run'))", logger: logger)
            let parcels = try await connection.query(
                """
                SELECT t.package_id, p.supplier_id, -sum(e.amount_vnd)::int8 AS net
                FROM ledger_transactions t JOIN packages p ON p.id = t.package_id
                    JOIN ledger_entries e ON e.transaction_id = t.id
                    JOIN ledger_accounts a ON a.id = e.account_id AND a.kind = 'seller_payable'
                WHERE t.kind IN ('cod_collection', 'prepaid_delivery', 'return_charge') AND t.created_at <= \(cutoff)
                    AND NOT EXISTS (SELECT 1 FROM remittance_parcels r WHERE r.package_id = t.package_id)
                GROUP BY t.package_id, p.supplier_id
                """,
                logger: logger
            ).collect().decode((UUID, UUID, Int64).self)
            let payable = parcels.map {
                PayableParcel(
                    packageID: $0.0, supplierID: $0.1, sellerShareVND: max($0.2, 0), returnChargeVND: max(-$0.2, 0))
            }
            // Complaints' refunds the sellers pay, not yet netted in a line.
            let charges = try await connection.query(
                """
                SELECT t.id, a.owner_id, e.amount_vnd
                FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
                    JOIN ledger_accounts a ON a.id = e.account_id AND a.kind = 'seller_payable'
                WHERE t.kind = 'complaint_refund' AND t.created_at <= \(cutoff)
                    AND NOT EXISTS (SELECT 1 FROM remittance_charges r WHERE r.transaction_id = t.id)
                """,
                logger: logger
            ).collect().decode((UUID, UUID, Int64).self).map {
                PayableCharge(transactionID: $0.0, supplierID: $0.1, amountVND: $0.2)
            }
            let netting = RemittanceNetting.lines(payable, charges: charges)
            guard !netting.lines.isEmpty else { return nil }
            let batchID = UUID()
            let numbers = try await connection.query(
                """
                INSERT INTO remittance_batches (id, number, cutoff_at, created_by)
                VALUES (\(batchID), 'CK' || to_char(now() AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD')
                    || lpad(nextval('remittance_batch_seq')::text, 4, '0'), \(cutoff), \(actor))
                RETURNING number
                """,
                logger: logger
            ).collect().decode(String.self)
            let net = Dictionary(uniqueKeysWithValues: parcels.map { ($0.0, $0.2) })
            let writer = LedgerWriter(logger: logger)
            // The lines and their parcels in one statement each, whatever the batch's size; then one
            // ledger transaction per line (each supplier's payable moves on its own).
            let lineIDs = netting.lines.map { _ in UUID() }
            try await connection.query(
                """
                INSERT INTO remittance_lines (id, batch_id, line_no, supplier_id, payout_method, bank_bin, account_no,
                    account_name, amount_vnd, parcel_count)
                SELECT t.id, \(batchID), t.line_no, s.id, s.payout_method, s.bank_bin, s.account_no, s.account_name,
                    t.amount, t.parcels
                FROM unnest(\(lineIDs)::uuid[], \(Array(1...netting.lines.count))::int[],
                        \(netting.lines.map(\.supplierID))::uuid[], \(netting.lines.map(\.amountVND))::int8[],
                        \(netting.lines.map(\.packageIDs.count))::int[])
                    AS t (id, line_no, supplier_id, amount, parcels)
                    JOIN suppliers s ON s.id = t.supplier_id
                """,
                logger: logger)
            let covered = zip(lineIDs, netting.lines).flatMap { id, line in line.packageIDs.map { (id, $0) } }
            try await connection.query(
                """
                INSERT INTO remittance_parcels (package_id, line_id, net_vnd)
                SELECT pid, lid, n
                FROM unnest(\(covered.map(\.1))::uuid[], \(covered.map(\.0))::uuid[],
                        \(covered.map { net[$0.1] ?? 0 })::int8[])
                    AS t (pid, lid, n)
                """,
                logger: logger)
            let settled = zip(lineIDs, netting.lines).flatMap { id, line in line.chargeIDs.map { (id, $0) } }
            let chargeAmounts = Dictionary(uniqueKeysWithValues: charges.map { ($0.transactionID, $0.amountVND) })
            try await connection.query(
                """
                INSERT INTO remittance_charges (transaction_id, line_id, net_vnd)
                SELECT tid, lid, n
                FROM unnest(\(settled.map(\.1))::uuid[], \(settled.map(\.0))::uuid[],
                        \(settled.map { -(chargeAmounts[$0.1] ?? 0) })::int8[])
                    AS t (tid, lid, n)
                """,
                logger: logger)
            for (lineID, line) in zip(lineIDs, netting.lines) {
                try await writer.post(
                    Postings.remittanceSent(line.amountVND, supplier: line.supplierID),
                    .init(referenceID: lineID, memo: numbers.first ?? "", by: actor), on: connection)
            }
            try await AuditEntry(
                actorID: actor, action: "remittance.run", entityType: "remittance_batch", entityID: batchID.uuidString,
                requestID: requestID, details: ["lines": "\(netting.lines.count)"]
            ).record(on: connection, logger: logger)
            return try await RemittanceReader(logger: logger).load(batchID, on: connection)
        }
    }

    /// The latest runs, newest first (finance's list in the console).
    public func recent(limit: Int, caller: Caller) async throws -> [RemittanceSummary] {
        try caller.signedIn().require(.finance)
        return try await db.query(
            """
            SELECT b.id, b.number, b.cutoff_at, b.created_at, count(l.id)::int, coalesce(sum(l.amount_vnd), 0)::int8,
                   (count(*) FILTER (WHERE l.status = 'pending'))::int, (count(*) FILTER (WHERE l.status = 'paid'))::int,
                   (count(*) FILTER (WHERE l.status = 'failed'))::int
            FROM remittance_batches b LEFT JOIN remittance_lines l ON l.batch_id = b.id
            GROUP BY b.id ORDER BY b.created_at DESC, b.id DESC LIMIT \(limit)
            """,
            logger: logger
        ).decode((UUID, String, Date, Date, Int, Int64, Int, Int, Int).self).map {
            RemittanceSummary(
                id: $0.0, number: $0.1, cutoffAt: $0.2, createdAt: $0.3, lines: $0.4, totalVND: $0.5, pending: $0.6,
                paid: $0.7, failed: $0.8)
        }
    }

    public func get(_ id: UUID, caller: Caller) async throws -> RemittanceBatch {
        let principal = try caller.signedIn()
        try principal.require(.finance)
        return try await db.withConnection { connection in
            try await RemittanceReader(logger: logger).load(id, on: connection)
        }
    }

    /// Marks a line paid (with the bank's reference; a counter-cash line once paid out at the
    /// counter) or failed (its money goes back to the supplier's payable and its parcels to the next run).
    public func settle(
        batch batchID: UUID, line lineID: UUID, paid: Bool, reference: String?, reason: String?, caller: Caller
    ) async throws -> RemittanceBatch {
        let principal = try caller.signedIn()
        try principal.require(.finance)
        var v = Validator()
        if paid, let reference { v.text(reference, "bank_reference", max: 64) }
        if !paid {
            if let reason {
                // The document's `Reason`: up to 500 characters, line breaks allowed, not blank.
                v.paragraph(reason, "reason", min: 1, max: 500)
                v.check(!reason.allSatisfy(\.isWhitespace), "reason", "must not be empty")
            } else {
                v.fail("reason", "is required")
            }
        }
        try v.done()
        do {
            return try await db.withTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    """
                    SELECT l.status, l.amount_vnd, l.supplier_id, l.payout_method,
                        (SELECT post_office_id FROM post_office_communes WHERE commune_code = s.commune_code)
                    FROM remittance_lines l JOIN suppliers s ON s.id = l.supplier_id
                    WHERE l.id = \(lineID) AND l.batch_id = \(batchID) FOR UPDATE OF l
                    """,
                    logger: logger
                ).collect().decode((String, Int64, UUID, String, UUID?).self)
                guard let (status, amount, supplier, method, office) = rows.first else {
                    throw DomainError.notFound("No remittance line with this id.")
                }
                guard status == "pending" else {
                    throw DomainError.conflict(
                        kind: "invalid-transition", detail: "This line is already \(status).", currentState: status)
                }
                let writer = LedgerWriter(logger: logger)
                if paid {
                    if method == "bank_transfer" && reference == nil {
                        throw DomainError.invalid("bank_reference", "is required for a bank transfer")
                    }
                    let transaction =
                        method == "counter_cash" && office != nil
                        ? Postings.counterPaid(amount, postOffice: office ?? UUID())
                        : Postings.remittancePaid(amount)
                    try await writer.post(transaction, .init(referenceID: lineID, by: principal.userID), on: connection)
                } else {
                    try await writer.post(
                        Postings.remittanceFailed(amount, supplier: supplier),
                        .init(referenceID: lineID, memo: reason ?? "", by: principal.userID), on: connection)
                    try await connection.query(
                        "DELETE FROM remittance_parcels WHERE line_id = \(lineID)", logger: logger)
                    try await connection.query(
                        "DELETE FROM remittance_charges WHERE line_id = \(lineID)", logger: logger)
                }
                try await connection.query(
                    """
                    UPDATE remittance_lines SET status = \(paid ? "paid" : "failed"), bank_reference = \(reference),
                        failure_reason = \(reason), settled_at = now(), settled_by = \(principal.userID)
                    WHERE id = \(lineID)
                    """,
                    logger: logger)
                try await AuditEntry(
                    actorID: principal.userID, action: paid ? "remittance.paid" : "remittance.failed",
                    entityType: "remittance_line", entityID: lineID.uuidString, requestID: caller.requestID
                ).record(on: connection, logger: logger)
                return try await RemittanceReader(logger: logger).load(batchID, on: connection)
            }
        } catch let error as PSQLError where error.sqlState == "23505" {
            throw DomainError.conflict(kind: "duplicate-reference", detail: "Another line has this bank reference.")
        }
    }
}
