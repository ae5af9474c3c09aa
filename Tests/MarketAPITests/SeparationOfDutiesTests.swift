import Foundation
import HTTPTypes
import Testing

@testable import MarketAPI

/// Issue 16, SPEC §1: nobody receives their own work. A clerk added himself as a courier of his
/// office and then recorded a cash handover from himself.
@Suite("Separation of duties: a clerk is not a courier of his office, nobody hands cash to himself")
struct SeparationOfDutiesTests {
    @Test func aClerkCannotMakeHimselfACourierOfHisOffice() async throws {
        try await withTestApp { api in
            let w = try await CatalogWorld.make(api)
            let me = try await w.expect(.get, "/v1/me", w.clerkA, status: .ok)
            let clerkID = try #require(me.json["id"] as? String)
            let added = try await api.request(
                .post, "/v1/post-offices/\(w.officeA)/couriers", token: w.clerkA,
                json: ["user_id": clerkID, "max_stops": 40, "max_grams": 150_000])
            #expect(added.status == .conflict)
            #expect(added.json["type"] as? String == "/problems/separation-of-duties")
            // Nor can an admin grant it, in either order.
            let granted = try await api.request(
                .post, "/v1/users/\(clerkID)/roles", token: w.admin,
                json: ["role": "courier", "post_office_id": w.officeA.uuidString])
            #expect(granted.status == .conflict)
            let courier = try await CatalogWorld.staff(api, admin: w.admin, role: "courier", postOffice: w.officeA)
            let courierMe = try await w.expect(.get, "/v1/me", courier, status: .ok)
            let courierID = try #require(courierMe.json["id"] as? String)
            let clerkToo = try await api.request(
                .post, "/v1/users/\(courierID)/roles", token: w.admin,
                json: ["role": "clerk", "post_office_id": w.officeA.uuidString])
            #expect(clerkToo.status == .conflict)
            let grants = try await api.db.query(
                "SELECT count(*) FROM role_grants WHERE role = 'courier' AND user_id = \(UUID(uuidString: clerkID))"
            ).decode(Int.self).reduce(0, +)
            #expect(grants == 0)
        }
    }

    @Test func nobodyRecordsAHandoverFromHimself() async throws {
        try await withTestApp { api in
            let w = try await CatalogWorld.make(api)
            let me = try await w.expect(.get, "/v1/me", w.admin, status: .ok)
            let adminID = try #require(me.json["id"] as? String)
            // An admin holds every role: the one account that could be both sides.
            let handover = try await api.request(
                .post, "/v1/cod/handovers", token: w.admin, json: ["courier_id": adminID, "counted_vnd": 0])
            #expect(handover.status == .forbidden)
            let rows = try await api.db.query("SELECT count(*) FROM cod_handovers").decode(Int.self).reduce(0, +)
            #expect(rows == 0)
        }
    }
}
