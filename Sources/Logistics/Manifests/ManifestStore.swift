import Foundation
import Kernel
import Logging
import PostgresNIO

/// A courier's runs of a day, read from the plans (two queries whatever the number of stops).
public struct ManifestStore: Sendable {
    let db: Database
    let logger: Logger

    public init(db: Database, logger: Logger) {
        self.db = db
        self.logger = logger
    }

    /// The courier itself, or a clerk of its post office; anyone else is told it does not exist.
    public func manifest(courier id: UUID, on day: String, caller: Caller, now: Date = Date()) async throws -> Manifest
    {
        let principal = try caller.signedIn()
        try principal.require(.courier, .clerk)
        guard BusinessDay.start(of: day) != nil else {
            throw DomainError.invalid("service_on", "must be a date such as 2026-11-27")
        }
        return try await db.withConnection { connection in
            let heads = try await connection.query(
                """
                SELECT c.post_office_id, u.display_name, u.phone, po.code, po.name, po.address_line,
                    COALESCE(po.lat, 0), COALESCE(po.lon, 0)
                FROM couriers c JOIN users u ON u.id = c.user_id JOIN post_offices po ON po.id = c.post_office_id
                WHERE c.user_id = \(id)
                """,
                logger: logger
            ).collect().decode((UUID, String, String?, String, String, String, Double, Double).self)
            guard let head = heads.first,
                id == principal.userID || principal.worksAt(postOffice: head.0, as: .clerk)
            else { throw DomainError.notFound("No courier with this id.") }
            let rows = try await connection.query(
                """
                SELECT sc.kind, sc.shift, st.id AS stop_id, st.sequence, st.name, st.phone, st.address_line,
                    cm.name AS commune_name, pv.name AS province_name, st.lat, st.lon,
                    p.tracking_no, p.number, p.weight_grams, p.cod_amount_vnd, p.status,
                    COALESCE(p.chargeable_weight_grams, p.weight_grams) AS chargeable_weight_grams,
                    COALESCE(p.declared_value_vnd, p.items_total_vnd) AS declared_value_vnd,
                    NULL::text AS complaint_number
                FROM schedules sc JOIN schedule_stops st ON st.schedule_id = sc.id
                    JOIN stop_parcels sp ON sp.stop_id = st.id JOIN packages p ON p.id = sp.package_id
                    JOIN communes cm ON cm.code = st.commune_code JOIN provinces pv ON pv.code = cm.province_code
                WHERE st.courier_id = \(id) AND sc.service_on = \(day)::date
                UNION ALL
                SELECT sc.kind, sc.shift, st.id, st.sequence, st.name, st.phone, st.address_line, cm.name, pv.name,
                    st.lat, st.lon, c.return_tracking_no, p.number, g.grams, 0::bigint,
                    CASE c.return_status WHEN 'awaiting_pickup' THEN 'ready_for_pickup'
                        WHEN 'picked_up' THEN 'in_transit' ELSE c.return_status END,
                    g.grams, c.claimed_vnd, c.number
                FROM schedules sc JOIN schedule_stops st ON st.schedule_id = sc.id
                    JOIN stop_returns sr ON sr.stop_id = st.id JOIN complaints c ON c.id = sr.complaint_id
                    JOIN packages p ON p.id = c.package_id
                    CROSS JOIN LATERAL (SELECT \(unescaped: SchedulePool.returnGrams) AS grams) g
                    JOIN communes cm ON cm.code = st.commune_code JOIN provinces pv ON pv.code = cm.province_code
                WHERE st.courier_id = \(id) AND sc.service_on = \(day)::date
                ORDER BY kind DESC, shift DESC, sequence, tracking_no
                """,
                logger: logger
            ).collect()
            var runs: [ManifestRun] = []
            var points: [[GeoPoint]] = []
            var lastStop: UUID?
            for row in rows {
                let r = row.columns
                guard let kind = RunKind(rawValue: try r.get("kind")), let shift = Shift(rawValue: try r.get("shift"))
                else { continue }
                if runs.last?.kind != kind || runs.last?.shift != shift {
                    runs.append(ManifestRun(kind: kind, shift: shift, routeMeters: 0, stops: []))
                    points.append([])
                    lastStop = nil
                }
                let stopID: UUID = try r.get("stop_id")
                if stopID != lastStop {
                    runs[runs.count - 1].stops.append(
                        ManifestStop(
                            sequence: try r.get("sequence"), name: try r.get("name"), phone: try r.get("phone"),
                            addressLine: try r.get("address_line"), communeName: try r.get("commune_name"),
                            provinceName: try r.get("province_name"), parcels: [], status: "pending"))
                    points[points.count - 1].append(GeoPoint(lat: try r.get("lat"), lon: try r.get("lon")))
                    lastStop = stopID
                }
                let status: String = try r.get("status")
                var parcel = ManifestParcel(
                    trackingNo: try r.get("tracking_no", as: String?.self) ?? "", packageNumber: try r.get("number"),
                    weightGrams: try r.get("weight_grams"),
                    codVND: kind == .delivery ? try r.get("cod_amount_vnd") : 0, status: status)
                parcel.chargeableWeightGrams = try r.get("chargeable_weight_grams")
                parcel.declaredValueVND = try r.get("declared_value_vnd")
                parcel.complaintNumber = try r.get("complaint_number")
                let run = runs.count - 1
                let stop = runs[run].stops.count - 1
                runs[run].stops[stop].parcels.append(parcel)
                runs[run].stops[stop].status = Self.stopStatus(runs[run].stops[stop].parcels, kind: kind)
            }
            let depot = GeoPoint(lat: head.6, lon: head.7)
            for index in runs.indices {
                runs[index].routeMeters = Int(
                    RoutePlanner.length(depot: depot, stops: points[index], order: Array(points[index].indices))
                        .rounded())
            }
            return Manifest(
                courier: .init(id: id, name: head.1, phone: head.2),
                postOffice: .init(code: head.3, name: head.4, addressLine: head.5), date: day, generatedAt: now,
                runs: runs)
        }
    }

    /// A stop is done when every parcel on it moved past the run's step. Goods coming back for a
    /// complaint run the other way: collected on a delivery round, handed back on a pickup round.
    static func stopStatus(_ parcels: [ManifestParcel], kind: RunKind) -> String {
        let pending = parcels.filter { $0.isPending(on: kind) }.count
        if pending == parcels.count { return "pending" }
        return pending == 0 ? "done" : "partly_done"
    }
}
