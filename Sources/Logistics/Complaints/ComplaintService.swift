import Foundation
import Kernel
import Logging
import Orders
import PostgresNIO

/// Complaints after delivery (SPEC §5): the buyer files one per package; the seller accepts or disputes
/// by `respond_by` (else it is accepted); a clerk of the delivering office decides a dispute; a refund is
/// owed through the books the moment it is granted, or when the goods asked back are picked up.
public struct ComplaintService: Sendable {
    let db: Database
    let logger: Logger
    /// How long a seller has to answer before the complaint is accepted for them.
    let responseWindow: TimeInterval

    public init(db: Database, logger: Logger, responseWindow: TimeInterval = 48 * 3600) {
        self.db = db
        self.logger = logger
        self.responseWindow = responseWindow
    }

    /// The buyer of the order complains about a delivered package (201 with the complaint).
    public func open(package id: UUID, _ new: NewComplaint, caller: Caller, now: Date = Date()) async throws
        -> Complaint
    {
        let principal = try caller.signedIn()
        try principal.require(.buyer)
        do {
            return try await db.withTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    """
                    SELECT p.status, p.delivered_at, p.supplier_id, p.order_id, o.buyer_id, p.delivery_post_office_id,
                        p.pickup_post_office_id
                    FROM packages p JOIN orders o ON o.id = p.order_id WHERE p.id = \(id) FOR UPDATE OF p
                    """,
                    logger: logger
                ).collect().decode((String, Date?, UUID, UUID, UUID, UUID?, UUID?).self)
                guard let (status, deliveredAt, supplier, order, buyer, deliveryOffice, pickupOffice) = rows.first,
                    buyer == principal.userID || principal.isAdmin
                else { throw DomainError.notFound("No package with this id.") }
                guard status == "delivered", let deliveredAt, let deliveryOffice, let pickupOffice else {
                    throw DomainError.conflict(
                        kind: "invalid-transition", detail: "Only a delivered package can be complained of.",
                        currentState: status)
                }
                let delivered = try await deliveredLines(id, on: connection)
                let lines = try ComplaintRules.claimed(new.lines, of: delivered, deliveredAt: deliveredAt, now: now)
                let complaintID = UUID.timeOrdered()
                let claimed = lines.reduce(Int64(0)) { $0 + $1.amountVND }
                try await connection.query(
                    """
                    INSERT INTO complaints (id, number, package_id, order_id, buyer_id, supplier_id, post_office_id,
                        seller_office_id, reason, description, photo_urls, claimed_vnd, refund_bank_bin,
                        refund_account_no, refund_account_name, respond_by, created_at, updated_at)
                    VALUES (\(complaintID), 'KN' || to_char(\(now) AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD')
                            || lpad(nextval('complaint_number_seq')::text, 4, '0'),
                        \(id), \(order), \(buyer), \(supplier), \(deliveryOffice), \(pickupOffice),
                        \(new.reason.rawValue), \(new.description), \(new.photoURLs), \(claimed),
                        \(new.refundAccount?.bankBIN), \(new.refundAccount?.accountNo),
                        \(new.refundAccount?.accountName), \(now.addingTimeInterval(responseWindow)), \(now), \(now))
                    """,
                    logger: logger)
                try await connection.query(
                    """
                    INSERT INTO complaint_lines (complaint_id, order_line_id, quantity, amount_vnd)
                    SELECT \(complaintID), t.line, t.quantity, t.amount
                    FROM unnest(\(lines.map(\.orderLineID))::uuid[], \(lines.map(\.quantity))::int[],
                        \(lines.map(\.amountVND))::int8[]) AS t (line, quantity, amount)
                    """,
                    logger: logger)
                try await AuditEntry(
                    actorID: principal.userID, action: "complaint.opened", entityType: "complaint",
                    entityID: complaintID.uuidString.lowercased(), requestID: caller.requestID,
                    details: ["package_id": id.uuidString.lowercased(), "claimed_vnd": String(claimed)]
                ).record(on: connection, logger: logger)
                try await Outbox.add(
                    topic: "complaint.opened", aggregateType: "package", id: id,
                    payload: [
                        "complaint_id": complaintID.uuidString.lowercased(), "claimed_vnd": String(claimed),
                        "respond_by": String(Int(now.addingTimeInterval(responseWindow).timeIntervalSince1970)),
                    ],
                    on: connection, logger: logger)
                return try await ComplaintReader(logger: logger).load(complaintID, on: connection)
            }
        } catch let error as PSQLError where error.sqlState == "23505" {
            throw DomainError.conflict(
                kind: "complaint-exists",
                detail: "This package already has a complaint: add to it by talking to the seller or the post office.")
        }
    }

    /// The seller's answer: accept (with the goods coming back or not) or dispute, with a note (required
    /// to dispute). A producer of the seller only, and never the buyer of the order.
    public func answer(
        _ id: UUID, accept: Bool, returnGoods: Bool, note: String?, caller: Caller, now: Date = Date()
    ) async throws -> Complaint {
        let principal = try caller.signedIn()
        try principal.require(.producer)
        var v = Validator()
        if let note { v.paragraph(note, "note", min: 1, max: 2000) }
        if !accept {
            v.check(note.map { !$0.allSatisfy(\.isWhitespace) } ?? false, "note", "must say why the seller disputes it")
            v.check(!returnGoods, "return_goods", "is only for accepting")
        }
        try v.done()
        return try await db.withTransaction(logger: logger) { connection in
            let current = try await lockVisible(id, on: connection) { principal.actsFor(supplier: $0.supplierID) }
            guard current.buyerID != principal.userID else {
                throw DomainError.forbidden("Nobody answers a complaint about their own order.")
            }
            let action: ComplaintAction = accept ? .accept(returnGoods: returnGoods) : .dispute
            try await move(
                current, action, by: principal.userID, requestID: caller.requestID, note: note, now: now,
                on: connection)
            return try await ComplaintReader(logger: logger).load(id, on: connection)
        }
    }

    /// A clerk of the delivering office decides a disputed complaint: a refund paid by the seller (the goods
    /// may come back) or by the post office when transport caused it, or no refund. Never a member of the
    /// seller, never the buyer.
    public func decide(
        _ id: UUID, refund: Bool, liable: ComplaintLiability?, returnGoods: Bool, note: String, caller: Caller,
        now: Date = Date()
    ) async throws -> Complaint {
        let principal = try caller.signedIn()
        try principal.require(.clerk)
        var v = Validator()
        v.paragraph(note, "note", min: 1, max: 2000)
        v.check(!note.allSatisfy(\.isWhitespace), "note", "must give the reason for the decision")
        if refund {
            v.check(liable != nil, "liable", "is required for a refund: seller or post_office")
            v.check(!returnGoods || liable == .seller, "return_goods", "is only when the seller pays the refund")
        } else {
            v.check(liable == nil, "liable", "is only for a refund")
            v.check(!returnGoods, "return_goods", "is only for a refund")
        }
        try v.done()
        return try await db.withTransaction(logger: logger) { connection in
            let current = try await lockVisible(id, on: connection) {
                principal.worksAt(postOffice: $0.postOfficeID, as: .clerk)
            }
            guard !principal.supplierIDs.contains(current.supplierID), current.buyerID != principal.userID else {
                throw DomainError.forbidden(
                    "A clerk who is the buyer or a member of the seller cannot decide this complaint.")
            }
            let action: ComplaintAction =
                refund ? .decideRefund(liable: liable ?? .seller, returnGoods: returnGoods) : .decideReject
            try await move(
                current, action, by: principal.userID, requestID: caller.requestID, note: note, now: now,
                on: connection)
            return try await ComplaintReader(logger: logger).load(id, on: connection)
        }
    }

    /// Complaints nobody answered by their deadline are accepted as the buyer asked (the worker's round).
    /// Claimed with SKIP LOCKED, so any number of workers share the work.
    @discardableResult
    public func acceptOverdue(now: Date = Date(), limit: Int = 100) async throws -> Int {
        try await db.withTransaction(logger: logger) { connection in
            let due = try await connection.query(
                """
                SELECT id FROM complaints WHERE status = 'open' AND respond_by <= \(now)
                ORDER BY respond_by LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """,
                logger: logger
            ).collect().decode(UUID.self)
            for id in due {
                let current = try await ComplaintReader(logger: logger).locked(id, on: connection)
                try await move(current, .acceptByDeadline, by: nil, requestID: nil, note: nil, now: now, on: connection)
            }
            return due.count
        }
    }

    /// The package's lines with the complaint window of each (its category's, else its group's, else 7 days).
    func deliveredLines(_ package: UUID, on connection: PostgresConnection) async throws -> [DeliveredLine] {
        try await connection.query(
            """
            SELECT l.id, l.title, l.variant_name, l.quantity, l.unit_price_vnd,
                COALESCE(c.complaint_window_days, g.complaint_window_days, 7)
            FROM order_lines l JOIN products pr ON pr.id = l.product_id
                JOIN categories c ON c.code = pr.category_code JOIN categories g ON g.code = pr.category_group
            WHERE l.package_id = \(package) ORDER BY l.position
            """,
            logger: logger
        ).collect().decode((UUID, String, String, Int, Int64, Int).self).map {
            DeliveredLine(
                orderLineID: $0.0, title: $0.1, variantName: $0.2, quantity: $0.3, unitPriceVND: $0.4, windowDays: $0.5)
        }
    }

    /// Locks the complaint; one the caller may not see (`visible` false) is not found.
    func lockVisible(
        _ id: UUID, on connection: PostgresConnection, visible: (ComplaintReader.Locked) -> Bool
    ) async throws -> ComplaintReader.Locked {
        let current = try await ComplaintReader(logger: logger).locked(id, on: connection)
        guard visible(current) else { throw DomainError.notFound("No complaint with this id.") }
        return current
    }

    /// Applies `action`: the new state, the refund in the books when it becomes owed, a return parcel's
    /// number when the goods are to come back, the audit trail and the outbox.
    func move(
        _ current: ComplaintReader.Locked, _ action: ComplaintAction, by actor: UUID?, requestID: String?,
        note: String?, now: Date, on connection: PostgresConnection
    ) async throws {
        guard
            let next = ComplaintRules.apply(action, to: current.status, returnStatus: current.returnStatus)
        else {
            throw DomainError.conflict(
                kind: "invalid-transition",
                detail: "Complaint \(current.number) is \(current.status.rawValue): this cannot be done now.",
                currentState: current.status.rawValue)
        }
        var returnTracking = current.returnTrackingNo
        var returnStatus = current.returnStatus
        var liable = current.liable
        switch action {
        case .accept(let back), .decideRefund(_, let back):
            if case .decideRefund(let who, _) = action { liable = who } else { liable = .seller }
            if back {
                returnTracking = try await ParcelRegistry.allocate(.prepaid, on: connection, logger: logger)
                returnStatus = .awaitingPickup
            }
        case .acceptByDeadline: liable = .seller
        case .returnPickedUp: returnStatus = .pickedUp
        case .returnDelivered: returnStatus = .delivered
        case .dispute, .decideReject: break
        }
        let owes = ComplaintRules.owesRefund(action, after: next)
        let (answer, decision): (String?, String?) =
            switch action {
            case .accept: ("accepted", nil)
            case .dispute: ("disputed", nil)
            case .acceptByDeadline: ("accepted_by_deadline", nil)
            case .decideRefund: (nil, "refund")
            case .decideReject: (nil, "reject")
            case .returnPickedUp, .returnDelivered: (nil, nil)
            }
        try await connection.query(
            """
            UPDATE complaints SET status = \(next.rawValue), liable = \(liable?.rawValue),
                return_goods = return_goods OR \(returnTracking != nil), return_tracking_no = \(returnTracking),
                return_status = \(returnStatus?.rawValue),
                return_at_office_id = CASE WHEN \(returnStatus == .pickedUp) THEN COALESCE(return_at_office_id,
                    post_office_id) ELSE return_at_office_id END,
                refund_vnd = CASE WHEN \(owes) THEN claimed_vnd ELSE refund_vnd END,
                answer = COALESCE(\(answer), answer),
                answer_note = CASE WHEN \(answer)::text IS NULL THEN answer_note ELSE \(note) END,
                answered_by = CASE WHEN \(answer)::text IS NULL THEN answered_by ELSE \(actor) END,
                answered_at = CASE WHEN \(answer)::text IS NULL THEN answered_at ELSE \(now) END,
                decision = COALESCE(\(decision), decision),
                decision_note = CASE WHEN \(decision)::text IS NULL THEN decision_note ELSE \(note) END,
                decided_by = CASE WHEN \(decision)::text IS NULL THEN decided_by ELSE \(actor) END,
                decided_at = CASE WHEN \(decision)::text IS NULL THEN decided_at ELSE \(now) END,
                updated_at = \(now)
            WHERE id = \(current.id)
            """,
            logger: logger)
        if owes {
            let transaction =
                liable == .postOffice
                ? Postings.transportClaim(current.claimedVND, postOffice: current.postOfficeID)
                : Postings.complaintRefund(current.claimedVND, supplier: current.supplierID)
            try await LedgerWriter(logger: logger).post(
                transaction,
                .init(
                    packageID: current.packageID, orderID: current.orderID, referenceID: current.id,
                    memo: current.number, by: actor),
                on: connection)
        }
        var details = ["status": next.rawValue]
        if let liable { details["liable"] = liable.rawValue }
        if let returnTracking { details["return_tracking_no"] = returnTracking }
        if owes { details["refund_vnd"] = String(current.claimedVND) }
        let verb: String =
            switch action {
            case .accept, .acceptByDeadline: "accepted"
            case .dispute: "disputed"
            case .decideRefund, .decideReject: "decided"
            case .returnPickedUp: "return_picked_up"
            case .returnDelivered: "return_delivered"
            }
        try await AuditEntry(
            actorID: actor, action: "complaint.\(verb)", entityType: "complaint",
            entityID: current.id.uuidString.lowercased(), requestID: requestID, details: details
        ).record(on: connection, logger: logger)
        var payload = ["complaint_id": current.id.uuidString.lowercased(), "status": next.rawValue]
        if owes { payload["refund_vnd"] = String(current.claimedVND) }
        if let returnTracking { payload["return_tracking_no"] = returnTracking }
        if let liable { payload["liable"] = liable.rawValue }
        // The clerks who are to decide a dispute read the amount (they are found when notified).
        if case .dispute = action { payload["claimed_vnd"] = String(current.claimedVND) }
        try await Outbox.add(
            topic: "complaint.\(verb)", aggregateType: "package", id: current.packageID, payload: payload,
            on: connection, logger: logger)
    }
}
