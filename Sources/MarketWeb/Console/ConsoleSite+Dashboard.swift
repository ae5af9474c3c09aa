import Foundation
import Hummingbird
import Kernel
import Logistics

/// Finance's dashboard (issue 18): the cash of the last 30 days as it moved, who holds cash now and
/// for how long, open discrepancies and refunds owed. Charts are SVG drawn here; each has its numbers
/// as a table beside it, for a screen reader and for copying.
extension ConsoleSite {
    static let dashboardDays = 30
    static let dashboardSeries = [
        SVGChart.Series(name: "Bưu tá thu", cssClass: "s1"), SVGChart.Series(name: "Đã nộp", cssClass: "s2"),
        SVGChart.Series(name: "Đã chi trả", cssClass: "s3"),
    ]

    func dashboard(_ session: WebSession, now: Date = Date()) async throws -> Response {
        let overview = try await services.finance.overview(
            days: Self.dashboardDays, caller: session.caller, now: now)
        let discrepancies = try await services.discrepancies.list(status: "open", caller: session.caller)
        let refunds = try await services.refunds.list(paid: false, caller: session.caller)
        let dayLabel = { (day: CalendarDay) in String(format: "%02d/%02d", day.day, day.month) }
        let chart = SVGChart.groupedBars(
            title: "Tiền thu hộ theo ngày, \(Self.dashboardDays) ngày gần nhất",
            groups: overview.days.map { (dayLabel($0.day), [$0.collectedVND, $0.handedOverVND, $0.remittedVND]) },
            series: Self.dashboardSeries)
        let held = overview.couriers.reduce(Int64(0)) { $0 + $1.heldVND }
        // Each courier with the whole days its oldest cash has been held (nil: no collection found).
        let holdings = overview.couriers.map { courier in
            (courier, days: courier.oldestSince.map { FinanceOverview.daysHeld(since: $0, now: now) })
        }
        let couriers: [[String: Any]] = holdings.map { courier, days in
            [
                "name": courier.name, "office": courier.postOffice ?? "—",
                "amount": VietnameseFormat.money(courier.heldVND),
                "since": courier.oldestSince.map(VietnameseFormat.dateTime) ?? "—",
                "age": days.map { $0 == 0 ? "hôm nay" : "\($0) ngày" } ?? "—", "late": (days ?? 0) >= 1,
            ]
        }
        let cashChart = SVGChart.horizontalBars(
            title: "Tiền bưu tá đang giữ",
            rows: holdings.prefix(15).map { courier, days in
                (courier.name, courier.heldVND, (days ?? 0) >= 1 ? "s4" : "s1")
            })
        let sum = { (keyPath: KeyPath<FinanceOverview.Day, Int64>) in
            VietnameseFormat.money(overview.days.reduce(Int64(0)) { $0 + $1[keyPath: keyPath] })
        }
        return render(
            "finance",
            [
                "user": session.header, "days": Self.dashboardDays, "chart": chart,
                "collected": sum(\.collectedVND), "handedOver": sum(\.handedOverVND), "remitted": sum(\.remittedVND),
                "rows": overview.days.reversed().map { day -> [String: Any] in
                    [
                        "day": VietnameseFormat.date(isoDay: day.day.description),
                        "collected": VietnameseFormat.money(day.collectedVND),
                        "handedOver": VietnameseFormat.money(day.handedOverVND),
                        "remitted": VietnameseFormat.money(day.remittedVND),
                    ]
                },
                "held": VietnameseFormat.money(held), "couriers": couriers, "hasCouriers": !couriers.isEmpty,
                "cashChart": cashChart,
                "discrepancies": discrepancies.count,
                "discrepancyShort": VietnameseFormat.money(
                    discrepancies.filter { $0.amountVND < 0 }.reduce(Int64(0)) { $0 - $1.amountVND }),
                "discrepancyOver": VietnameseFormat.money(
                    discrepancies.filter { $0.amountVND > 0 }.reduce(Int64(0)) { $0 + $1.amountVND }),
                "refunds": refunds.count,
                "refundsVND": VietnameseFormat.money(refunds.reduce(Int64(0)) { $0 + $1.amountVND }),
            ])
    }
}
