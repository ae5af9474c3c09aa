import Foundation
import Kernel
import Orders
import PostgresNIO

extension ComplaintService {
    /// A scan of goods coming back for a complaint, sent to the same scan endpoint as any parcel's: picked
    /// up from the buyer by a courier or clerk of the delivering office (the refund is owed then), scanned in
    /// at the seller's office when that is another (`arrived_at_hub`: its pickup rounds may then hand them
    /// back), delivered to the seller by one of the seller's office. Idempotent on the client event id. A
    /// delivery that arrives before its pickup (an offline device) records both. Nil when no complaint has
    /// this number.
    func recordReturnScan(
        trackingNo: String, _ input: ScanInput, principal: Principal, requestID: String?, now: Date
    ) async throws -> ScanResult? {
        guard
            let id = try await db.query(
                "SELECT id FROM complaints WHERE return_tracking_no = \(trackingNo)", logger: logger
            ).decode(UUID.self).first
        else { return nil }
        var v = Validator()
        v.check(
            input.occurredAt <= now.addingTimeInterval(ScanInput.clockSkew), "occurred_at", "is in the future")
        v.check(
            input.occurredAt >= now.addingTimeInterval(-ScanInput.oldestAccepted), "occurred_at",
            "is more than 30 days ago")
        if input.type == .delivered {
            // The seller signs for them: a name, no delivery code and no cash.
            if let name = input.recipientName {
                v.text(name, "recipient_name", max: 100)
            } else {
                v.fail("recipient_name", "is required for delivered")
            }
        }
        try v.done()
        do {
            return try await db.withTransaction(logger: logger) { connection -> ScanResult? in
                let current = try await ComplaintReader(logger: logger).locked(id, on: connection)
                let replays = try await connection.query(
                    """
                    SELECT e.id, e.complaint_id, e.type, e.occurred_at, e.received_at FROM complaint_return_events e
                    WHERE e.client_event_id = \(input.clientEventID)
                    """,
                    logger: logger
                ).collect().decode((UUID, UUID, String, Date, Date).self)
                if let replay = replays.first {
                    guard replay.1 == id, replay.2 == input.type.rawValue else {
                        throw DomainError.unprocessable(
                            kind: "client-event-id-reused", detail: "This client_event_id was used for another scan.")
                    }
                    return result(
                        .replayed, eventID: replay.0, input, type: input.type, occurredAt: replay.3,
                        receivedAt: replay.4, trackingNo: trackingNo, status: current.returnStatus)
                }
                if input.type == .arrivedAtHub {
                    return try await recordArrival(
                        current, trackingNo: trackingNo, input, principal: principal, requestID: requestID, now: now,
                        on: connection)
                }
                let office = input.type == .pickedUp ? current.postOfficeID : current.sellerOfficeID
                guard principal.worksAt(postOffice: office, as: .courier, .clerk) else {
                    throw DomainError.forbidden(
                        input.type == .pickedUp
                            ? "Goods coming back are picked up from the buyer by the delivering post office."
                            : "Goods coming back are delivered to the seller by the seller's post office.")
                }
                var actions: [(ScanType, ComplaintAction)] = []
                switch (input.type, current.returnStatus) {
                case (.pickedUp, .awaitingPickup?): actions = [(.pickedUp, .returnPickedUp)]
                case (.delivered, .pickedUp?): actions = [(.delivered, .returnDelivered)]
                case (.delivered, .awaitingPickup?):
                    actions = [(.pickedUp, .returnPickedUp), (.delivered, .returnDelivered)]
                default:
                    throw DomainError.conflict(
                        kind: "invalid-transition",
                        detail: "Parcel \(trackingNo) brings a complaint's goods back: it is only picked up from the "
                            + "buyer, then delivered to the seller; it is \(current.returnStatus?.rawValue ?? "not due").",
                        currentState: current.returnStatus?.rawValue)
                }
                var state = current
                var eventID = UUID()
                for (type, action) in actions {
                    eventID = UUID.timeOrdered()
                    // The implied pickup takes a fresh client id; the device's own id stays on its scan.
                    let clientID = type == input.type ? input.clientEventID : UUID()
                    try await connection.query(
                        """
                        INSERT INTO complaint_return_events (id, complaint_id, client_event_id, type, occurred_at,
                            received_at, post_office_id, recorded_by)
                        VALUES (\(eventID), \(id), \(clientID), \(type.rawValue), \(input.occurredAt), \(now),
                            \(type == .pickedUp ? current.postOfficeID : current.sellerOfficeID), \(principal.userID))
                        """,
                        logger: logger)
                    try await move(
                        state, action, by: principal.userID, requestID: requestID, note: nil, now: now,
                        on: connection)
                    state = try await ComplaintReader(logger: logger).locked(id, on: connection)
                }
                return result(
                    .applied, eventID: eventID, input, type: input.type, occurredAt: input.occurredAt, receivedAt: now,
                    trackingNo: trackingNo, status: state.returnStatus)
            }
        } catch let error as PSQLError where error.sqlState == "23505" {
            throw DomainError.unprocessable(
                kind: "client-event-id-reused", detail: "This client_event_id was used for another scan.")
        }
    }

    /// The goods reach the seller's post office: from then its pickup rounds take them to the seller.
    private func recordArrival(
        _ current: ComplaintReader.Locked, trackingNo: String, _ input: ScanInput, principal: Principal,
        requestID: String?, now: Date, on connection: PostgresConnection
    ) async throws -> ScanResult {
        guard principal.worksAt(postOffice: current.sellerOfficeID, as: .courier, .clerk) else {
            throw DomainError.forbidden("Goods coming back are scanned in at the seller's post office.")
        }
        let arrived = try await connection.query(
            "SELECT 1 FROM complaint_return_events WHERE complaint_id = \(current.id) AND type = 'arrived_at_hub'",
            logger: logger
        ).collect()
        guard current.returnStatus == .pickedUp, arrived.isEmpty else {
            throw DomainError.conflict(
                kind: "invalid-transition",
                detail: current.returnStatus == .pickedUp
                    ? "Parcel \(trackingNo) was already scanned in at the seller's post office."
                    : "Parcel \(trackingNo) brings a complaint's goods back: it is scanned in at the seller's post "
                        + "office after its pickup and before its delivery; it is "
                        + "\(current.returnStatus?.rawValue ?? "not due").",
                currentState: current.returnStatus?.rawValue)
        }
        let eventID = UUID.timeOrdered()
        try await connection.query(
            """
            INSERT INTO complaint_return_events (id, complaint_id, client_event_id, type, occurred_at, received_at,
                post_office_id, recorded_by)
            VALUES (\(eventID), \(current.id), \(input.clientEventID), 'arrived_at_hub', \(input.occurredAt), \(now),
                \(current.sellerOfficeID), \(principal.userID))
            """,
            logger: logger)
        try await connection.query(
            """
            UPDATE complaints SET return_at_office_id = seller_office_id, updated_at = \(now) WHERE id = \(current.id)
            """,
            logger: logger)
        try await AuditEntry(
            actorID: principal.userID, action: "complaint.return_arrived", entityType: "complaint",
            entityID: current.id.uuidString.lowercased(), requestID: requestID,
            details: ["post_office_id": current.sellerOfficeID.uuidString.lowercased()]
        ).record(on: connection, logger: logger)
        return result(
            .applied, eventID: eventID, input, type: .arrivedAtHub, occurredAt: input.occurredAt, receivedAt: now,
            trackingNo: trackingNo, status: current.returnStatus)
    }

    /// Answers like any parcel's scan; the goods' states map onto a parcel's (waiting to be picked up,
    /// picked up, delivered).
    private func result(
        _ outcome: ScanResult.Outcome, eventID: UUID, _ input: ScanInput, type: ScanType, occurredAt: Date,
        receivedAt: Date, trackingNo: String, status: ReturnParcelStatus?
    ) -> ScanResult {
        let parcelStatus: PackageStatus =
            switch status {
            case .awaitingPickup?, nil: .readyForPickup
            case .pickedUp?: .pickedUp
            case .delivered?: .delivered
            }
        return ScanResult(
            outcome: outcome, eventID: eventID, clientEventID: input.clientEventID, type: type, occurredAt: occurredAt,
            receivedAt: receivedAt, applied: true, trackingNo: trackingNo, status: parcelStatus, attempts: 0)
    }
}
