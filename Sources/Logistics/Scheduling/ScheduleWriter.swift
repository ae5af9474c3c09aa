import Foundation
import Logging
import PostgresNIO

/// Replaces a schedule's unstarted stops with a new plan, in set-based statements: the pooled
/// parcels leave whatever stop they were on, the plan's stops are written with ids derived from
/// (schedule, stop key), and each parcel (and each complaint's goods) is put on exactly one of them
/// or in the overflow.
struct ScheduleWriter: Sendable {
    let logger: Logger

    func write(
        _ plan: StopPlan, pool: SchedulePool, scheduleID: UUID, postOffice: UUID, kind: RunKind, actor: UUID?,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            DELETE FROM stop_parcels sp USING schedule_stops st
            WHERE sp.stop_id = st.id AND st.schedule_id = \(scheduleID) AND NOT st.id = ANY(\(pool.frozenStopIDs))
            """,
            logger: logger)
        try await connection.query(
            """
            DELETE FROM stop_returns sr USING schedule_stops st
            WHERE sr.stop_id = st.id AND st.schedule_id = \(scheduleID) AND NOT st.id = ANY(\(pool.frozenStopIDs))
            """,
            logger: logger)
        try await connection.query(
            "DELETE FROM stop_parcels WHERE kind = \(kind.rawValue) AND package_id = ANY(\(pool.pooledPackages))",
            logger: logger)
        try await connection.query(
            "DELETE FROM stop_returns WHERE kind = \(kind.rawValue) AND complaint_id = ANY(\(pool.pooledReturns))",
            logger: logger)
        // Stops left without parcels (this plan's old ones, or an earlier shift's whose parcels were
        // missed and moved here) go; started stops always keep their parcels.
        try await connection.query(
            """
            DELETE FROM schedule_stops st USING schedules sc
            WHERE sc.id = st.schedule_id AND sc.post_office_id = \(postOffice) AND sc.kind = \(kind.rawValue)
                AND NOT EXISTS (SELECT 1 FROM stop_parcels sp WHERE sp.stop_id = st.id)
                AND NOT EXISTS (SELECT 1 FROM stop_returns sr WHERE sr.stop_id = st.id)
            """,
            logger: logger)

        var keys: [UUID] = []
        var couriers: [UUID] = []
        var sequences: [Int] = []
        var names: [String] = []
        var phones: [String] = []
        var addresses: [String] = []
        var communes: [String] = []
        var lats: [Double] = []
        var lons: [Double] = []
        var grams: [Int] = []
        var parcelIDs: [UUID] = []
        var parcelKeys: [UUID] = []
        var returnIDs: [UUID] = []
        var returnKeys: [UUID] = []
        for route in plan.routes {
            let offset = pool.lastFrozenSequence[route.courierID] ?? 0
            for (position, index) in route.stops.enumerated() {
                let stop = pool.stops[index]
                let demand = pool.demands[index]
                keys.append(stop.key)
                couriers.append(route.courierID)
                sequences.append(offset + position + 1)
                names.append(stop.name)
                phones.append(stop.phone)
                addresses.append(stop.addressLine)
                communes.append(stop.communeCode)
                lats.append(demand.location.lat)
                lons.append(demand.location.lon)
                grams.append(demand.grams)
                parcelIDs += stop.packages
                parcelKeys += Array(repeating: stop.key, count: stop.packages.count)
                returnIDs += stop.returns
                returnKeys += Array(repeating: stop.key, count: stop.returns.count)
            }
        }
        try await connection.query(
            """
            INSERT INTO schedule_stops (id, schedule_id, stop_key, courier_id, sequence, supplier_id, name, phone,
                address_line, commune_code, lat, lon, grams)
            SELECT md5(\(scheduleID)::text || ':' || k::text)::uuid, \(scheduleID), k, c, q,
                CASE WHEN \(kind == .pickup) THEN k END, n, ph, a, cc, la, lo, g
            FROM unnest(\(keys)::uuid[], \(couriers)::uuid[], \(sequences)::int[],
                \(names)::text[], \(phones)::text[], \(addresses)::text[], \(communes)::text[],
                \(lats)::float8[], \(lons)::float8[], \(grams)::int[])
                AS t (k, c, q, n, ph, a, cc, la, lo, g)
            """,
            logger: logger)
        try await connection.query(
            """
            INSERT INTO stop_parcels (package_id, kind, stop_id)
            SELECT pid, \(kind.rawValue), md5(\(scheduleID)::text || ':' || k::text)::uuid
            FROM unnest(\(parcelIDs)::uuid[], \(parcelKeys)::uuid[]) AS t (pid, k)
            """,
            logger: logger)

        try await connection.query(
            """
            INSERT INTO stop_returns (complaint_id, kind, stop_id)
            SELECT cid, \(kind.rawValue), md5(\(scheduleID)::text || ':' || k::text)::uuid
            FROM unnest(\(returnIDs)::uuid[], \(returnKeys)::uuid[]) AS t (cid, k)
            """,
            logger: logger)

        let overflow = plan.overflow.flatMap { pool.stops[$0].packages } + pool.late
        let overflowReturns = plan.overflow.flatMap { pool.stops[$0].returns } + pool.lateReturns
        try await connection.query("DELETE FROM schedule_overflow WHERE schedule_id = \(scheduleID)", logger: logger)
        try await connection.query(
            "DELETE FROM schedule_overflow_returns WHERE schedule_id = \(scheduleID)", logger: logger)
        try await connection.query(
            """
            INSERT INTO schedule_overflow_returns (schedule_id, complaint_id)
            SELECT \(scheduleID), cid FROM unnest(\(overflowReturns)::uuid[]) AS cid
            """,
            logger: logger)
        try await connection.query(
            """
            INSERT INTO schedule_overflow (schedule_id, package_id)
            SELECT \(scheduleID), pid FROM unnest(\(overflow)::uuid[]) AS pid
            """,
            logger: logger)
        try await connection.query(
            """
            UPDATE schedules SET revision = revision + 1, planned_at = now(), planned_by = \(actor)
            WHERE id = \(scheduleID)
            """,
            logger: logger)
    }
}
