import Catalog
import Foundation
import Kernel
import Logging
import PostgresNIO

/// A remittance line as its supplier sees it, with the parcels it paid for.
public struct SupplierRemittance: Sendable, Equatable {
    public var batchID: UUID
    public var batchNumber: String
    public var lineID: UUID
    public var amountVND: Int64
    public var status: String
    public var bankReference: String?
    public var createdAt: Date
    public var parcels: [(packageID: UUID, trackingNo: String?, netVND: Int64)]

    public static func == (lhs: SupplierRemittance, rhs: SupplierRemittance) -> Bool {
        lhs.lineID == rhs.lineID && lhs.status == rhs.status
    }
}

extension RemittanceService {
    /// The supplier's producers and finance see its remittances (newest first, at most 200).
    public func lines(of supplier: SupplierScope, caller: Caller) async throws -> [SupplierRemittance] {
        let principal = try caller.signedIn()
        try principal.require(.producer, .finance)
        guard principal.has(.finance) || principal.isMember(of: supplier) else {
            throw DomainError.notFound("No supplier with this id.")
        }
        return try await db.withConnection { connection in
            let lines = try await connection.query(
                """
                SELECT b.id, b.number, l.id, l.amount_vnd, l.status, l.bank_reference, b.created_at
                FROM remittance_lines l JOIN remittance_batches b ON b.id = l.batch_id
                WHERE l.supplier_id = \(supplier.id)
                ORDER BY b.created_at DESC, l.id LIMIT 200
                """,
                logger: logger
            ).collect().decode((UUID, String, UUID, Int64, String, String?, Date).self)
            let parcels = try await connection.query(
                """
                SELECT r.line_id, r.package_id, p.tracking_no, r.net_vnd FROM remittance_parcels r
                    JOIN packages p ON p.id = r.package_id
                WHERE r.line_id = ANY(\(lines.map(\.2))) ORDER BY p.tracking_no
                """,
                logger: logger
            ).collect().decode((UUID, UUID, String?, Int64).self)
            let byLine = Dictionary(grouping: parcels, by: \.0)
            return lines.map { line in
                SupplierRemittance(
                    batchID: line.0, batchNumber: line.1, lineID: line.2, amountVND: line.3, status: line.4,
                    bankReference: line.5, createdAt: line.6,
                    parcels: (byLine[line.2] ?? []).map { (packageID: $0.1, trackingNo: $0.2, netVND: $0.3) })
            }
        }
    }
}
