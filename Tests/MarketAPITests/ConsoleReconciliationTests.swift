import Foundation
import HTTPTypes
import Kernel
import Logistics
import Testing

@testable import MarketAPI
@testable import MarketWeb

/// Issue 18: finance's reconciliation report in the console, by post office, courier or seller, and as
/// a CSV file Excel opens with its Vietnamese intact.
@Suite("Console: reconciliation report and its CSV")
struct ConsoleReconciliationTests {
    @Test func financeReadsThePeriodByOfficeCourierAndSellerAndDownloadsIt() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let cod = try await LedgerTests.deliverFirstParcel(w, short: 10_000)
            let (finance, _, _) = try await ConsoleTests.Browser.staff(w.world, role: "finance", office: nil)
            #expect(try await finance.send(.get, "/console/").text.contains("href=\"/console/doi-soat\""))

            let byOffice = try await finance.send(.get, "/console/doi-soat")
            #expect(byOffice.status == .ok)
            let expected = VietnameseFormat.money(Int64(cod))
            let collected = VietnameseFormat.money(Int64(cod - 10_000))
            // One parcel: owed in full, collected short, nothing handed over yet (still with the courier).
            #expect(
                byOffice.text.contains(
                    "<td class=\"num\">1</td><td class=\"num\">\(expected)</td><td class=\"num\">\(collected)</td><td class=\"num\">0\u{00A0}₫</td>"
                ))
            #expect(byOffice.text.contains("<tr class=\"late\">"))
            #expect(byOffice.text.contains("<tfoot><tr><th>Tổng</th><th class=\"num\">1</th>"))
            #expect(byOffice.text.contains("1 (-10.000\u{00A0}₫)"))

            let courier = try await finance.send(.get, "/console/doi-soat?theo=buu-ta")
            let courierID = try #require(w.couriers.first).id
            let courierUser = try await w.world.expect(.get, "/v1/users/\(courierID)", w.world.admin, status: .ok)
            let courierName = try #require(courierUser.json["display_name"] as? String)
            #expect(courier.text.contains("<td>\(courierName)</td>"))

            let csv = try await finance.send(.get, "/console/doi-soat.csv?theo=nguoi-ban")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"doi-soat-nguoi-ban-") == true)
            #expect(Array(csv.text.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let lines = csv.text.dropFirst().split(separator: "\r\n", omittingEmptySubsequences: true)
            #expect(lines.first?.hasPrefix("supplier_id,name,parcels,expected_cod_vnd,collected_vnd") == true)
            #expect(lines.count == 2)
            #expect(lines.last?.contains(",1,\(cod),\(cod - 10_000),0,0,\(cod - 10_000),1,-10000") == true)

            // Periods that say nothing, or a grouping that does not exist: a page that names the field.
            for bad in ["tu=2026-13-01", "tu=2026-12-10&den=2026-12-01", "theo=tinh", "tu=2024-01-01&den=2026-01-01"] {
                let reply = try await finance.send(.get, "/console/doi-soat?\(bad)")
                #expect(reply.status == .unprocessableContent, "\(bad)")
                #expect(reply.text.contains("Thông tin chưa đúng"), "\(bad)")
            }
            let empty = try await finance.send(.get, "/console/doi-soat?tu=2025-01-01&den=2025-01-31")
            #expect(empty.text.contains("Không có kiện thu hộ nào"))
        }
    }
}
