import Foundation
import HTTPTypes
import Kernel
import Testing

@testable import MarketAPI

@Suite("Manifests in JSON, CSV and HTML; public tracking; post offices and couriers")
struct ManifestTests {
    static func get(_ api: TestAPI, _ uri: String, token: String?, accept: String) async throws -> TestAPI.Reply {
        try await api.request(.get, uri, token: token, headers: [.accept: accept])
    }

    @Test func aCourierFetchesItsManifestAsJSONCSVAndHTML() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            var tracking: [String] = []
            for _ in 0..<2 { tracking += try await w.readyOrder().tracking }
            try await w.world.expect(
                .post, "/v1/post-offices/\(w.office)/pickup-schedules", w.clerk,
                json: ["service_on": LogisticsWorld.today, "shift": "morning"], status: .created)
            let courier = w.couriers[0]
            let uri = "/v1/couriers/\(courier.id)/manifests/\(LogisticsWorld.today)"

            let json = try await w.world.expect(.get, uri, courier.token, status: .ok)
            let runs = try #require(json.json["runs"] as? [[String: Any]])
            #expect(runs.count == 1)
            #expect(runs[0]["kind"] as? String == "pickup")
            let stops = try #require(runs[0]["stops"] as? [[String: Any]])
            #expect(stops.map { $0["sequence"] as? Int } == [1, 2])
            #expect(json.json["parcel_count"] as? Int == 4)
            #expect(json.json["cod_to_collect_vnd"] as? Int == 0)
            #expect(stops.contains { $0["name"] as? String == "HTX Nước mắm Cửa Đại" })

            let csv = try await Self.get(api, uri, token: courier.token, accept: "text/csv")
            #expect(csv.status == .ok)
            #expect(csv.contentType?.hasPrefix("text/csv") == true)
            #expect(csv.text.hasPrefix("\u{FEFF}"))
            let rows = csv.text.split(separator: "\r\n")
            #expect(rows.count == 1 + tracking.count)
            for number in tracking { #expect(csv.text.contains(number)) }
            #expect(csv.text.contains("HTX Nước mắm Cửa Đại"))

            let html = try await Self.get(api, uri, token: courier.token, accept: "text/html")
            #expect(html.status == .ok)
            #expect(html.contentType?.hasPrefix("text/html") == true)
            #expect(html.text.components(separatedBy: "data-tracking-no=").count - 1 == tracking.count)
            #expect(html.text.contains("<svg"))
            #expect(html.text.contains("HTX Nước mắm Cửa Đại"))

            // The office's clerk may read it; another office's clerk and other couriers may not.
            try await w.world.expect(.get, uri, w.clerk, status: .ok)
            try await w.world.expect(.get, uri, w.world.clerkB, status: .notFound)
            let other = try await CatalogWorld.staff(api, admin: w.world.admin, role: "courier", postOffice: w.office)
            try await w.world.expect(.get, uri, other, status: .notFound)
            try await w.world.expect(
                .get, "/v1/couriers/\(courier.id)/manifests/2026-13-01", courier.token, status: .unprocessableContent)
            // A day without runs is an empty manifest, not an error.
            let empty = try await w.world.expect(
                .get, "/v1/couriers/\(courier.id)/manifests/2026-01-01", courier.token, status: .ok)
            #expect((empty.json["runs"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func publicTrackingShowsNoPersonalDataOrMoney() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api)
            let (_, tracking) = try await w.readyOrder()
            try await w.scan(tracking[0], "picked_up", status: .created)
            let reply = try await w.world.expect(.get, "/v1/track/\(tracking[0])", nil, status: .ok)
            #expect(reply.json["status"] as? String == "picked_up")
            for secret in ["Nguyễn Thị Mai", "0905123456", "Trần Phú", "_vnd", "HTX", "delivery_code"] {
                #expect(!reply.text.contains(secret), "tracking leaks \(secret)")
            }
            let wrongCheck =
                String(tracking[0].prefix(10))
                + String((Int(String(tracking[0].dropFirst(10).prefix(1))) ?? 0 + 1) % 10) + "VN"
            if wrongCheck != tracking[0] {
                try await w.world.expect(.get, "/v1/track/\(wrongCheck)", nil, status: .badRequest)
            }
            try await w.world.expect(.get, "/v1/track/EC999999995VN", nil, status: .notFound)
            try await w.world.expect(.get, "/v1/track/hello", nil, status: .badRequest)
        }
    }

    @Test func adminsManagePostOfficesAndClerksManageCouriers() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let body: [String: Any] = [
                "code": "DN-TEST-\(Int.random(in: 100...999))", "name": "Bưu cục Điện Bàn", "province_code": "48",
                "commune_code": CatalogWorld.communeB, "address_line": "1 Trần Nhân Tông", "lat": 15.89, "lon": 108.25,
            ]
            try await world.expect(.post, "/v1/post-offices", world.clerkA, json: body, status: .forbidden)
            let created = try await world.expect(.post, "/v1/post-offices", world.admin, json: body, status: .created)
            let id = try #require(created.json["id"] as? String)
            try await world.expect(.post, "/v1/post-offices", world.admin, json: body, status: .conflict)
            var bad = body
            bad["code"] = "DN-OTHER-1"
            bad["commune_code"] = "99999"
            let missing = try await world.expect(
                .post, "/v1/post-offices", world.admin, json: bad, status: .unprocessableContent)
            #expect(missing.errorFields == ["commune_code"])
            let moved = try await world.expect(
                .put, "/v1/post-offices/\(id)/communes", world.admin, json: ["communes": [CatalogWorld.communeB]],
                status: .ok)
            #expect(moved.json["communes"] as? [String] == [CatalogWorld.communeB])
            let list = try await world.expect(.get, "/v1/post-offices?province_code=48", nil, status: .ok)
            #expect((list.json["items"] as? [[String: Any]] ?? []).contains { $0["id"] as? String == id })
            try await world.expect(.get, "/v1/post-offices/\(id)", nil, status: .ok)
            try await world.expect(
                .patch, "/v1/post-offices/\(id)", world.admin, json: ["phone": "02353861234"], status: .ok)

            // Clerks of the office add couriers (granting the role there) and set their capacity.
            let user = try await api.buyerToken()
            let me = try await world.expect(.get, "/v1/me", user, status: .ok)
            let userID = try #require(me.json["id"] as? String)
            let add: [String: Any] = ["user_id": userID, "max_stops": 25, "max_grams": 80_000]
            try await world.expect(
                .post, "/v1/post-offices/\(world.officeA)/couriers", world.clerkB, json: add, status: .notFound)
            let courier = try await world.expect(
                .post, "/v1/post-offices/\(world.officeA)/couriers", world.clerkA, json: add, status: .created)
            #expect(courier.json["max_stops"] as? Int == 25)
            try await world.expect(
                .post, "/v1/post-offices/\(world.officeA)/couriers", world.clerkA, json: add, status: .conflict)
            let couriers = try await world.expect(
                .get, "/v1/post-offices/\(world.officeA)/couriers", world.clerkA, status: .ok)
            #expect((couriers.json["items"] as? [[String: Any]] ?? []).contains { $0["id"] as? String == userID })
            // The new courier sees itself; its grant came with it.
            try await world.expect(.get, "/v1/couriers/\(userID)", user, status: .ok)
            let off = try await world.expect(
                .patch, "/v1/couriers/\(userID)", world.clerkA, json: ["is_active": false, "max_grams": 0], status: .ok)
            #expect(off.json["is_active"] as? Bool == false)
            try await world.expect(
                .patch, "/v1/couriers/\(userID)", world.clerkA, json: ["max_stops": 501], status: .unprocessableContent)
        }
    }
}
