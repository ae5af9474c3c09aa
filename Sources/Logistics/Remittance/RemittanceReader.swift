import Foundation
import Kernel
import Logging
import PostgresNIO

struct RemittanceReader: Sendable {
    let logger: Logger

    func load(_ id: UUID, on connection: PostgresConnection) async throws -> RemittanceBatch {
        let heads = try await connection.query(
            "SELECT number, cutoff_at, created_at FROM remittance_batches WHERE id = \(id)", logger: logger
        ).collect().decode((String, Date, Date).self)
        guard let head = heads.first else { throw DomainError.notFound("No remittance batch with this id.") }
        let lines = try await connection.query(
            """
            SELECT l.id, l.line_no, l.supplier_id, s.name, COALESCE(s.phone, '') AS phone, l.payout_method, l.bank_bin,
                b.short_name AS bank_name, l.account_no, l.account_name, l.amount_vnd, l.parcel_count, l.status,
                l.bank_reference, l.failure_reason, po.name AS post_office_name
            FROM remittance_lines l JOIN suppliers s ON s.id = l.supplier_id LEFT JOIN banks b ON b.bin = l.bank_bin
                LEFT JOIN post_office_communes pc ON pc.commune_code = s.commune_code
                LEFT JOIN post_offices po ON po.id = pc.post_office_id
            WHERE l.batch_id = \(id) ORDER BY l.line_no
            """,
            logger: logger
        ).collect()
        return RemittanceBatch(
            id: id, number: head.0, cutoffAt: head.1, createdAt: head.2,
            lines: try lines.map { row in
                let r = row.columns
                let lineNo: Int = try r.get("line_no")
                return RemittanceLine(
                    id: try r.get("id"), lineNo: lineNo, supplierID: try r.get("supplier_id"),
                    supplierName: try r.get("name"), supplierPhone: try r.get("phone"),
                    payoutMethod: try r.get("payout_method"), bankBIN: try r.get("bank_bin"),
                    bankName: try r.get("bank_name"), accountNo: try r.get("account_no"),
                    accountName: try r.get("account_name"), amountVND: try r.get("amount_vnd"),
                    parcelCount: try r.get("parcel_count"), status: try r.get("status"),
                    bankReference: try r.get("bank_reference"), failureReason: try r.get("failure_reason"),
                    postOfficeName: try r.get("post_office_name"),
                    description: "\(head.0) L\(lineNo) CHO BUU DIEN")
            })
    }
}
