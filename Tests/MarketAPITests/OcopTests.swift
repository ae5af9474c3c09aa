import Catalog
import Foundation
import Kernel
import Testing

@testable import MarketAPI

@Suite("OCOP certificates: recorded by producers, verified by clerks, in force until their expiry day")
struct OcopTests {
    static func day(_ offsetDays: Int, months: Int = 0) -> String {
        let today = CalendarDay.today()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600) ?? .current
        let base = calendar.date(from: DateComponents(year: today.year, month: today.month, day: today.day)) ?? Date()
        let date =
            calendar.date(byAdding: DateComponents(month: months, day: offsetDays), to: base) ?? base
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return CalendarDay(year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0).description
    }

    @Test func rulesOfTheCertificate() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let id = try await world.listed("Sâm Ngọc Linh", category: "herbal-medicine")
            let uri = "/v1/products/\(id)/ocop-certifications"
            let fiveProvince = try await api.request(
                .post, uri, token: world.producer,
                json: [
                    "stars": 5, "certificate_no": "1", "issued_by": "province", "issued_on": Self.day(-10),
                    "expires_on": Self.day(300),
                ])
            #expect(fiveProvince.errorFields == ["issued_by"])
            let tooLong = try await api.request(
                .post, uri, token: world.producer,
                json: [
                    "stars": 4, "certificate_no": "1", "issued_by": "province", "issued_on": Self.day(-10),
                    "expires_on": Self.day(-9, months: 37),
                ])
            #expect(tooLong.errorFields == ["expires_on"])
            let badDate = try await api.request(
                .post, uri, token: world.producer,
                json: [
                    "stars": 4, "certificate_no": "1", "issued_by": "province", "issued_on": "2025-02-30",
                    "expires_on": "2027-01-01",
                ])
            #expect(badDate.errorFields == ["issued_on"])
            let recorded = try await world.expect(
                .post, uri, world.producer,
                json: [
                    "stars": 5, "certificate_no": "15/QĐ-HĐQG", "issued_by": "national", "issued_on": Self.day(-30),
                    "expires_on": Self.day(-30, months: 36),
                ], status: .created)
            #expect(recorded.json["status"] as? String == "pending")
            let certificate = try #require(recorded.json["id"] as? String)
            // Pending: no badge, not counted.
            #expect(try await world.titles("ocop_min_stars=3").isEmpty)
            try await world.expect(
                .post, "/v1/ocop-certifications/\(certificate)/verify", world.clerkB, status: .notFound)
            try await world.expect(
                .post, "/v1/ocop-certifications/\(certificate)/verify", world.producer, status: .forbidden)
            let queue = try await world.expect(.get, "/v1/review-queue/ocop-certifications", world.clerkA, status: .ok)
            #expect((queue.json["items"] as? [[String: Any]] ?? []).contains { $0["id"] as? String == certificate })
            let verified = try await world.expect(
                .post, "/v1/ocop-certifications/\(certificate)/verify", world.clerkA, status: .ok)
            #expect(verified.json["in_force"] as? Bool == true)
            try await world.expect(
                .post, "/v1/ocop-certifications/\(certificate)/verify", world.clerkA, status: .conflict)
            let product = try await world.expect(.get, "/v1/products/\(id)", nil, status: .ok)
            #expect((product.json["ocop"] as? [String: Any])?["stars"] as? Int == 5)
            #expect(try await world.titles("ocop_min_stars=5") == ["Sâm Ngọc Linh"])
        }
    }

    @Test func expiryIsJudgedOnTheDayWithoutAJob() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let expiringToday = try await world.listed("Trà Bắc Trà My", category: "tea")
            let expiringTomorrow = try await world.listed("Quế Trà My", category: "seasonings")
            for (product, expires) in [(expiringToday, Self.day(0)), (expiringTomorrow, Self.day(1))] {
                let recorded = try await world.expect(
                    .post, "/v1/products/\(product)/ocop-certifications", world.producer,
                    json: [
                        "stars": 4, "certificate_no": "22/QĐ-UBND", "issued_by": "province",
                        "issued_on": Self.day(-400), "expires_on": expires,
                    ], status: .created)
                let id = try #require(recorded.json["id"] as? String)
                try await world.expect(.post, "/v1/ocop-certifications/\(id)/verify", world.clerkA, status: .ok)
            }
            // On its expiry day a certificate no longer shows or counts; the day before it still does.
            #expect(try await world.titles("ocop_min_stars=4") == ["Quế Trà My"])
            let today = try await world.expect(.get, "/v1/products/\(expiringToday)", nil, status: .ok)
            #expect(today.json["ocop"] == nil)
            let tomorrow = try await world.expect(.get, "/v1/products/\(expiringTomorrow)", nil, status: .ok)
            #expect((tomorrow.json["ocop"] as? [String: Any])?["stars"] as? Int == 4)
            let facets = try await world.expect(.get, "/v1/products", nil, status: .ok)
            let stars = (facets.json["facets"] as? [String: Any])?["stars"] as? [[String: Any]]
            #expect(stars?.count == 1 && stars?.first?["count"] as? Int == 1)
        }
    }
}
