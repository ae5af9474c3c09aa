import Foundation
import Kernel
import Logging
import Orders
import PostgresNIO

public struct Handover: Sendable, Equatable {
    public var id: UUID
    public var courierID: UUID
    public var postOfficeID: UUID
    public var businessDay: String
    public var parcelCount: Int
    public var expectedVND: Int64
    public var countedVND: Int64
    /// counted − expected: negative when the courier is short.
    public var differenceVND: Int64 { countedVND - expectedVND }
    public var discrepancyID: UUID?
    public var createdAt: Date
}

/// A courier's cash handed to a clerk at the counter (SPEC §6): the cash of the parcels it
/// delivered and has not handed over yet moves from courier cash to post office cash; a count that
/// differs opens a discrepancy for the courier and day.
public struct HandoverService: Sendable {
    let db: Database
    let logger: Logger

    public init(db: Database, logger: Logger) {
        self.db = db
        self.logger = logger
    }

    /// `trackingNumbers` nil: every parcel the courier delivered and still holds the cash of.
    public func record(
        courier courierID: UUID, trackingNumbers: [String]?, countedVND: Int64, caller: Caller, now: Date = Date()
    ) async throws -> Handover {
        let principal = try caller.signedIn()
        try principal.require(.clerk)
        // SPEC §1: nobody receives a cash handover from himself, whatever roles he holds.
        guard courierID != principal.userID else {
            throw DomainError.forbidden("Nobody receives a cash handover from himself; another clerk must count it.")
        }
        var v = Validator()
        v.range(countedVND, "counted_vnd", 0...1_000_000_000_000)
        if let trackingNumbers {
            v.check(
                !trackingNumbers.isEmpty && trackingNumbers.count <= 2000, "tracking_numbers",
                "must list 1 to 2000 parcels")
            for (index, text) in trackingNumbers.enumerated() where (try? S10(parsing: text)) == nil {
                v.fail("tracking_numbers[\(index)]", "is not a valid tracking number")
            }
        }
        try v.done()
        let day = BusinessDay.string(for: now)
        return try await db.withTransaction(logger: logger) { connection in
            let couriers = try await connection.query(
                "SELECT post_office_id FROM couriers WHERE user_id = \(courierID) FOR UPDATE", logger: logger
            ).collect().decode(UUID.self)
            guard let office = couriers.first, principal.worksAt(postOffice: office, as: .clerk) else {
                throw DomainError.notFound("No courier with this id.")
            }
            let parcels = try await Self.heldParcels(courier: courierID, on: connection, logger: logger)
            var chosen = parcels
            if let trackingNumbers {
                let wanted = Set(trackingNumbers)
                chosen = parcels.filter { wanted.contains($0.trackingNo) }
                let missing = wanted.subtracting(chosen.map(\.trackingNo)).sorted()
                if !missing.isEmpty {
                    throw DomainError.conflict(
                        kind: "not-held-by-courier",
                        detail: "These parcels' cash is not with this courier: \(missing.joined(separator: ", ")).")
                }
            }
            guard !chosen.isEmpty else {
                throw DomainError.conflict(kind: "nothing-to-hand-over", detail: "This courier holds no COD cash.")
            }
            let expected = chosen.reduce(Int64(0)) { $0 + $1.codVND }
            let id = UUID()
            try await connection.query(
                """
                INSERT INTO cod_handovers (id, courier_id, post_office_id, received_by, business_day, expected_vnd,
                    counted_vnd)
                VALUES (\(id), \(courierID), \(office), \(principal.userID), \(day)::date, \(expected), \(countedVND))
                """,
                logger: logger)
            try await connection.query(
                """
                INSERT INTO handover_parcels (package_id, handover_id)
                SELECT pid, \(id) FROM unnest(\(chosen.map(\.packageID))::uuid[]) AS pid
                """,
                logger: logger)
            let transaction = Postings.handover(
                expected: expected, counted: countedVND, courier: courierID, postOffice: office)
            if !transaction.normalized().postings.isEmpty {
                try await LedgerWriter(logger: logger).post(
                    transaction, .init(referenceID: id, by: principal.userID), on: connection)
            }
            var discrepancy: UUID?
            if countedVND != expected {
                let did = UUID()
                try await connection.query(
                    """
                    INSERT INTO cod_discrepancies (id, kind, courier_id, post_office_id, handover_id, business_day,
                        amount_vnd)
                    VALUES (\(did), 'handover', \(courierID), \(office), \(id), \(day)::date, \(countedVND - expected))
                    """,
                    logger: logger)
                try await Outbox.add(
                    topic: "discrepancy.opened", aggregateType: "discrepancy", id: did, payload: [:], on: connection,
                    logger: logger)
                discrepancy = did
            }
            try await AuditEntry(
                actorID: principal.userID, action: "cod.handover", entityType: "cod_handover", entityID: id.uuidString,
                requestID: caller.requestID,
                details: [
                    "courier_id": courierID.uuidString, "expected_vnd": "\(expected)", "counted_vnd": "\(countedVND)",
                ]
            ).record(on: connection, logger: logger)
            return Handover(
                id: id, courierID: courierID, postOfficeID: office, businessDay: day, parcelCount: chosen.count,
                expectedVND: expected, countedVND: countedVND, discrepancyID: discrepancy, createdAt: now)
        }
    }
    /// The cash a courier holds for the clerk about to count it: each delivered COD parcel not handed
    /// over yet, as the ledger's collections say. The counter shows it before the count is confirmed,
    /// and the confirmation names exactly these parcels, so a delivery recorded in between is not
    /// swept into a count that did not include it.
    public func held(courier courierID: UUID, caller: Caller) async throws -> [HeldParcel] {
        let principal = try caller.signedIn()
        try principal.require(.clerk)
        return try await db.withConnection { connection in
            let offices = try await connection.query(
                "SELECT post_office_id FROM couriers WHERE user_id = \(courierID)", logger: logger
            ).collect().decode(UUID.self)
            guard let office = offices.first, principal.worksAt(postOffice: office, as: .clerk) else {
                throw DomainError.notFound("No courier with this id.")
            }
            return try await Self.heldParcels(courier: courierID, on: connection, logger: logger)
        }
    }

    /// The courier's delivered COD parcels whose cash is not handed over yet (each at most once:
    /// handover_parcels' primary key), oldest delivery first. His collections come from migration
    /// 0035's index and those handed over are dropped before any parcel is read, so the cost follows
    /// what he holds, not his history.
    static func heldParcels(courier courierID: UUID, on connection: PostgresConnection, logger: Logger) async throws
        -> [HeldParcel]
    {
        try await connection.query(
            """
            SELECT p.id, p.tracking_no, COALESCE(p.cod_collected_vnd, 0), t.created_at FROM packages p
                JOIN ledger_transactions t ON t.package_id = p.id AND t.kind = 'cod_collection'
            WHERE t.created_by = \(courierID) AND p.status = 'delivered'
                AND NOT EXISTS (SELECT 1 FROM handover_parcels h WHERE h.package_id = t.package_id)
            ORDER BY t.created_at, p.id
            """,
            logger: logger
        ).collect().decode((UUID, String, Int64, Date).self).map {
            HeldParcel(packageID: $0.0, trackingNo: $0.1, codVND: $0.2, collectedAt: $0.3)
        }
    }
}

/// One parcel whose cash a courier holds.
public struct HeldParcel: Sendable, Equatable {
    public var packageID: UUID
    public var trackingNo: String
    public var codVND: Int64
    public var collectedAt: Date
}
