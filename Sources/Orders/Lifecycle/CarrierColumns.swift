import Foundation
import Kernel
import Logging
import PostgresNIO

/// The statements by which the carrier (Logistics) records on Orders' `packages` what happened to the
/// parcel, inside its own transaction: its number and offices when it is ready, wrong delivery codes,
/// and what the scans so far add up to. Orders owns the table; status changes go through
/// `OrderService.carrierMoved` instead, which checks them against the state machine.
public enum CarrierColumns {
    /// The parcel's S10 number and the post offices that pick it up and deliver it; ready from now.
    public static func assignParcel(
        package id: UUID, trackingNo: String, pickupOffice: UUID?, deliveryOffice: UUID?,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            """
            UPDATE packages SET tracking_no = \(trackingNo), pickup_post_office_id = \(pickupOffice),
                delivery_post_office_id = \(deliveryOffice), ready_at = now()
            WHERE id = \(id)
            """,
            logger: logger)
    }

    /// Counts one wrong delivery code on the parcel; the wrong codes so far (nil: no such package).
    public static func countWrongDeliveryCode(
        package id: UUID, on connection: PostgresConnection, logger: Logger
    ) async throws -> Int? {
        try await connection.query(
            """
            UPDATE packages SET delivery_code_failures = delivery_code_failures + 1 WHERE id = \(id)
            RETURNING delivery_code_failures
            """,
            logger: logger
        ).collect().decode(Int.self).first
    }

    /// What the parcel's applied scans add up to: attempts, the last post office it was at (kept when
    /// nil), and when it was delivered with the cash collected (nil unless delivered).
    public static func recordScans(
        package id: UUID, attempts: Int, lastPostOffice: UUID?, delivered: (at: Date, codCollectedVND: Int64)?,
        holdUntil: Date? = nil, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            """
            UPDATE packages SET delivery_attempts = \(attempts), hold_until = \(holdUntil),
                at_post_office_id = COALESCE(\(lastPostOffice), at_post_office_id),
                delivered_at = \(delivered?.at), cod_collected_vnd = \(delivered?.codCollectedVND)
            WHERE id = \(id)
            """,
            logger: logger)
    }

    /// The day the buyer or the seller asked the next attempt for (nil: the next round).
    public static func setDeliverOn(
        package id: UUID, day: String?, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            "UPDATE packages SET deliver_on = \(day)::date WHERE id = \(id)", logger: logger)
    }

    /// The post office that delivers the parcel from now on (a held parcel sent to another commune).
    public static func setDeliveryOffice(
        package id: UUID, office: UUID, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            "UPDATE packages SET delivery_post_office_id = \(office) WHERE id = \(id)", logger: logger)
    }
}
