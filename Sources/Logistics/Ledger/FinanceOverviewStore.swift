import Foundation
import Kernel
import Logging
import PostgresNIO

/// The dashboard's reads (finance and admins): sums per business day in Asia/Ho_Chi_Minh, and the
/// courier-cash accounts of the ledger with the oldest collection each still holds.
public struct FinanceOverviewStore: Sendable {
    let db: Database
    let logger: Logger

    /// How far back the oldest collection still held is looked for (index `shipment_events_delivered_by_idx`):
    /// cash is handed over daily, so older cash still held shows as "—", and the balance still counts.
    static let heldWindowDays = 60

    public init(db: Database, logger: Logger) {
        (self.db, self.logger) = (db, logger)
    }

    public func overview(days: Int = 30, caller: Caller, now: Date = Date()) async throws -> FinanceOverview {
        try caller.signedIn().require(.finance)
        let today = CalendarDay.today(now: now)
        let first = today.adding(days: 1 - days)
        let from = first.startInVietnam
        let collected = try await sums(
            """
            SELECT (delivered_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date::text, sum(cod_collected_vnd)::int8
            FROM packages WHERE status = 'delivered' AND delivered_at >= \(from) AND cod_collected_vnd > 0
            GROUP BY 1
            """)
        let handedOver = try await sums(
            """
            SELECT business_day::text, sum(counted_vnd)::int8 FROM cod_handovers
            WHERE business_day >= \(first.description)::date GROUP BY 1
            """)
        let remitted = try await sums(
            """
            SELECT (settled_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date::text, sum(amount_vnd)::int8
            FROM remittance_lines WHERE status = 'paid' AND settled_at >= \(from) GROUP BY 1
            """)
        let couriers = try await db.query(
            """
            SELECT a.owner_id, u.display_name, po.name, a.balance_vnd,
                   (SELECT min(e.occurred_at) FROM shipment_events e
                    WHERE e.recorded_by = a.owner_id AND e.type = 'delivered' AND e.applied
                      AND e.occurred_at > \(now) - make_interval(days => \(Self.heldWindowDays)::int)
                      AND e.cod_collected_vnd > 0
                      AND NOT EXISTS (SELECT 1 FROM handover_parcels h WHERE h.package_id = e.package_id))
            FROM ledger_accounts a
            JOIN users u ON u.id = a.owner_id
            LEFT JOIN couriers c ON c.user_id = a.owner_id
            LEFT JOIN post_offices po ON po.id = c.post_office_id
            WHERE a.kind = 'courier_cash' AND a.balance_vnd > 0
            ORDER BY a.balance_vnd DESC, a.owner_id LIMIT 50
            """,
            logger: logger
        ).decode((UUID, String, String?, Int64, Date?).self).map {
            FinanceOverview.CourierCash(
                courierID: $0.0, name: $0.1, postOffice: $0.2, heldVND: $0.3, oldestSince: $0.4)
        }
        return FinanceOverview(
            days: FinanceOverview.series(
                last: days, endingOn: today, collected: collected, handedOver: handedOver, remitted: remitted),
            couriers: couriers)
    }

    private func sums(_ query: PostgresQuery) async throws -> [CalendarDay: Int64] {
        var result: [CalendarDay: Int64] = [:]
        for (text, sum) in try await db.query(query, logger: logger).decode((String, Int64).self) {
            if let day = CalendarDay(text) { result[day] = sum }
        }
        return result
    }
}
