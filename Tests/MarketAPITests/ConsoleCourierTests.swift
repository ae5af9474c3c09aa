import Foundation
import HTTPTypes
import Testing

@testable import MarketAPI
@testable import MarketWeb

/// The courier's manifest page: today's stops in order, each parcel's next scan as a form whose event
/// id makes a double tap harmless.
@Suite("Console: the courier's manifest and scans")
struct ConsoleCourierTests {
    @Test func aCourierPicksUpFromTheManifestOnceWhateverTheTaps() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 0)
            let email = "courier-console-\(UUID().uuidString.prefix(6))@example.vn"
            let created = try await w.world.expect(
                .post, "/v1/users", w.world.admin,
                json: [
                    "email": email, "password": "staff-password-1", "display_name": "Đặng Văn Phúc",
                    "phone": "0905111222",
                    "roles": [["role": "courier", "post_office_id": w.office.uuidString]],
                ], status: .created)
            let courierID = try #require(created.json["id"] as? String)
            try await w.world.expect(
                .patch, "/v1/couriers/\(courierID)", w.clerk, json: ["max_stops": 40, "max_grams": 150_000],
                status: .ok)
            let (readied, tracking) = try await w.readyOrder()
            // The order as the API tells its tracking numbers (readyOrder's JSON predates them).
            let order = try await LedgerTests.refreshed(w, readied)
            let planned = try await w.plan("pickup")
            #expect(planned.status == .created || planned.status == .ok)

            let browser = ConsoleTests.Browser(api)
            #expect(try await browser.signIn(email, "staff-password-1").status == .seeOther)
            let home = try await browser.send(.get, "/console/")
            #expect(home.text.contains("Bảng kê hôm nay"))
            let page = try await browser.send(.get, "/console/bang-ke")
            #expect(page.status == .ok)
            #expect(page.text.contains(tracking[0]) && page.text.contains("Đã lấy hàng"))
            #expect(page.text.contains("Chuyến lấy hàng"))
            #expect(page.text.contains("Mất sóng vẫn bấm được"))
            #expect(page.text.contains("/console/assets/courier.js"))
            // The form of the first parcel, posted twice as a double tap would.
            let form = try #require(Self.form(of: tracking[0], in: page.text))
            for _ in 0..<2 {
                let sent = try await browser.send(.post, "/console/quet/\(tracking[0])", form: form)
                #expect(sent.status == .seeOther)
            }
            let events = try await api.db.query(
                """
                SELECT count(*) FROM shipment_events e JOIN packages p ON p.id = e.package_id
                WHERE p.tracking_no = \(tracking[0])
                """
            ).decode(Int.self).reduce(0, +)
            #expect(events == 1)
            let after = try await browser.send(.get, "/console/bang-ke?ket-qua=da-ghi")
            #expect(after.text.contains("Đã ghi nhận."))

            // The phone's offline queue sends the second parcel's pickup later, with the time of the tap,
            // and asks for JSON: applied; sent again (no answer reached the phone): still applied once;
            // a scan the parcel cannot take: refused, with the reason in words.
            var queued = try #require(Self.form(of: tracking[1], in: page.text))
            let tapped = Date().addingTimeInterval(-90)
            queued["occurred_at"] = ISO8601DateFormatter().string(from: tapped)
            for _ in 0..<2 {
                let answer = try await browser.send(
                    .post, "/console/quet/\(tracking[1])", form: queued, accept: "application/json")
                #expect(answer.status == .ok)
                #expect(answer.contentType == "application/json; charset=utf-8")
                #expect(answer.json["outcome"] as? String == "applied")
            }
            let recorded = try await api.db.query(
                """
                SELECT e.occurred_at FROM shipment_events e JOIN packages p ON p.id = e.package_id
                WHERE p.tracking_no = \(tracking[1])
                """
            ).decode(Date.self).reduce(into: [Date]()) { $0.append($1) }
            #expect(recorded.count == 1)
            #expect(abs((recorded.first ?? .distantPast).timeIntervalSince(tapped)) < 1)
            let refused = try await browser.send(
                .post, "/console/quet/\(tracking[1])",
                form: [
                    "csrf": queued["csrf"] ?? "", "type": "delivered", "event": UUID().uuidString, "code": "123456",
                    "recipient": "Ai đó", "cod": "0",
                ], accept: "application/json")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.json["outcome"] as? String == "refused")
            #expect((refused.json["message"] as? String)?.isEmpty == false)
            // On to the recipient: at the office, out, then delivered through the same form a delivery
            // run shows (a wrong code first: counted, and the page says which field).
            try await w.scan(
                tracking[0], "arrived_at_hub", by: w.clerk, at: Date().addingTimeInterval(1),
                extra: ["post_office_id": w.office.uuidString])
            // The helper sends whole seconds; the pages record the moment of the tap: let the next
            // tap come after the hub scan's second.
            try await Task.sleep(for: .seconds(2))
            let csrf = try #require(ConsoleTests.Browser.csrf(after))
            let out = try await browser.send(
                .post, "/console/quet/\(tracking[0])",
                form: ["csrf": csrf, "type": "out_for_delivery", "event": UUID().uuidString])
            #expect(out.status == .seeOther)
            let code = try #require(order["delivery_code"] as? String)
            let cod =
                ((order["packages"] as? [[String: Any]]) ?? []).first {
                    $0["tracking_no"] as? String == tracking[0]
                }?["cod_amount_vnd"] as? Int
            let wrong = try await browser.send(
                .post, "/console/quet/\(tracking[0])",
                form: [
                    "csrf": csrf, "type": "delivered", "event": UUID().uuidString,
                    "code": code == "000000" ? "111111" : "000000",
                    "recipient": "Nguyễn Thị Mai", "cod": String(cod ?? 0),
                ])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.text.contains("mã nhận hàng"))
            let delivered = try await browser.send(
                .post, "/console/quet/\(tracking[0])",
                form: [
                    "csrf": csrf, "type": "delivered", "event": UUID().uuidString, "code": code,
                    "recipient": "Nguyễn Thị Mai", "cod": String(cod ?? 0),
                ])
            #expect(delivered.headers[.location] == "/console/bang-ke?ket-qua=da-ghi")
            #expect(delivered.status == .seeOther)
            let cash = try await api.db.query(
                """
                SELECT COALESCE(sum(balance_vnd), 0)::int8 FROM ledger_accounts
                WHERE kind = 'courier_cash' AND owner_id = \(UUID(uuidString: courierID))
                """
            ).decode(Int64.self).reduce(0, +)
            let history = try await api.db.query(
                """
                SELECT e.type || ':' || e.applied::text FROM shipment_events e JOIN packages p ON p.id = e.package_id
                WHERE p.tracking_no = \(tracking[0]) ORDER BY e.occurred_at
                """
            ).decode(String.self).reduce(into: [String]()) { $0.append($1) }
            #expect(cash == Int64(cod ?? -1), "events: \(history)")
            // A clerk is no courier: the page is not for him.
            let clerk = try await ConsoleTests.Browser.staff(w.world, role: "clerk", office: w.office).browser
            #expect(try await clerk.send(.get, "/console/bang-ke").status == .forbidden)
        }
    }

    /// The hidden fields of the first form posting to `/console/quet/<tracking>`.
    static func form(of tracking: String, in html: String) -> [String: String]? {
        guard let start = html.range(of: "action=\"/console/quet/\(tracking)\""),
            let end = html.range(of: "</form>", range: start.upperBound..<html.endIndex)
        else { return nil }
        let body = html[start.upperBound..<end.lowerBound]
        var fields: [String: String] = [:]
        for match in body.matches(of: /name="([a-z_]+)" value="([^"]*)"/) {
            fields[String(match.1)] = String(match.2)
        }
        return fields
    }
}
