import Foundation
import HTTPTypes
import Kernel
import Logistics
import Testing

@testable import MarketAPI
@testable import MarketWeb

/// Issue 18: the admin's post offices (details, the communes each serves, a new office) and shipping
/// tariff versions, in the console, through the same stores as the API.
@Suite("Console: post offices and tariffs")
struct ConsoleOfficeTests {
    typealias Browser = ConsoleTests.Browser

    @Test func anAdminAddsAnOfficeAtItsCommunesCentreAndMovesACommuneToIt() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let admin = try await Browser.staff(world, role: "admin", office: nil).browser
            let list = try await admin.send(.get, "/console/buu-cuc?tinh=48")
            #expect(list.status == .ok)
            let csrf = try #require(Browser.csrf(list))
            let code = "HA-\(UUID().uuidString.prefix(4))"
            let fields = [
                "csrf": csrf, "tinh": "48", "xa": CatalogWorld.communeA2, "ma": code.lowercased(),
                "ten": "Bưu cục Cẩm Thanh", "dia-chi": "12 Lý Thường Kiệt", "dien-thoai": "0235 3861 234",
            ]
            let created = try await admin.send(.post, "/console/buu-cuc", form: fields)
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            let id = String(location.dropFirst("/console/buu-cuc/".count).prefix { $0 != "?" })
            let office = try await world.expect(.get, "/v1/post-offices/\(id)", world.admin, status: .ok).json
            #expect(office["code"] as? String == code.uppercased())
            // No coordinates typed: the commune's centroid from the reference data.
            let centroid = try await api.db.query(
                "SELECT lat, lon FROM communes WHERE code = \(CatalogWorld.communeA2)"
            ).decode((Double?, Double?).self).reduce(into: [(Double?, Double?)]()) { $0.append($1) }.first
            #expect(office["lat"] as? Double == centroid?.0 && office["lon"] as? Double == centroid?.1)
            #expect(try await admin.send(.post, "/console/buu-cuc", form: fields).status == .conflict)
            var bad = fields
            bad["ma"] = "A"
            bad["vi-do"] = "bắc"
            #expect(try await admin.send(.post, "/console/buu-cuc", form: bad).status == .unprocessableContent)

            // Its page: office A's commune is offered with its current office named; ticking moves it.
            let page = try await admin.send(.get, location)
            #expect(page.text.contains("Đã tạo bưu cục."))
            #expect(page.text.contains("value=\"\(CatalogWorld.communeA2)\"") && page.text.contains("(đang thuộc "))
            let moved = try await admin.send(
                .post, "/console/buu-cuc/\(id)/xa",
                raw: "csrf=\(csrf)&xa=\(CatalogWorld.communeA2)&xa=\(CatalogWorld.communeA)")
            #expect(moved.status == .seeOther)
            let served =
                try await world.expect(.get, "/v1/post-offices/\(id)", world.admin, status: .ok)
                .json["communes"] as? [String] ?? []
            #expect(Set(served) == [CatalogWorld.communeA, CatalogWorld.communeA2])
            let officeA =
                try await world.expect(.get, "/v1/post-offices/\(world.officeA)", world.admin, status: .ok)
                .json["communes"] as? [String] ?? []
            #expect(!officeA.contains(CatalogWorld.communeA))
            #expect(
                try await admin.send(.post, "/console/buu-cuc/\(id)/xa", raw: "csrf=\(csrf)&xa=123")
                    .status == .unprocessableContent)

            // Details saved; stopping the office.
            let saved = try await admin.send(
                .post, "/console/buu-cuc/\(id)",
                form: [
                    "csrf": csrf, "ten": "Bưu cục Cẩm Thanh (Hội An)", "dia-chi": "12 Lý Thường Kiệt",
                    "hoat-dong": "0", "trung-tam": "0",
                ])
            #expect(saved.status == .seeOther)
            let after = try await world.expect(.get, "/v1/post-offices/\(id)", world.admin, status: .ok).json
            #expect(after["name"] as? String == "Bưu cục Cẩm Thanh (Hội An)" && after["is_active"] as? Bool == false)

            let clerk = try await Browser.staff(world, role: "clerk", office: world.officeA).browser
            #expect(try await clerk.send(.get, "/console/buu-cuc").status == .forbidden)
        }
    }

    @Test func anAdminMakesATariffVersionFromADateAndNeverRewritesAPastOne() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let admin = try await Browser.staff(world, role: "admin", office: nil).browser
            let page = try await admin.send(.get, "/console/bang-cuoc")
            #expect(page.status == .ok && page.text.contains("Đang áp dụng"))
            let before =
                try await world.expect(.get, "/v1/shipping/tariffs", world.admin, status: .ok)
                .json["items"] as? [[String: Any]] ?? []
            // The form as drawn (prefilled with the version in force), one price raised.
            var form: [String: String] = [:]
            for match in page.text.matches(of: /name="([a-z0-9_-]+)"[^>]*value="([^"]*)"/) {
                form[String(match.1)] = String(match.2)
            }
            let tomorrow = try #require(BusinessDay.adding(1, to: BusinessDay.string(for: Date())))
            #expect(form["tu-ngay"] == tomorrow && form["same_province-p1"] != nil)
            form["same_province-p1"] = "23.000"
            form["ghi-chu"] = "Tăng giá nội tỉnh"
            #expect(form["tran-thu-ho"] == "5000000" && form["hoan-noi-tinh"] == "0")
            form["hoan-ngoai-tinh-bps"] = "5000"
            form["tran-thu-ho"] = "3.000.000"
            #expect(form["he-so-quy-doi"] == "6000")
            form["bao-hiem-bps"] = "50"
            form["bao-hiem-toi-thieu"] = "5.000"
            let made = try await admin.send(.post, "/console/bang-cuoc", form: form)
            #expect(made.status == .seeOther)
            let after =
                try await world.expect(.get, "/v1/shipping/tariffs", world.admin, status: .ok)
                .json["items"] as? [[String: Any]] ?? []
            #expect(after.count == before.count + 1)
            let newest = try #require(after.first { $0["effective_from"] as? String == tomorrow })
            let rates = newest["rates"] as? [[String: Any]] ?? []
            #expect(rates.first { $0["zone"] as? String == "same_province" }?["first_fee_vnd"] as? Int == 23_000)
            #expect(newest["return_beyond_bps"] as? Int == 5_000)
            #expect(newest["cod_ceiling_vnd"] as? Int == 3_000_000)
            #expect(newest["insurance_bps"] as? Int == 50 && newest["insurance_min_vnd"] as? Int == 5_000)
            // The same day again, a past day, a missing price: refused, nothing new.
            #expect(try await admin.send(.post, "/console/bang-cuoc", form: form).status == .conflict)
            var past = form
            past["tu-ngay"] = "2020-01-01"
            #expect(try await admin.send(.post, "/console/bang-cuoc", form: past).status == .unprocessableContent)
            var missing = form
            missing["tu-ngay"] = BusinessDay.adding(2, to: tomorrow)
            missing["other_region-g2"] = ""
            #expect(try await admin.send(.post, "/console/bang-cuoc", form: missing).status == .unprocessableContent)
            let count =
                try await world.expect(.get, "/v1/shipping/tariffs", world.admin, status: .ok)
                .json["items"] as? [[String: Any]] ?? []
            #expect(count.count == before.count + 1)
            let shown = try await admin.send(.get, "/console/bang-cuoc?ket-qua=da-tao")
            #expect(shown.text.contains("Sắp áp dụng") && shown.text.contains("23.000\u{00A0}₫"))
        }
    }
}
