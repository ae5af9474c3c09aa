import Foundation
import Kernel
import Logging
import PostgresNIO

/// Who and what a plan works with: the office's active couriers (less what their started stops
/// already take) and the parcels waiting, grouped into stops.
struct SchedulePool: Sendable {
    struct StopInfo: Sendable {
        var key: UUID
        var supplierID: UUID?
        var name: String
        var phone: String
        var addressLine: String
        var communeCode: String
        var packages: [UUID]
        /// Complaints whose goods come back through this stop (collected from the buyer on a delivery
        /// round, handed back to the seller on a pickup round).
        var returns: [UUID] = []
    }

    var couriers: [CourierShift] = []
    var demands: [StopDemand] = []
    var stops: [StopInfo] = []
    /// Stops a courier already started in this plan: they stay, with their sequence numbers.
    var frozenStopIDs: [UUID] = []
    var lastFrozenSequence: [UUID: Int] = [:]
    /// Parcels (and goods coming back) that became due for a stop a courier already worked: they wait
    /// for the next shift.
    var late: [UUID] = []
    var lateReturns: [UUID] = []
    /// Every parcel, and every complaint's goods, this plan takes from wherever they were.
    var pooledPackages: [UUID] = []
    var pooledReturns: [UUID] = []

    let logger: Logger

    init(logger: Logger) { self.logger = logger }

    /// "Moved on" for a parcel on a stop: picked up (pickup), or out for delivery or beyond.
    static func startedCondition(_ kind: RunKind) -> String {
        kind == .pickup ? "p.status <> 'ready_for_pickup'" : "p.status <> 'in_transit'"
    }

    /// "Moved on" for a complaint's goods on a stop: handed back (pickup round), collected (delivery round).
    static func returnStartedCondition(_ kind: RunKind) -> String {
        kind == .pickup ? "c.return_status = 'delivered'" : "c.return_status <> 'awaiting_pickup'"
    }

    /// Whether stop `st` was worked: a parcel or a complaint's goods on it moved on.
    static func stopStarted(_ kind: RunKind) -> String {
        """
        (EXISTS (SELECT 1 FROM stop_parcels sp JOIN packages p ON p.id = sp.package_id
            WHERE sp.stop_id = st.id AND \(startedCondition(kind)))
        OR EXISTS (SELECT 1 FROM stop_returns sr JOIN complaints c ON c.id = sr.complaint_id
            WHERE sr.stop_id = st.id AND \(returnStartedCondition(kind))))
        """
    }

    func load(
        scheduleID: UUID, postOffice: UUID, day: String, shift: Shift, kind: RunKind, depot: GeoPoint,
        on connection: PostgresConnection
    ) async throws -> SchedulePool {
        var pool = self
        let frozen = try await connection.query(
            """
            SELECT st.id, st.stop_key, st.courier_id, st.sequence, st.grams FROM schedule_stops st
            WHERE st.schedule_id = \(scheduleID) AND \(unescaped: Self.stopStarted(kind))
            ORDER BY st.id
            """,
            logger: logger
        ).collect().decode((UUID, UUID, UUID, Int, Int).self)
        pool.frozenStopIDs = frozen.map(\.0)
        let frozenKeys = Set(frozen.map(\.1))
        var used: [UUID: (stops: Int, grams: Int)] = [:]
        for (_, _, courier, sequence, grams) in frozen {
            used[courier, default: (0, 0)].stops += 1
            used[courier, default: (0, 0)].grams += grams
            pool.lastFrozenSequence[courier] = max(pool.lastFrozenSequence[courier] ?? 0, sequence)
        }
        let couriers = try await connection.query(
            """
            SELECT c.user_id, c.max_stops, c.max_grams FROM couriers c JOIN users u ON u.id = c.user_id
            WHERE c.post_office_id = \(postOffice) AND c.is_active AND u.is_active
                AND EXISTS (SELECT 1 FROM role_grants g
                    WHERE g.user_id = c.user_id AND g.role = 'courier' AND g.post_office_id = c.post_office_id)
            ORDER BY c.user_id
            """,
            logger: logger
        ).collect().decode((UUID, Int, Int).self)
        pool.couriers = couriers.map { id, stops, grams in
            let taken = used[id] ?? (0, 0)
            return CourierShift(
                courierID: id, maxStops: max(0, stops - taken.stops), maxGrams: max(0, grams - taken.grams))
        }
        let rows = try await connection.query(
            poolQuery(scheduleID: scheduleID, postOffice: postOffice, kind: kind, frozen: pool.frozenStopIDs),
            logger: logger
        ).collect()
        var current: StopInfo?
        var location = depot
        var grams = 0
        var priority = Int.max
        func flush() {
            guard let info = current else { return }
            if frozenKeys.contains(info.key) {
                pool.late += info.packages
                pool.lateReturns += info.returns
            } else {
                pool.stops.append(info)
                pool.demands.append(
                    StopDemand(
                        key: info.key, location: location, grams: grams,
                        parcels: info.packages.count + info.returns.count, priority: priority))
            }
        }
        for row in rows {
            let r = row.columns
            let key: UUID = try r.get("stop_key")
            let packageID: UUID? = try r.get("package_id")
            let complaintID: UUID? = try r.get("complaint_id")
            if current?.key != key {
                flush()
                current = StopInfo(
                    key: key, supplierID: try r.get("supplier_id"), name: try r.get("name"),
                    phone: try r.get("phone"), addressLine: try r.get("address_line"),
                    communeCode: try r.get("commune_code"), packages: [])
                location = GeoPoint(
                    lat: try r.get("lat", as: Double?.self) ?? depot.lat,
                    lon: try r.get("lon", as: Double?.self) ?? depot.lon)
                grams = 0
                priority = Int.max
            }
            if let packageID {
                pool.pooledPackages.append(packageID)
                current?.packages.append(packageID)
            } else if let complaintID {
                pool.pooledReturns.append(complaintID)
                current?.returns.append(complaintID)
            }
            grams += try r.get("weight_grams", as: Int.self)
            priority = min(priority, try r.get("waiting_since", as: Int.self))
        }
        flush()
        return pool
    }

    /// The parcels (and complaints' goods) this plan may take: waiting at this office and either on no
    /// plan, on this plan's unstarted stops, or left on an earlier shift's plan after that shift ended
    /// (missed: they come back). One on another plan still to be worked stays there. Ordered by stop, so
    /// rows group in one pass.
    func poolQuery(scheduleID: UUID, postOffice: UUID, kind: RunKind, frozen: [UUID]) -> PostgresQuery {
        // Two statements rather than one with CASEs, so each can use its partial index.
        switch kind {
        case .pickup:
            return """
                WITH me AS (
                    SELECT id, service_on, CASE shift WHEN 'morning' THEN 0 ELSE 1 END AS shift_no FROM schedules
                    WHERE id = \(scheduleID)),
                frozen AS (SELECT unnest(\(frozen)::uuid[]) AS id)
                SELECT s.id AS stop_key, s.id AS supplier_id, s.name, COALESCE(s.phone, '') AS phone,
                    COALESCE(s.address_line, '') AS address_line, s.commune_code,
                    COALESCE(s.lat, cm.lat) AS lat, COALESCE(s.lon, cm.lon) AS lon, p.id AS package_id,
                    NULL::uuid AS complaint_id, p.weight_grams,
                    extract(epoch FROM COALESCE(p.ready_at, p.created_at))::bigint AS waiting_since
                FROM packages p JOIN suppliers s ON s.id = p.supplier_id LEFT JOIN communes cm ON cm.code = s.commune_code
                WHERE p.status = 'ready_for_pickup' AND p.pickup_post_office_id = \(postOffice)
                    AND NOT EXISTS (
                        SELECT 1 FROM stop_parcels sp JOIN schedule_stops st ON st.id = sp.stop_id
                        WHERE sp.package_id = p.id AND sp.kind = 'pickup' AND \(unescaped: Self.heldElsewhere))
                UNION ALL
                SELECT s.id, s.id, s.name, COALESCE(s.phone, ''), COALESCE(s.address_line, ''), s.commune_code,
                    COALESCE(s.lat, cm.lat), COALESCE(s.lon, cm.lon), NULL::uuid, c.id,
                    \(unescaped: Self.returnGrams),
                    extract(epoch FROM COALESCE(c.decided_at, c.answered_at, c.created_at))::bigint
                FROM complaints c JOIN suppliers s ON s.id = c.supplier_id LEFT JOIN communes cm ON cm.code = s.commune_code
                WHERE c.return_status = 'picked_up' AND c.return_at_office_id = \(postOffice)
                    AND c.seller_office_id = \(postOffice)
                    AND NOT EXISTS (
                        SELECT 1 FROM stop_returns sp JOIN schedule_stops st ON st.id = sp.stop_id
                        WHERE sp.complaint_id = c.id AND sp.kind = 'pickup' AND \(unescaped: Self.heldElsewhere))
                ORDER BY 1, 9, 10
                """
        case .delivery:
            return """
                WITH me AS (
                    SELECT id, service_on, CASE shift WHEN 'morning' THEN 0 ELSE 1 END AS shift_no FROM schedules
                    WHERE id = \(scheduleID)),
                frozen AS (SELECT unnest(\(frozen)::uuid[]) AS id)
                SELECT \(unescaped: Self.destinationStopKey) AS stop_key,
                    NULL::uuid AS supplier_id, COALESCE(p.dest_recipient_name, o.recipient_name) AS name,
                    COALESCE(p.dest_phone, o.phone) AS phone, COALESCE(p.dest_address_line, o.address_line) AS address_line,
                    COALESCE(p.dest_commune_code, o.commune_code) AS commune_code,
                    cm.lat, cm.lon, p.id AS package_id, NULL::uuid AS complaint_id, p.weight_grams,
                    extract(epoch FROM COALESCE(p.ready_at, p.created_at))::bigint AS waiting_since
                FROM packages p JOIN orders o ON o.id = p.order_id
                    LEFT JOIN communes cm ON cm.code = COALESCE(p.dest_commune_code, o.commune_code)
                WHERE (p.status = 'in_transit' OR (p.status = 'waiting_for_instruction' AND p.hold_until <= now()))
                    AND p.delivery_post_office_id = \(postOffice) AND p.at_post_office_id = \(postOffice)
                    AND (p.deliver_on IS NULL OR p.deliver_on <= (SELECT service_on FROM me))
                    AND NOT EXISTS (
                        SELECT 1 FROM stop_parcels sp JOIN schedule_stops st ON st.id = sp.stop_id
                        WHERE sp.package_id = p.id AND sp.kind = 'delivery' AND \(unescaped: Self.heldElsewhere))
                UNION ALL
                SELECT \(unescaped: Self.destinationStopKey), NULL::uuid, COALESCE(p.dest_recipient_name, o.recipient_name),
                    COALESCE(p.dest_phone, o.phone), COALESCE(p.dest_address_line, o.address_line),
                    COALESCE(p.dest_commune_code, o.commune_code), cm.lat, cm.lon, NULL::uuid, c.id,
                    \(unescaped: Self.returnGrams),
                    extract(epoch FROM COALESCE(c.decided_at, c.answered_at, c.created_at))::bigint
                FROM complaints c JOIN packages p ON p.id = c.package_id JOIN orders o ON o.id = p.order_id
                    LEFT JOIN communes cm ON cm.code = COALESCE(p.dest_commune_code, o.commune_code)
                WHERE c.return_status = 'awaiting_pickup' AND c.post_office_id = \(postOffice)
                    AND NOT EXISTS (
                        SELECT 1 FROM stop_returns sp JOIN schedule_stops st ON st.id = sp.stop_id
                        WHERE sp.complaint_id = c.id AND sp.kind = 'delivery' AND \(unescaped: Self.heldElsewhere))
                ORDER BY 1, 9, 10
                """
        }
    }

    /// A recipient's stop: one per address and phone, whoever's parcels (and goods to collect) are there.
    private static let destinationStopKey = """
        md5(COALESCE(p.dest_commune_code, o.commune_code) || '|' || lower(COALESCE(p.dest_address_line, o.address_line))
            || '|' || COALESCE(p.dest_phone, o.phone))::uuid
        """

    /// What a complaint's goods weigh: the complained lines' quantities at their unit weights.
    static let returnGrams = """
        (SELECT COALESCE(sum(ol.weight_grams * cl.quantity), 0)::int FROM complaint_lines cl
            JOIN order_lines ol ON ol.id = cl.order_line_id WHERE cl.complaint_id = c.id)
        """

    /// Stop `st` keeps what is on it: it is on another plan still to be worked, or on this plan and a
    /// courier already started it. An earlier shift's plan whose shift has ended lets its leftovers go.
    private static var heldElsewhere: String {
        """
        EXISTS (SELECT 1 FROM schedules other, me WHERE other.id = st.schedule_id
            AND NOT (other.id = me.id AND st.id NOT IN (SELECT id FROM frozen))
            AND NOT ((other.service_on, CASE other.shift WHEN 'morning' THEN 0 ELSE 1 END) < (me.service_on, me.shift_no)
                AND other.service_on + make_interval(mins => CASE other.shift
                    WHEN 'morning' THEN \(ShiftTimetable.end(of: .morning)) ELSE \(ShiftTimetable.end(of: .afternoon)) END)
                    <= now() AT TIME ZONE 'Asia/Ho_Chi_Minh'))
        """
    }
}
