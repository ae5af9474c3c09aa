import Foundation
import Kernel
import PostgresNIO

extension ComplaintService {
    /// One complaint, for whoever has a part in it: its buyer, the seller's producers, the clerks and
    /// couriers of the two offices (the decision, the goods coming back), finance (the refund) and admins.
    /// Anybody else finds none.
    public func get(_ id: UUID, caller: Caller) async throws -> Complaint {
        let principal = try caller.signedIn()
        let complaint = try await db.withConnection { connection in
            try await ComplaintReader(logger: logger).load(id, on: connection)
        }
        guard
            principal.isAdmin || principal.has(.finance) || complaint.buyerID == principal.userID
                || principal.supplierIDs.contains(complaint.supplierID)
                || [complaint.postOfficeID, complaint.sellerOfficeID].contains(where: {
                    principal.worksAt(postOffice: $0, as: .clerk, .courier)
                })
        else { throw DomainError.notFound("No complaint with this id.") }
        return complaint
    }

    /// The complaints the caller has a part in (as `get`), newest first, optionally of one status.
    public func list(status: ComplaintStatus?, limit: Int, after cursor: PageCursor?, caller: Caller) async throws
        -> (items: [Complaint], next: PageCursor?)
    {
        let principal = try caller.signedIn()
        let everything = principal.isAdmin || principal.has(.finance)
        let offices = Array(principal.postOfficeIDs(as: .clerk).union(principal.postOfficeIDs(as: .courier)))
        var binds = PostgresBindings()
        binds.append(everything)
        binds.append(principal.userID)
        binds.append(Array(principal.supplierIDs))
        binds.append(offices)
        binds.append(status?.rawValue)
        let after = try PageCursor.timeCondition(
            after: cursor, timeColumn: "c.created_at", idColumn: "c.id", descending: true, binds: &binds)
        return try await db.withConnection { connection in
            let rows = try await ComplaintReader(logger: logger).rows(
                PostgresQuery(
                    unsafeSQL: """
                        \(ComplaintReader.select)
                        WHERE ($1::boolean OR c.buyer_id = $2 OR c.supplier_id = ANY($3::uuid[])
                                OR c.post_office_id = ANY($4::uuid[]) OR c.seller_office_id = ANY($4::uuid[]))
                            AND ($5::text IS NULL OR c.status = $5::text)\(after)
                        ORDER BY c.created_at DESC, c.id DESC LIMIT \(limit + 1)
                        """, binds: binds),
                on: connection)
            let page = PageCursor.page(rows, limit: limit) { PageCursor.after(time: $0.createdAt, id: $0.id) }
            return (page.items, page.next)
        }
    }

    /// The complaint of a package, if any, for a page that shows the package (same visibility as `get`).
    public func forPackage(_ packageID: UUID, caller: Caller) async throws -> Complaint? {
        let ids = try await db.query(
            "SELECT id FROM complaints WHERE package_id = \(packageID)", logger: logger
        ).decode(UUID.self)
        guard let id = ids.first else { return nil }
        return try await get(id, caller: caller)
    }

    /// What the buyer may complain about in a delivered package of theirs: its lines with their windows, and
    /// when it was delivered (the shop's complaint form). Not the buyer's: not found; not delivered: 409.
    public func claimable(package id: UUID, caller: Caller) async throws -> (deliveredAt: Date, lines: [DeliveredLine])
    {
        let principal = try caller.signedIn()
        return try await db.withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT p.status, p.delivered_at, o.buyer_id FROM packages p JOIN orders o ON o.id = p.order_id
                WHERE p.id = \(id)
                """,
                logger: logger
            ).collect().decode((String, Date?, UUID).self)
            guard let (status, deliveredAt, buyer) = rows.first, buyer == principal.userID else {
                throw DomainError.notFound("No package with this id.")
            }
            guard status == "delivered", let deliveredAt else {
                throw DomainError.conflict(
                    kind: "invalid-transition", detail: "Only a delivered package can be complained of.",
                    currentState: status)
            }
            return (deliveredAt, try await deliveredLines(id, on: connection))
        }
    }
}
