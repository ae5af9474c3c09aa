import Foundation
import Hummingbird
import Kernel
import Logistics

/// Finance's reconciliation report (issue 18, SPEC §6 "đối soát"): COD parcels delivered in a period,
/// by post office, courier or seller, with totals, and the same rows as a CSV file. The period is in
/// business days (Asia/Ho_Chi_Minh), both ends included; the report is the API's own.
extension ConsoleSite {
    /// The grouping as the page's address writes it.
    static let groupings: [(slug: String, grouping: ReconciliationGrouping, label: String)] = [
        ("buu-cuc", .postOffice, "Bưu cục"), ("buu-ta", .courier, "Bưu tá"), ("nguoi-ban", .supplier, "Người bán"),
    ]

    struct ReconciliationQuery {
        var first: CalendarDay
        var last: CalendarDay
        var slug: String
        var grouping: ReconciliationGrouping

        /// From the address (`tu`, `den` as yyyy-MM-dd, `theo`); the last 30 days by post office when
        /// absent. A date that does not parse or a period backwards is a validation error naming it.
        static func parse(_ request: Request, today: CalendarDay) throws(DomainError) -> ReconciliationQuery {
            let slug = ConsoleSite.query(request, "theo") ?? "buu-cuc"
            guard let group = ConsoleSite.groupings.first(where: { $0.slug == slug }) else {
                throw .invalid("group_by", "is not a grouping of the report")
            }
            var v = Validator()
            let first = day(ConsoleSite.query(request, "tu"), default: today.adding(days: -29), "from", &v)
            let last = day(ConsoleSite.query(request, "den"), default: today, "to", &v)
            try v.done()
            guard first <= last else { throw .invalid("to", "must not be before from") }
            return ReconciliationQuery(first: first, last: last, slug: slug, grouping: group.grouping)
        }

        static func day(_ text: String?, default value: CalendarDay, _ field: String, _ v: inout Validator)
            -> CalendarDay
        {
            guard let text, !text.isEmpty else { return value }
            guard let day = CalendarDay(text) else {
                v.fail(field, "must be a date")
                return value
            }
            return day
        }

        var address: String { "tu=\(first)&den=\(last)&theo=\(slug)" }
    }

    /// The period and grouping the address asks for, and the API's report of it.
    func report(_ session: WebSession, _ request: Request, now: Date) async throws -> (
        query: ReconciliationQuery, rows: [ReconciliationRow]
    ) {
        let query = try ReconciliationQuery.parse(request, today: CalendarDay.today(now: now))
        let rows = try await services.reconciliation.report(
            from: query.first.startInVietnam, to: query.last.adding(days: 1).startInVietnam,
            groupBy: query.grouping, caller: session.caller)
        return (query, rows)
    }

    func reconciliation(_ session: WebSession, _ request: Request, now: Date = Date()) async throws -> Response {
        let (query, rows) = try await report(session, request, now: now)
        let money = VietnameseFormat.money
        let total = ReconciliationRow.total(of: rows, name: "Tổng")
        func cells(_ row: ReconciliationRow) -> [String: Any] {
            [
                "name": row.name, "parcels": row.parcels, "expected": money(row.expectedCODVND),
                "collected": money(row.collectedVND), "handedOver": money(row.handedOverVND),
                "remitted": money(row.remittedVND), "outstanding": money(row.outstandingVND),
                "owes": row.outstandingVND > 0,
                "discrepancies": row.openDiscrepancies == 0
                    ? "—" : "\(row.openDiscrepancies) (\(money(row.openDiscrepancyVND)))",
            ]
        }
        return render(
            "reconciliation",
            [
                "user": session.header, "from": query.first.description, "to": query.last.description,
                "groupings": Self.groupings.map {
                    ["slug": $0.slug, "label": $0.label, "selected": $0.slug == query.slug]
                },
                "groupLabel": Self.groupings.first { $0.slug == query.slug }?.label ?? "",
                "period": VietnameseFormat.date(isoDay: query.first.description) + " – "
                    + VietnameseFormat.date(isoDay: query.last.description),
                "rows": rows.map(cells), "hasRows": !rows.isEmpty, "total": cells(total),
                "csv": "/console/doi-soat.csv?\(query.address)",
            ])
    }

    func reconciliationCSV(_ session: WebSession, _ request: Request, now: Date = Date()) async throws -> Response {
        let (query, rows) = try await report(session, request, now: now)
        return PageResponse.csv(
            ReconciliationStore.csv(rows, groupBy: query.grouping),
            filename: "doi-soat-\(query.slug)-\(query.first)-\(query.last).csv")
    }
}
