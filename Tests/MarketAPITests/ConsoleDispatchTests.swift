import Crypto
import Foundation
import HTTPTypes
import Kernel
import Logistics
import Testing

@testable import MarketAPI
@testable import MarketWeb

/// The clerk's desk in the console (issue 18): planning a round, a courier's route and printed
/// manifest, couriers' capacity, the cash handover at the counter and the discrepancies it opens;
/// and the courier finding a parcel on the manifest by its number.
@Suite("Console: dispatch, handover, discrepancies")
struct ConsoleDispatchTests {
    typealias Browser = ConsoleTests.Browser

    @Test func aClerkPlansARoundOpensTheRouteAndPrintsTheManifest() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let (_, tracking) = try await w.readyOrder()
            let courier = w.couriers[0].id
            let office = w.office.uuidString.lowercased()
            let today = LogisticsWorld.today
            let clerk = try await Browser.staff(w.world, role: "clerk", office: w.office, name: "Trần Thị Lan").browser

            let empty = try await clerk.send(.get, "/console/dieu-phoi")
            #expect(empty.status == .ok)
            #expect(empty.text.contains("Chưa có chuyến nào trong ngày này."))
            let csrf = try #require(Browser.csrf(empty))
            let planned = try await clerk.send(
                .post, "/console/dieu-phoi/lap-chuyen",
                form: ["csrf": csrf, "buu-cuc": office, "ngay": today, "ca": "morning", "loai": "pickup"])
            #expect(planned.status == .seeOther)
            #expect(planned.headers[.location] == "/console/dieu-phoi?buu-cuc=\(office)&ngay=\(today)&ket-qua=da-lap")
            let day = try await clerk.send(.get, try #require(planned.headers[.location]))
            #expect(day.text.contains("Đã lập chuyến."))
            #expect(day.text.contains("Chuyến lấy hàng, ca sáng"))
            let routeLink = "/console/lo-trinh/\(courier)/\(today)"
            #expect(day.text.contains("href=\"\(routeLink)\""))
            // The plan the page made is the scheduler's: the API lists it with both parcels.
            let schedules = try await w.world.expect(
                .get, "/v1/post-offices/\(w.office)/schedules?service_on=\(today)", w.clerk, status: .ok)
            let items = schedules.json["items"] as? [[String: Any]] ?? []
            #expect(items.count == 1)
            #expect(Set(LogisticsWorld.stops(of: items.first ?? [:]).keys) == Set(tracking))

            let route = try await clerk.send(.get, routeLink)
            #expect(route.status == .ok)
            for number in tracking { #expect(route.text.contains(number)) }
            #expect(route.text.contains("/console/assets/leaflet.min.js"))
            // The map's data: the office and the run's stops with their sequence and coordinates.
            let attribute = try #require(route.text.firstMatch(of: /data-route="([^"]*)"/)?.1)
            let json = String(attribute).replacingOccurrences(of: "&quot;", with: "\"")
                .replacingOccurrences(of: "&amp;", with: "&")
            let map = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            let runs = try #require(map["runs"] as? [[String: Any]])
            let stops = try #require(runs.first?["stops"] as? [[String: Any]])
            #expect(stops.compactMap { $0["sequence"] as? Int } == Array(1...stops.count))
            #expect(stops.allSatisfy { $0["lat"] != nil && $0["lon"] != nil && $0["name"] is String })
            for asset in ["leaflet.min.js", "leaflet.css", "route-map.js"] {
                #expect(try await clerk.send(.get, "/console/assets/\(asset)").status == .ok)
            }

            // The printable sheet: its one inline stylesheet is the one the policy's hash allows.
            let sheet = try await clerk.send(.get, "\(routeLink)/in")
            #expect(sheet.status == .ok)
            #expect(sheet.text.contains("Bảng kê lấy hàng") && sheet.text.contains(tracking[0]))
            let style = try #require(sheet.text.firstMatch(of: /<style>([\s\S]*?)<\/style>/)?.1)
            let hash = Data(SHA256.hash(data: Data(String(style).utf8))).base64EncodedString()
            let policy = try #require(sheet.headers[.contentSecurityPolicy])
            #expect(policy.contains("style-src 'sha256-\(hash)'"))
            #expect(!policy.contains("script-src") && policy.contains("default-src 'none'"))

            // Capacity: the form's kilograms with a decimal comma; a wrong number changes nothing.
            let saved = try await clerk.send(
                .post, "/console/buu-ta/\(courier)",
                form: ["csrf": csrf, "diem-toi-da": "12", "kg-toi-da": "25,5", "hoat-dong": "1", "ngay": today])
            #expect(saved.status == .seeOther)
            let wrong = try await clerk.send(
                .post, "/console/buu-ta/\(courier)",
                form: ["csrf": csrf, "diem-toi-da": "9", "kg-toi-da": "nhiều", "hoat-dong": "0"])
            #expect(wrong.status == .unprocessableContent)
            let stored = try await w.world.expect(.get, "/v1/couriers/\(courier)", w.clerk, status: .ok).json
            #expect(stored["max_stops"] as? Int == 12 && stored["max_grams"] as? Int == 25_500)
            #expect(stored["is_active"] as? Bool == true)

            // Another office's clerk: not found for office A's desk, route and courier; nothing planned.
            let other = try await Browser.staff(w.world, role: "clerk", office: w.world.officeB).browser
            let otherCSRF = try #require(Browser.csrf(try await other.send(.get, "/console/dieu-phoi")))
            #expect(try await other.send(.get, "/console/dieu-phoi?buu-cuc=\(office)").status == .notFound)
            #expect(try await other.send(.get, routeLink).status == .notFound)
            #expect(try await other.send(.get, "\(routeLink)/in").status == .notFound)
            let foreign = try await other.send(
                .post, "/console/dieu-phoi/lap-chuyen",
                form: ["csrf": otherCSRF, "buu-cuc": office, "ngay": today, "ca": "afternoon", "loai": "pickup"])
            #expect(foreign.status == .notFound)
            let capacity = try await other.send(
                .post, "/console/buu-ta/\(courier)",
                form: ["csrf": otherCSRF, "diem-toi-da": "1", "kg-toi-da": "1", "hoat-dong": "0"])
            #expect(capacity.status == .notFound)
            let count = try await api.db.query(
                "SELECT count(*) FROM schedules WHERE post_office_id = \(w.office)"
            ).decode(Int.self).reduce(0, +)
            #expect(count == 1)
        }
    }

    @Test func aCountShowsTheDifferenceFirstAndRecordsExactlyTheParcelsShown() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let courier = w.couriers[0].id
            let first = try await LedgerTests.deliverFirstParcel(w, short: 0)
            let clerk = try await Browser.staff(w.world, role: "clerk", office: w.office).browser

            let list = try await clerk.send(.get, "/console/nop-tien")
            #expect(list.status == .ok)
            #expect(list.text.contains("href=\"/console/nop-tien/\(courier)\""))
            #expect(list.text.contains(VietnameseFormat.money(Int64(first))))
            // The count, typed the way a clerk writes money, 5,000 short.
            let typed = VietnameseFormat.money(Int64(first - 5000)).replacingOccurrences(of: "\u{00A0}₫", with: "")
            let preview = try await clerk.send(
                .get,
                "/console/nop-tien/\(courier)?so-tien=\(typed.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            )
            #expect(preview.status == .ok)
            #expect(preview.text.contains("Thiếu tiền 5.000\u{00A0}₫"))
            let confirm = try #require(Self.postForm("/console/nop-tien/\(courier)", in: preview.text))
            // A parcel delivered after the preview is not in the count the clerk confirms.
            let second = try await LedgerTests.deliverFirstParcel(w, short: 0)
            let recorded = try await clerk.send(.post, "/console/nop-tien/\(courier)", form: confirm)
            #expect(recorded.status == .seeOther)
            #expect(recorded.headers[.location]?.hasSuffix("ket-qua=chenh-lech") == true)
            let handovers = try await api.db.query(
                "SELECT expected_vnd, counted_vnd FROM cod_handovers WHERE courier_id = \(UUID(uuidString: courier))"
            ).decode((Int64, Int64).self).reduce(into: [(Int64, Int64)]()) { $0.append($1) }
            #expect(handovers.count == 1)
            #expect(handovers.first?.0 == Int64(first) && handovers.first?.1 == Int64(first - 5000))
            let after = try await clerk.send(.get, try #require(recorded.headers[.location]))
            #expect(after.text.contains("mở một chênh lệch"))
            #expect(after.text.contains(VietnameseFormat.money(Int64(second))))
            // The same form again (a reload that posts twice): those parcels are no longer held.
            #expect(try await clerk.send(.post, "/console/nop-tien/\(courier)", form: confirm).status == .conflict)
            // Bad amounts: a page, nothing written.
            for amount in ["", "-5", "12a", "99999999999999"] {
                var bad = confirm
                bad["so-tien"] = amount
                #expect(
                    try await clerk.send(.post, "/console/nop-tien/\(courier)", form: bad).status
                        == .unprocessableContent)
            }

            // The clerk sees the discrepancy but settles nothing; finance settles it with a choice that fits.
            let seen = try await clerk.send(.get, "/console/chenh-lech")
            #expect(seen.text.contains("Thiếu tiền 5.000\u{00A0}₫"))
            #expect(!seen.text.contains("/xu-ly\""))
            let id = try #require(
                try await api.db.query(
                    "SELECT id FROM cod_discrepancies WHERE courier_id = \(UUID(uuidString: courier))"
                ).decode(UUID.self).reduce(into: [UUID]()) { $0.append($1) }.first
            ).uuidString.lowercased()
            let clerkCSRF = try #require(Browser.csrf(seen))
            let byClerk = try await clerk.send(
                .post, "/console/chenh-lech/\(id)/xu-ly", form: ["csrf": clerkCSRF, "cach": "write_off"])
            #expect(byClerk.status == .forbidden)
            let finance = try await Browser.staff(w.world, role: "finance", office: nil).browser
            let queue = try await finance.send(.get, "/console/chenh-lech")
            #expect(queue.text.contains("value=\"charge_courier\"") && queue.text.contains("value=\"write_off\""))
            #expect(!queue.text.contains("value=\"refund_buyer\""))
            let settled = try await finance.send(
                .post, "/console/chenh-lech/\(id)/xu-ly",
                form: ["csrf": try #require(Browser.csrf(queue)), "cach": "charge_courier", "ghi-chu": "Trừ lương"])
            #expect(settled.status == .seeOther)
            let status = try await api.db.query(
                "SELECT status FROM cod_discrepancies WHERE id = \(UUID(uuidString: id))"
            )
            .decode(String.self).reduce(into: [String]()) { $0.append($1) }
            #expect(status == ["resolved"])
            #expect(try await finance.send(.get, "/console/chenh-lech").text.contains("Không có chênh lệch nào"))
        }
    }

    @Test func aCourierFindsAParcelByItsNumberWithTheCheckDigitVerified() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 0)
            let (courierBrowser, _, courier) = try await Browser.staff(w.world, role: "courier", office: w.office)
            try await w.world.expect(
                .patch, "/v1/couriers/\(courier)", w.clerk, json: ["max_stops": 40, "max_grams": 150_000], status: .ok)
            let (_, tracking) = try await w.readyOrder()
            #expect(try await w.plan("pickup").status == .created)

            let found = try await courierBrowser.send(.get, "/console/bang-ke?van-don=\(tracking[1].lowercased())")
            #expect(found.status == .ok)
            #expect(found.text.contains("id=\"bg-\(tracking[1])\""))
            #expect(!found.text.contains("id=\"bg-\(tracking[0])\""))
            // One digit of the serial changed so that the check digit no longer fits.
            let typo = try #require(
                (0...9).map { digit -> String in
                    var digits = Array(tracking[1])
                    digits[5] = Character(String(digit))
                    return String(digits)
                }.first { (try? S10(parsing: $0)) == nil })
            let mistyped = try await courierBrowser.send(.get, "/console/bang-ke?van-don=\(typo)")
            #expect(mistyped.text.contains("sai số kiểm tra"))
            #expect(!mistyped.text.contains("class=\"found\""))
            let elsewhere = try await courierBrowser.send(.get, "/console/bang-ke?van-don=EC999999995VN")
            #expect(elsewhere.text.contains("không có trong bảng kê hôm nay"))
            let page = try await courierBrowser.send(.get, "/console/bang-ke")
            for number in tracking { #expect(page.text.contains("id=\"bg-\(number)\"")) }
        }
    }

    /// The named fields of the page's POST form to `action`.
    static func postForm(_ action: String, in html: String) -> [String: String]? {
        guard let start = html.range(of: "method=\"post\" action=\"\(action)\""),
            let end = html.range(of: "</form>", range: start.upperBound..<html.endIndex)
        else { return nil }
        var fields: [String: String] = [:]
        for match in html[start.upperBound..<end.lowerBound].matches(of: /name="([a-z-]+)" value="([^"]*)"/) {
            fields[String(match.1)] = String(match.2)
        }
        return fields
    }
}
