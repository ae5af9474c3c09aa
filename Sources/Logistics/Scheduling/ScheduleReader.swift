import Foundation
import Kernel
import Logging
import PostgresNIO

/// Reads a schedule with its routes (stops in order, their parcels) and its overflow.
struct ScheduleReader: Sendable {
    let logger: Logger

    func load(_ id: UUID, on connection: PostgresConnection) async throws -> Schedule {
        let heads = try await connection.query(
            """
            SELECT sc.post_office_id, to_char(sc.service_on, 'YYYY-MM-DD'), sc.shift, sc.kind, sc.planned_at,
                sc.revision, COALESCE(po.lat, 0), COALESCE(po.lon, 0)
            FROM schedules sc JOIN post_offices po ON po.id = sc.post_office_id WHERE sc.id = \(id)
            """,
            logger: logger
        ).collect().decode((UUID, String, String, String, Date, Int, Double, Double).self)
        guard let head = heads.first, let shift = Shift(rawValue: head.2), let kind = RunKind(rawValue: head.3)
        else { throw DomainError.notFound("No schedule with this id.") }
        let depot = GeoPoint(lat: head.6, lon: head.7)
        let stops = try await connection.query(
            """
            SELECT st.id, st.courier_id, u.display_name, st.sequence, st.supplier_id, st.name, st.commune_code,
                st.lat, st.lon, st.grams,
                ARRAY(SELECT p.tracking_no FROM stop_parcels sp JOIN packages p ON p.id = sp.package_id
                        WHERE sp.stop_id = st.id AND p.tracking_no IS NOT NULL
                    UNION ALL SELECT c.return_tracking_no FROM stop_returns sr JOIN complaints c ON c.id = sr.complaint_id
                        WHERE sr.stop_id = st.id
                    ORDER BY 1) AS tracking,
                \(unescaped: SchedulePool.stopStarted(kind)) AS started
            FROM schedule_stops st JOIN users u ON u.id = st.courier_id
            WHERE st.schedule_id = \(id)
            ORDER BY u.display_name COLLATE vietnamese, st.courier_id, st.sequence
            """,
            logger: logger
        ).collect()
        var routes: [ScheduleRoute] = []
        for row in stops {
            let r = row.columns
            let courier: UUID = try r.get("courier_id")
            let stop = ScheduleStop(
                id: try r.get("id"), sequence: try r.get("sequence"), supplierID: try r.get("supplier_id"),
                name: try r.get("name"), communeCode: try r.get("commune_code"),
                location: GeoPoint(lat: try r.get("lat"), lon: try r.get("lon")), grams: try r.get("grams"),
                trackingNumbers: try r.get("tracking"),
                started: try r.get("started"))
            if routes.last?.courierID != courier {
                routes.append(
                    ScheduleRoute(
                        courierID: courier, courierName: try r.get("display_name"), meters: 0, grams: 0, stops: []))
            }
            routes[routes.count - 1].stops.append(stop)
            routes[routes.count - 1].grams += stop.grams
        }
        for index in routes.indices {
            let points = routes[index].stops.map(\.location)
            routes[index].meters = Int(
                RoutePlanner.length(depot: depot, stops: points, order: Array(points.indices)).rounded())
        }
        let overflow = try await connection.query(
            """
            SELECT p.id, p.tracking_no, CASE WHEN \(kind == .pickup) THEN s.name
                ELSE COALESCE(p.dest_recipient_name, o.recipient_name) END,
                p.weight_grams
            FROM schedule_overflow so JOIN packages p ON p.id = so.package_id
                JOIN suppliers s ON s.id = p.supplier_id JOIN orders o ON o.id = p.order_id
            WHERE so.schedule_id = \(id)
            UNION ALL
            SELECT c.package_id, c.return_tracking_no, CASE WHEN \(kind == .pickup) THEN s.name
                ELSE COALESCE(p.dest_recipient_name, o.recipient_name) END,
                \(unescaped: SchedulePool.returnGrams)
            FROM schedule_overflow_returns so JOIN complaints c ON c.id = so.complaint_id
                JOIN packages p ON p.id = c.package_id JOIN suppliers s ON s.id = c.supplier_id
                JOIN orders o ON o.id = p.order_id
            WHERE so.schedule_id = \(id)
            ORDER BY 2
            """,
            logger: logger
        ).collect().decode((UUID, String?, String, Int).self).map {
            OverflowParcel(packageID: $0.0, trackingNo: $0.1 ?? "", stopName: $0.2, grams: $0.3)
        }
        return Schedule(
            id: id, postOfficeID: head.0, serviceOn: head.1, shift: shift, kind: kind, plannedAt: head.4,
            revision: head.5, routes: routes, overflow: overflow)
    }
}
