import Foundation
import Kernel
import Logging
import PostgresNIO

public enum ReconciliationGrouping: String, Sendable, CaseIterable {
    case postOffice = "post_office"
    case courier
    case supplier
}

/// One group's money over a period: what buyers owed on delivered COD parcels, what couriers
/// collected and handed over, what went to sellers, what is still out, what is unexplained.
public struct ReconciliationRow: Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var parcels: Int
    public var expectedCODVND: Int64
    public var collectedVND: Int64
    public var handedOverVND: Int64
    public var remittedVND: Int64
    /// Collected and not yet at the counter.
    public var outstandingVND: Int64
    public var openDiscrepancies: Int
    public var openDiscrepancyVND: Int64
}

public struct ReconciliationStore: Sendable {
    let db: Database
    let logger: Logger

    public init(db: Database, logger: Logger) {
        self.db = db
        self.logger = logger
    }

    /// COD parcels delivered in [from, to), grouped. Finance only.
    public func report(from: Date, to: Date, groupBy: ReconciliationGrouping, caller: Caller) async throws
        -> [ReconciliationRow]
    {
        let principal = try caller.signedIn()
        try principal.require(.finance)
        guard from < to else { throw DomainError.invalid("to", "must be after from") }
        guard to.timeIntervalSince(from) <= 366 * 86400 else {
            throw DomainError.invalid("to", "a report covers at most a year")
        }
        let key: String
        let name: String
        let discrepancyKey: String
        switch groupBy {
        case .postOffice:
            (key, name, discrepancyKey) = (
                "p.delivery_post_office_id", "(SELECT name FROM post_offices WHERE id = g.key)", "d.post_office_id"
            )
        case .courier:
            (key, name, discrepancyKey) = (
                "t.created_by", "(SELECT display_name FROM users WHERE id = g.key)", "d.courier_id"
            )
        case .supplier:
            (key, name, discrepancyKey) = (
                "p.supplier_id", "(SELECT name FROM suppliers WHERE id = g.key)",
                "(SELECT supplier_id FROM packages WHERE id = d.package_id)"
            )
        }
        return try await db.withConnection { connection in
            try await connection.query(
                """
                WITH delivered AS (
                    SELECT \(unescaped: key) AS key, p.cod_amount_vnd AS expected,
                        COALESCE(p.cod_collected_vnd, 0) AS collected,
                        CASE WHEN h.package_id IS NOT NULL THEN COALESCE(p.cod_collected_vnd, 0) ELSE 0 END AS handed,
                        COALESCE(rp.net_vnd, 0) AS remitted
                    FROM packages p JOIN ledger_transactions t ON t.package_id = p.id AND t.kind = 'cod_collection'
                        LEFT JOIN handover_parcels h ON h.package_id = p.id
                        LEFT JOIN remittance_parcels rp ON rp.package_id = p.id
                    WHERE p.delivered_at >= \(from) AND p.delivered_at < \(to)
                ), g AS (
                    SELECT key, count(*)::int AS parcels, sum(expected)::int8 AS expected, sum(collected)::int8 AS collected,
                        sum(handed)::int8 AS handed, sum(remitted)::int8 AS remitted
                    FROM delivered WHERE key IS NOT NULL GROUP BY key
                ), open AS (
                    SELECT \(unescaped: discrepancyKey) AS key, count(*)::int AS n, sum(d.amount_vnd)::int8 AS amount
                    FROM cod_discrepancies d
                    WHERE d.status = 'open' AND d.business_day >= (\(from) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                        AND d.business_day <= (\(to) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                    GROUP BY 1
                )
                SELECT g.key, COALESCE(\(unescaped: name), '') AS name, g.parcels, g.expected, g.collected, g.handed,
                    g.remitted, COALESCE(open.n, 0) AS open_n, COALESCE(open.amount, 0) AS open_amount
                FROM g LEFT JOIN open ON open.key = g.key
                ORDER BY COALESCE(\(unescaped: name), '') COLLATE vietnamese, g.key
                """,
                logger: logger
            ).collect().decode((UUID, String, Int, Int64, Int64, Int64, Int64, Int, Int64).self).map {
                ReconciliationRow(
                    id: $0.0, name: $0.1, parcels: $0.2, expectedCODVND: $0.3, collectedVND: $0.4, handedOverVND: $0.5,
                    remittedVND: $0.6, outstandingVND: $0.4 - $0.5, openDiscrepancies: $0.7, openDiscrepancyVND: $0.8)
            }
        }
    }

    public static func csv(_ rows: [ReconciliationRow], groupBy: ReconciliationGrouping) -> String {
        var out = ManifestCSV.row(
            [
                "\(groupBy.rawValue)_id", "name", "parcels", "expected_cod_vnd", "collected_vnd", "handed_over_vnd",
                "remitted_vnd", "outstanding_vnd", "open_discrepancies", "open_discrepancy_vnd",
            ])
        for r in rows {
            out += ManifestCSV.row(
                [
                    r.id.uuidString.lowercased(), ManifestCSV.text(r.name), String(r.parcels), String(r.expectedCODVND),
                    String(r.collectedVND), String(r.handedOverVND), String(r.remittedVND), String(r.outstandingVND),
                    String(r.openDiscrepancies), String(r.openDiscrepancyVND),
                ])
        }
        return out
    }
}

extension ReconciliationRow {
    /// The rows added up: a report's total line (its id is the nil UUID).
    public static func total(of rows: [ReconciliationRow], name: String) -> ReconciliationRow {
        var total = ReconciliationRow(
            id: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), name: name, parcels: 0,
            expectedCODVND: 0, collectedVND: 0, handedOverVND: 0, remittedVND: 0, outstandingVND: 0,
            openDiscrepancies: 0, openDiscrepancyVND: 0)
        for row in rows {
            total.parcels += row.parcels
            total.expectedCODVND += row.expectedCODVND
            total.collectedVND += row.collectedVND
            total.handedOverVND += row.handedOverVND
            total.remittedVND += row.remittedVND
            total.outstandingVND += row.outstandingVND
            total.openDiscrepancies += row.openDiscrepancies
            total.openDiscrepancyVND += row.openDiscrepancyVND
        }
        return total
    }
}
