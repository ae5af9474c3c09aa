import Foundation
import Kernel
import Logging
import Orders
import PostgresNIO

/// A scan as stored, and the parcel after it.
public struct ScanResult: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// Took effect now.
        case applied
        /// Kept; takes effect once the scans before it arrive.
        case waiting
        /// The same client event was sent before: this is what it did.
        case replayed
    }

    public var outcome: Outcome
    public var eventID: UUID
    public var clientEventID: UUID
    public var type: ScanType
    public var occurredAt: Date
    public var receivedAt: Date
    public var applied: Bool
    public var trackingNo: String
    public var status: PackageStatus
    public var attempts: Int
}

/// Takes scans in: validated against the parcel's state machine, idempotent on the client event id,
/// applied in the order things happened (SPEC §5).
public struct ScanService: Sendable {
    let db: Database
    let logger: Logger
    let orders: OrderService
    let maxAttempts: Int
    /// How long a parcel waits for an instruction after a failed attempt before the next attempt.
    let hold: Duration

    public init(
        db: Database, logger: Logger, orders: OrderService, maxAttempts: Int = 3, hold: Duration = .seconds(48 * 3600)
    ) {
        self.db = db
        self.logger = logger
        self.orders = orders
        self.maxAttempts = maxAttempts
        self.hold = hold
    }

    struct ParcelRow: Sendable {
        var id: UUID
        var orderID: UUID
        var status: PackageStatus
        var pickupOffice: UUID?
        var deliveryOffice: UUID?
        var deliveryCode: String
        var deliveryCodeFailures: Int
        var readyAt: Date?
        var trackingNo: String
    }

    /// What the transaction of a scan ends with: the scan, or a wrong delivery code (counted and
    /// audited, so it must commit, and then answered as an error).
    enum Outcome {
        case scanned(ScanResult)
        case wrongDeliveryCode(triesLeft: Int)
    }

    public func record(trackingNo text: String, _ input: ScanInput, caller: Caller, now: Date = Date())
        async throws -> ScanResult
    {
        let principal = try caller.signedIn()
        try principal.require(.courier, .clerk)
        let trackingNo = try S10.parsed(text).description
        do {
            try input.validate(now: now)
        } catch {
            // Goods coming back for a complaint are delivered to their seller, who holds no delivery code.
            guard input.type == .delivered,
                let result = try await ComplaintService(db: db, logger: logger).recordReturnScan(
                    trackingNo: trackingNo, input, principal: principal, requestID: caller.requestID, now: now)
            else { throw error }
            return result
        }
        let outcome: Outcome
        do {
            outcome = try await db.withTransaction(logger: logger) { connection -> Outcome in
                let parcel = try await lock(trackingNo, on: connection)
                if let replay = try await replayed(input, parcel: parcel, on: connection) { return .scanned(replay) }
                let office = try authorize(input, parcel: parcel, principal: principal)
                try await checkRoute(office, input, parcel: parcel, on: connection)
                guard ParcelState.isScannable(parcel.status) else {
                    throw DomainError.conflict(
                        kind: "invalid-transition", detail: "Parcel \(trackingNo) is \(parcel.status.rawValue).",
                        currentState: parcel.status.rawValue)
                }
                if input.type == .delivered {
                    guard parcel.deliveryCodeFailures < DeliveryCode.maxWrongTries else {
                        throw DomainError.conflict(
                            kind: "delivery-code-locked",
                            detail: "Too many wrong delivery codes for parcel \(trackingNo): the buyer must get a new "
                                + "code (POST /v1/orders/{order_id}/delivery-code, or a clerk of the delivering office: "
                                + "POST /v1/shipments/{tracking_no}/delivery-code) before it can be delivered.")
                    }
                    if !DeliveryCode.matches(input.deliveryCode, parcel.deliveryCode) {
                        let failures = try await wrongDeliveryCode(parcel, by: principal.userID, caller, on: connection)
                        return .wrongDeliveryCode(triesLeft: max(0, DeliveryCode.maxWrongTries - failures))
                    }
                }
                let recorded = try await events(of: parcel.id, on: connection)
                let scan = RecordedScan(
                    id: UUID(), type: input.type, occurredAt: input.occurredAt, receivedAt: now,
                    postOfficeID: office, applied: false, reason: input.reasonCode)
                let admission = ScanHistory.admit(
                    scan, to: recorded, from: ParcelState(status: .readyForPickup), maxAttempts: maxAttempts)
                switch admission {
                case .refused(let current):
                    throw DomainError.conflict(
                        kind: "invalid-transition",
                        detail: "A \(input.type.rawValue) scan does not fit the history of parcel \(trackingNo).",
                        currentState: current.status.rawValue)
                case .waiting(let replay):
                    try await insert(scan, input, parcel: parcel, by: principal.userID, applied: false, on: connection)
                    return .scanned(result(.waiting, scan, input, parcel: parcel, state: replay.state))
                case .applied(let replay, let newlyApplied):
                    try await insert(scan, input, parcel: parcel, by: principal.userID, applied: true, on: connection)
                    try await apply(replay, newlyApplied: newlyApplied, parcel: parcel, on: connection)
                    return .scanned(result(.applied, scan, input, parcel: parcel, state: replay.state))
                }
            }
        } catch let error as PSQLError where error.sqlState == "23505" {
            throw DomainError.unprocessable(
                kind: "client-event-id-reused", detail: "This client_event_id was used for another parcel's scan.")
        } catch let error as DomainError {
            // Not a package's number: it may be goods coming back for a complaint, scanned the same way.
            guard case .notFound = error,
                let result = try await ComplaintService(db: db, logger: logger).recordReturnScan(
                    trackingNo: trackingNo, input, principal: principal, requestID: caller.requestID, now: now)
            else { throw error }
            return result
        }
        switch outcome {
        case .scanned(let result):
            return result
        case .wrongDeliveryCode(let triesLeft):
            throw DomainError.invalid(
                "delivery_code",
                "does not match the code the buyer received (\(triesLeft) tries left before the buyer needs a new code)"
            )
        }
    }

    /// Counts a wrong code on the parcel and audits it; returns the parcel's wrong codes so far.
    private func wrongDeliveryCode(
        _ parcel: ParcelRow, by actor: UUID, _ caller: Caller, on connection: PostgresConnection
    )
        async throws -> Int
    {
        let failures = try await CarrierColumns.countWrongDeliveryCode(
            package: parcel.id, on: connection, logger: logger)
        try await AuditEntry(
            actorID: actor, action: "parcel.delivery_code_failed", entityType: "package",
            entityID: parcel.id.uuidString.lowercased(), requestID: caller.requestID,
            details: ["tracking_no": parcel.trackingNo]
        ).record(on: connection, logger: logger)
        return failures ?? DeliveryCode.maxWrongTries
    }

    /// Finds the parcel and locks its order, then the package (the order services' lock order).
    func lock(_ trackingNo: String, on connection: PostgresConnection) async throws -> ParcelRow {
        let rows = try await connection.query(
            """
            SELECT p.id, p.order_id FROM packages p WHERE p.tracking_no = \(trackingNo)
            """,
            logger: logger
        ).collect().decode((UUID, UUID).self)
        guard let (id, orderID) = rows.first else { throw DomainError.notFound("No parcel with this tracking number.") }
        let locked = try await connection.query(
            """
            SELECT p.status, p.pickup_post_office_id, p.delivery_post_office_id, o.delivery_code,
                p.delivery_code_failures, p.ready_at
            FROM orders o JOIN packages p ON p.order_id = o.id
            WHERE o.id = \(orderID) AND p.id = \(id)
            FOR UPDATE
            """,
            logger: logger
        ).collect().decode((String, UUID?, UUID?, String, Int, Date?).self)
        guard let row = locked.first, let status = PackageStatus(rawValue: row.0) else {
            throw DomainError.notFound("No parcel with this tracking number.")
        }
        return ParcelRow(
            id: id, orderID: orderID, status: status, pickupOffice: row.1, deliveryOffice: row.2,
            deliveryCode: row.3, deliveryCodeFailures: row.4, readyAt: row.5, trackingNo: trackingNo)
    }

    /// The same client event again: what it did the first time. Another scan under the same id: 422.
    func replayed(_ input: ScanInput, parcel: ParcelRow, on connection: PostgresConnection) async throws
        -> ScanResult?
    {
        let rows = try await connection.query(
            """
            SELECT e.id, e.package_id, e.request_hash, e.received_at, e.applied, p.status, p.delivery_attempts
            FROM shipment_events e JOIN packages p ON p.id = e.package_id
            WHERE e.client_event_id = \(input.clientEventID)
            """,
            logger: logger
        ).collect().decode((UUID, UUID, String, Date, Bool, String, Int).self)
        guard let row = rows.first else { return nil }
        guard row.1 == parcel.id, row.2 == input.requestHash else {
            throw DomainError.unprocessable(
                kind: "client-event-id-reused", detail: "This client_event_id was used for a different scan.")
        }
        return ScanResult(
            outcome: .replayed, eventID: row.0, clientEventID: input.clientEventID, type: input.type,
            occurredAt: input.occurredAt, receivedAt: row.3, applied: row.4, trackingNo: parcel.trackingNo,
            status: PackageStatus(rawValue: row.5) ?? parcel.status, attempts: row.6)
    }

    /// Who may record what: pickups and returns by the sender's post office, deliveries by the
    /// recipient's, hub arrivals by the hub's own staff. Returns the post office the scan is at.
    func authorize(_ input: ScanInput, parcel: ParcelRow, principal: Principal) throws(DomainError) -> UUID? {
        let office: UUID?
        switch input.type {
        case .pickedUp, .returnedToSender: office = parcel.pickupOffice
        case .outForDelivery, .delivered, .deliveryFailed: office = parcel.deliveryOffice
        case .redeliveryRequested, .returnRequested:
            // Refused by `ScanInput.validate` before this; instructions have their own operation.
            throw .invalid("type", "must be a scan")
        case .arrivedAtHub:
            let own = principal.postOfficeIDs(as: .courier).union(principal.postOfficeIDs(as: .clerk))
            office = input.postOfficeID ?? (own.count == 1 ? own.first : nil)
            guard office != nil else {
                throw .invalid("post_office_id", "is required: say which post office the parcel arrived at")
            }
        }
        guard let office, principal.worksAt(postOffice: office, as: .courier, .clerk) else {
            throw .forbidden("Only staff of the post office handling this step may record it.")
        }
        // A delivery puts the COD in the recorder's courier-cash account, which only a handover to a
        // clerk clears; a clerk's or an admin's own account could never be handed over to anyone else.
        if input.type == .delivered, !principal.postOfficeIDs(as: .courier).contains(office) {
            throw .forbidden(
                "Only a courier of the delivering post office records a delivery (and the cash it brings).")
        }
        return office
    }

    /// Issue 16: a courier of an office the parcel never passes through recorded a hub scan dated ahead,
    /// which blocked the real courier and showed the wrong office in public tracking. A scan is dated no
    /// earlier than the parcel became ready (less the clock skew a device may have), and a hub scan is
    /// at the parcel's own offices or at a sorting hub.
    func checkRoute(_ office: UUID?, _ input: ScanInput, parcel: ParcelRow, on connection: PostgresConnection)
        async throws
    {
        if let readyAt = parcel.readyAt, input.occurredAt < readyAt.addingTimeInterval(-ScanInput.clockSkew) {
            throw DomainError.invalid(
                "occurred_at",
                "is before parcel \(parcel.trackingNo) was ready for pickup (\(readyAt.formatted(.iso8601)))")
        }
        guard input.type == .arrivedAtHub, let office, office != parcel.pickupOffice, office != parcel.deliveryOffice
        else { return }
        let hub = try await connection.query(
            "SELECT 1 FROM post_offices WHERE id = \(office) AND is_sorting_hub", logger: logger
        ).collect()
        guard !hub.isEmpty else {
            throw DomainError.conflict(
                kind: "not-on-route",
                detail: "Parcel \(parcel.trackingNo) does not pass through this post office: a hub scan is recorded "
                    + "at its pickup office, its delivery office or a sorting hub.")
        }
    }

    func events(of packageID: UUID, on connection: PostgresConnection) async throws -> [RecordedScan] {
        try await connection.query(
            """
            SELECT id, type, occurred_at, received_at, post_office_id, applied, reason_code FROM shipment_events
            WHERE package_id = \(packageID)
            """,
            logger: logger
        ).collect().decode((UUID, String, Date, Date, UUID?, Bool, String?).self).compactMap { row in
            ScanType(rawValue: row.1).map {
                RecordedScan(
                    id: row.0, type: $0, occurredAt: row.2, receivedAt: row.3, postOfficeID: row.4, applied: row.5,
                    reason: row.6.flatMap(FailureReason.init(rawValue:)))
            }
        }
    }

    func insert(
        _ scan: RecordedScan, _ input: ScanInput, parcel: ParcelRow, by user: UUID, applied: Bool,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO shipment_events (id, client_event_id, package_id, type, occurred_at, received_at, recorded_by,
                post_office_id, reason, reason_code, cod_collected_vnd, recipient_name, request_hash, applied, applied_at)
            VALUES (\(scan.id), \(input.clientEventID), \(parcel.id), \(input.type.rawValue), \(input.occurredAt),
                \(scan.receivedAt), \(user), \(scan.postOfficeID), \(input.reasonText), \(input.reasonCode?.rawValue),
                \(input.codCollectedVND),
                \(input.recipientName), \(input.requestHash), \(applied), CASE WHEN \(applied) THEN now() END)
            """,
            logger: logger)
        // A failed attempt leaves the parcel's state as it was: its own event tells the buyer.
        if input.type == .deliveryFailed {
            try await Outbox.add(
                topic: "package.delivery_failed", aggregateType: "package", id: parcel.id,
                payload: [
                    "order_id": parcel.orderID.uuidString, "reason": input.reasonText ?? "",
                    "reason_code": input.reasonCode?.rawValue ?? "",
                ], on: connection,
                logger: logger)
        }
    }

    /// Marks the scans that now take effect, and moves the parcel (and its order) to where the
    /// replayed history leaves it.
    func apply(_ replay: ScanReplay, newlyApplied: [UUID], parcel: ParcelRow, on connection: PostgresConnection)
        async throws
    {
        try await connection.query(
            """
            UPDATE shipment_events SET applied = true, applied_at = now()
            WHERE id = ANY(\(newlyApplied)) AND NOT applied
            """,
            logger: logger)
        guard
            try await orders.carrierMoved(
                package: parcel.id, from: parcel.status, to: replay.state.status, on: connection) != nil
        else {
            throw DomainError.conflict(
                kind: "concurrent-update", detail: "The parcel changed meanwhile; send the scan again.")
        }
        // The applied delivery (one per parcel at most) gives the time and the cash.
        let delivered =
            replay.state.status == .delivered
            ? try await connection.query(
                """
                SELECT occurred_at, COALESCE(cod_collected_vnd, 0) FROM shipment_events
                WHERE package_id = \(parcel.id) AND type = 'delivered' AND applied
                """,
                logger: logger
            ).collect().decode((Date, Int64).self).first.map { (at: $0.0, codCollectedVND: $0.1) } : nil
        // A held parcel's deadline runs from the failure that put it on hold.
        let holdUntil =
            replay.state.status == .waitingForInstruction
            ? replay.lastFailureAt.map { $0.addingTimeInterval(TimeInterval(hold.components.seconds)) } : nil
        try await CarrierColumns.recordScans(
            package: parcel.id, attempts: replay.state.attempts, lastPostOffice: replay.lastHub, delivered: delivered,
            holdUntil: holdUntil, on: connection, logger: logger)
        try await postMoney(replay.state.status, parcel: parcel, on: connection)
    }

    /// The money of a parcel that just reached the buyer or came back (SPEC §6), in this transaction.
    func postMoney(_ status: PackageStatus, parcel: ParcelRow, on connection: PostgresConnection) async throws {
        guard status != parcel.status, status == .delivered || status == .returned else { return }
        let type = status == .delivered ? ScanType.delivered : .returnedToSender
        let rows = try await connection.query(
            """
            SELECT recorded_by, COALESCE(cod_collected_vnd, 0), occurred_at FROM shipment_events
            WHERE package_id = \(parcel.id) AND type = \(type.rawValue) AND applied
            """,
            logger: logger
        ).collect().decode((UUID, Int64, Date).self)
        guard let (user, collected, occurred) = rows.first else { return }
        let postings = ParcelPostings(logger: logger)
        if status == .delivered {
            try await postings.delivered(
                parcel.id, courier: user, collected: collected, on: BusinessDay.string(for: occurred), on: connection)
        } else {
            try await postings.returned(parcel.id, by: user, on: connection)
        }
    }

    func result(
        _ outcome: ScanResult.Outcome, _ scan: RecordedScan, _ input: ScanInput, parcel: ParcelRow, state: ParcelState
    ) -> ScanResult {
        ScanResult(
            outcome: outcome, eventID: scan.id, clientEventID: input.clientEventID, type: input.type,
            occurredAt: input.occurredAt, receivedAt: scan.receivedAt, applied: outcome == .applied,
            trackingNo: parcel.trackingNo, status: state.status, attempts: state.attempts)
    }
}
