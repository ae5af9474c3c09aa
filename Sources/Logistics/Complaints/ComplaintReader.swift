import Foundation
import Kernel
import Logging
import PostgresNIO

/// The named reads of complaints: one complaint with its lines, a locked one's facts, and lists.
struct ComplaintReader: Sendable {
    let logger: Logger

    /// What a change needs of a complaint, read under its row lock.
    struct Locked: Sendable {
        var id: UUID
        var number: String
        var packageID: UUID
        var orderID: UUID
        var buyerID: UUID
        var supplierID: UUID
        var postOfficeID: UUID
        var sellerOfficeID: UUID
        var status: ComplaintStatus
        var liable: ComplaintLiability?
        var claimedVND: Int64
        var returnTrackingNo: String?
        var returnStatus: ReturnParcelStatus?
    }

    static let lockedColumns = """
        c.id, c.number, c.package_id, c.order_id, c.buyer_id, c.supplier_id, c.post_office_id, c.seller_office_id,
        c.status, c.liable, c.claimed_vnd, c.return_tracking_no, c.return_status
        """

    func locked(_ id: UUID, on connection: PostgresConnection) async throws -> Locked {
        let rows = try await connection.query(
            "SELECT \(unescaped: Self.lockedColumns) FROM complaints c WHERE c.id = \(id) FOR UPDATE",
            logger: logger
        ).collect()
        guard let row = rows.first else { throw DomainError.notFound("No complaint with this id.") }
        return try Self.locked(row)
    }

    static func locked(_ row: PostgresRow) throws -> Locked {
        let r = row.columns
        guard let status = ComplaintStatus(rawValue: try r.get("status")) else {
            throw DomainError.conflict(kind: "unknown-state", detail: "The complaint's state is not known here.")
        }
        return Locked(
            id: try r.get("id"), number: try r.get("number"), packageID: try r.get("package_id"),
            orderID: try r.get("order_id"), buyerID: try r.get("buyer_id"), supplierID: try r.get("supplier_id"),
            postOfficeID: try r.get("post_office_id"), sellerOfficeID: try r.get("seller_office_id"), status: status,
            liable: try r.get("liable", as: String?.self).flatMap(ComplaintLiability.init(rawValue:)),
            claimedVND: try r.get("claimed_vnd"), returnTrackingNo: try r.get("return_tracking_no"),
            returnStatus: try r.get("return_status", as: String?.self).flatMap(ReturnParcelStatus.init(rawValue:)))
    }

    static let select = """
        SELECT c.id, c.number, c.package_id, p.number AS package_number, c.order_id, o.number AS order_number,
            p.tracking_no, c.buyer_id, c.supplier_id, s.name AS supplier_name, c.post_office_id, c.reason, c.description,
            c.photo_urls, c.claimed_vnd, c.refund_bank_bin, c.refund_account_no, c.refund_account_name, c.status,
            c.respond_by, c.answer, c.answer_note, c.answered_at, c.decision, c.liable, c.decision_note, c.decided_at,
            c.return_goods, c.return_tracking_no, c.return_status, c.refund_vnd, c.created_at, c.updated_at,
            c.seller_office_id, c.return_at_office_id, COALESCE(p.dest_recipient_name, o.recipient_name) AS recipient_name,
            COALESCE(p.dest_phone, o.phone) AS buyer_phone, COALESCE(p.dest_address_line, o.address_line) AS buyer_address,
            COALESCE((SELECT m.full_name || ', ' || v.full_name FROM communes m JOIN provinces v ON v.code = m.province_code
                WHERE m.code = COALESCE(p.dest_commune_code, o.commune_code)), '') AS buyer_place,
            COALESCE(s.phone, '') AS seller_phone, COALESCE(s.address_line, '') AS seller_address,
            COALESCE((SELECT m.full_name || ', ' || v.full_name FROM communes m JOIN provinces v ON v.code = m.province_code
                WHERE m.code = s.commune_code), '') AS seller_place
        FROM complaints c JOIN packages p ON p.id = c.package_id JOIN orders o ON o.id = c.order_id
            JOIN suppliers s ON s.id = c.supplier_id
        """

    func load(_ id: UUID, on connection: PostgresConnection) async throws -> Complaint {
        let found = try await rows("\(unescaped: Self.select) WHERE c.id = \(id)", on: connection)
        guard let complaint = found.first else { throw DomainError.notFound("No complaint with this id.") }
        return complaint
    }

    /// Complaints with their lines (two statements, whatever the number).
    func rows(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [Complaint] {
        var complaints = try await connection.query(query, logger: logger).collect().map(Self.complaint)
        guard !complaints.isEmpty else { return [] }
        let lines = try await connection.query(
            """
            SELECT cl.complaint_id, cl.order_line_id, l.title, l.variant_name, cl.quantity, cl.amount_vnd
            FROM complaint_lines cl JOIN order_lines l ON l.id = cl.order_line_id
            WHERE cl.complaint_id = ANY(\(complaints.map(\.id)))
            ORDER BY cl.complaint_id, l.position
            """,
            logger: logger
        ).collect().decode((UUID, UUID, String, String, Int, Int64).self)
        let byComplaint = Dictionary(grouping: lines, by: \.0)
        for index in complaints.indices {
            complaints[index].lines = (byComplaint[complaints[index].id] ?? []).map {
                ComplaintLine(orderLineID: $0.1, title: $0.2, variantName: $0.3, quantity: $0.4, amountVND: $0.5)
            }
        }
        return complaints
    }

    static func complaint(_ row: PostgresRow) throws -> Complaint {
        let r = row.columns
        let bin: String? = try r.get("refund_bank_bin")
        let accountNo: String? = try r.get("refund_account_no")
        let accountName: String? = try r.get("refund_account_name")
        var account: RefundAccount?
        if let bin, let accountNo, let accountName {
            account = RefundAccount(bankBIN: bin, accountNo: accountNo, accountName: accountName)
        }
        return Complaint(
            id: try r.get("id"), number: try r.get("number"), packageID: try r.get("package_id"),
            packageNumber: try r.get("package_number"), orderID: try r.get("order_id"),
            orderNumber: try r.get("order_number"), trackingNo: try r.get("tracking_no"),
            buyerID: try r.get("buyer_id"), supplierID: try r.get("supplier_id"),
            supplierName: try r.get("supplier_name"),
            postOfficeID: try r.get("post_office_id"), sellerOfficeID: try r.get("seller_office_id"),
            reason: ComplaintReason(rawValue: try r.get("reason")) ?? .damaged, description: try r.get("description"),
            photoURLs: try r.get("photo_urls"), claimedVND: try r.get("claimed_vnd"), refundAccount: account,
            status: ComplaintStatus(rawValue: try r.get("status")) ?? .open, respondBy: try r.get("respond_by"),
            answer: try r.get("answer"), answerNote: try r.get("answer_note"), answeredAt: try r.get("answered_at"),
            decision: try r.get("decision"),
            liable: try r.get("liable", as: String?.self).flatMap(ComplaintLiability.init(rawValue:)),
            decisionNote: try r.get("decision_note"), decidedAt: try r.get("decided_at"),
            returnGoods: try r.get("return_goods"), returnTrackingNo: try r.get("return_tracking_no"),
            returnStatus: try r.get("return_status", as: String?.self).flatMap(ReturnParcelStatus.init(rawValue:)),
            returnAtPostOfficeID: try r.get("return_at_office_id"), refundVND: try r.get("refund_vnd"), lines: [],
            buyer: ComplaintParty(
                name: try r.get("recipient_name"), phone: try r.get("buyer_phone"),
                addressLine: try r.get("buyer_address"), place: try r.get("buyer_place")),
            seller: ComplaintParty(
                name: try r.get("supplier_name"), phone: try r.get("seller_phone"),
                addressLine: try r.get("seller_address"), place: try r.get("seller_place")),
            createdAt: try r.get("created_at"),
            updatedAt: try r.get("updated_at"))
    }
}
