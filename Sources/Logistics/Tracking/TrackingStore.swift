import Foundation
import Kernel
import Logging
import Orders
import PostgresNIO

/// What anyone holding a tracking number may see: where the parcel is and what happened to it,
/// never names, phones, addresses or money.
public struct Tracking: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public var type: String
        public var occurredAt: Date
        /// The post office where it happened, if any (a public place).
        public var place: String?
    }

    public var trackingNo: String
    public var status: PackageStatus
    public var originProvince: String
    public var destinationProvince: String
    public var deliveryAttempts: Int
    public var timeline: [Step]
}

public struct TrackingStore: Sendable {
    let db: Database
    let logger: Logger

    public init(db: Database, logger: Logger) {
        self.db = db
        self.logger = logger
    }

    public func track(_ text: String) async throws -> Tracking {
        let trackingNo = try S10.parsed(text).description
        return try await db.withConnection { connection in
            let heads = try await connection.query(
                """
                SELECT p.id, p.status, sp.name, op.name, p.delivery_attempts, p.ready_at, p.updated_at
                FROM packages p JOIN suppliers s ON s.id = p.supplier_id JOIN orders o ON o.id = p.order_id
                    JOIN provinces sp ON sp.code = s.province_code JOIN provinces op ON op.code = o.province_code
                WHERE p.tracking_no = \(trackingNo)
                """,
                logger: logger
            ).collect().decode((UUID, String, String, String, Int, Date?, Date).self)
            guard let head = heads.first, let status = PackageStatus(rawValue: head.1) else {
                throw DomainError.notFound("No parcel with this tracking number.")
            }
            var timeline: [Tracking.Step] = []
            if let ready = head.5 { timeline.append(.init(type: "ready_for_pickup", occurredAt: ready, place: nil)) }
            let steps = try await connection.query(
                """
                SELECT e.type, e.occurred_at, po.name FROM shipment_events e
                    LEFT JOIN post_offices po ON po.id = e.post_office_id
                WHERE e.package_id = \(head.0) AND e.applied
                ORDER BY e.occurred_at, e.received_at, e.id
                """,
                logger: logger
            ).collect().decode((String, Date, String?).self)
            timeline += steps.map { Tracking.Step(type: $0.0, occurredAt: $0.1, place: $0.2) }
            if [.cancelled, .rejected, .expired].contains(status) {
                timeline.append(.init(type: status.rawValue, occurredAt: head.6, place: nil))
            }
            return Tracking(
                trackingNo: trackingNo, status: status, originProvince: head.2, destinationProvince: head.3,
                deliveryAttempts: head.4, timeline: timeline)
        }
    }
}
