import Foundation
import HTTPTypes
import Kernel
import Testing

@testable import MarketAPI
@testable import MarketWeb

/// Issue 18: finance's dashboard, with its charts drawn on the server as SVG.
@Suite("Console: finance dashboard and its SVG charts")
struct ConsoleDashboardTests {
    @Test func theAxisFallsOnRoundAmountsAndReadsShort() {
        #expect(SVGChart.axisTop(0) == 4_000)
        #expect(SVGChart.axisTop(1_234_000) == 2_000_000)
        #expect(SVGChart.axisTop(4_100_000) == 5_000_000)
        #expect(SVGChart.axisTop(2_000_000) == 2_000_000)
        #expect(SVGChart.axisTop(7_999) == 8_000)
        for largest: Int64 in [1, 9, 99, 12_345, 987_654_321, 5_000_000_000] {
            let top = SVGChart.axisTop(largest)
            #expect(top >= largest && top % 4 == 0, "\(largest) → \(top)")
        }
        #expect(SVGChart.compact(1_500_000) == "1,5 tr")
        #expect(SVGChart.compact(250_000) == "250 nghìn")
        #expect(SVGChart.compact(2_000_000_000) == "2 tỷ")
        #expect(SVGChart.compact(0) == "0")
    }

    @Test func barsHaveExactTooltipsAndTextIsEscaped() {
        let svg = SVGChart.groupedBars(
            title: "Thu <hộ> & \"nộp\"", groups: [("01/03", [150_000, 0, 20_000]), ("02/03", [0, 0, 0])],
            series: ConsoleSite.dashboardSeries)
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>"))
        #expect(svg.components(separatedBy: "<rect").count - 1 == 2)  // zeros draw nothing
        #expect(svg.contains("01/03: Bưu tá thu 150.000\u{00A0}₫"))
        #expect(svg.contains("Thu &lt;hộ&gt; &amp; &quot;nộp&quot;") && !svg.contains("<hộ>"))
        #expect(!svg.contains("style="))  // the CSP allows no style attributes
        let rows = SVGChart.horizontalBars(title: "x", rows: [("<script>alert(1)</script>", 5_000, "s1")])
        #expect(rows.contains("&lt;script&gt;") && !rows.contains("<script>"))
    }

    @Test func financeSeesTheDaysCashCourierHoldingsAndOpenDiscrepancies() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let courier = try #require(w.couriers.first)
            // A name with markup: the page and its SVG must show it as text.
            try await w.world.expect(
                .patch, "/v1/users/\(courier.id)", w.world.admin, json: ["display_name": "Bưu tá <b>Tư</b> & Em"],
                status: .ok)
            // Collected 10,000 đ short: held by the courier, and a discrepancy opens.
            let cod = try await LedgerTests.deliverFirstParcel(w, short: 10_000)

            let (finance, _, _) = try await ConsoleTests.Browser.staff(w.world, role: "finance", office: nil)
            let home = try await finance.send(.get, "/console/")
            #expect(home.text.contains("href=\"/console/tai-chinh\""))
            let page = try await finance.send(.get, "/console/tai-chinh")
            #expect(page.status == .ok)
            let collected = VietnameseFormat.money(Int64(cod - 10_000))
            let today = VietnameseFormat.date(Date())
            #expect(page.text.contains("<tr><td>\(today)</td><td class=\"num\">\(collected)</td>"))
            #expect(page.text.contains("<svg class=\"chart\""))
            #expect(page.text.contains("Bưu tá thu \(collected)</title>"))
            // Who holds it, since today; the name escaped in the table and in the chart alike.
            #expect(page.text.contains("Bưu tá &lt;b&gt;Tư&lt;/b&gt; &amp; Em"))
            #expect(!page.text.contains("<b>Tư</b>"))
            #expect(page.text.contains("<td class=\"num\">\(collected)</td><td class=\"wide\">"))
            #expect(page.text.contains("hôm nay"))
            #expect(page.text.contains("1 chênh lệch") && page.text.contains("thiếu 10.000\u{00A0}₫"))
            try await LedgerTests.ledgerIsClean(api)
        }
    }
}
