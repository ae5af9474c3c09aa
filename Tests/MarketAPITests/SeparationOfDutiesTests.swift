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

    @Test func aMemberOfASupplierNeverReviewsItsWork() async throws {
        try await withTestApp { api in
            let w = try await CatalogWorld.make(api)
            // Clerk A applies as a supplier in a commune his own office serves.
            let own = try await w.applySupplier(w.clerkA, name: "Hộ kinh doanh của thư ký")
            let approve = try await w.expect(.post, "/v1/suppliers/\(own)/approve", w.clerkA, status: .forbidden)
            #expect((approve.json["detail"] as? String)?.contains("member of this supplier") == true)
            let status = try await api.db.query("SELECT status FROM suppliers WHERE id = \(UUID(uuidString: own))")
                .decode(String.self).reduce("", +)
            #expect(status == "pending")
            // Another clerk of the same office approves it; its products and certificates are his too.
            let otherClerk = try await CatalogWorld.staff(api, admin: w.admin, role: "clerk", postOffice: w.officeA)
            try await w.expect(.post, "/v1/suppliers/\(own)/approve", otherClerk, status: .ok)
            let product = try await w.draft("Mắm nêm nhà làm", supplier: own, token: w.clerkA)
            try await w.expect(.post, "/v1/products/\(product)/submit", w.clerkA, status: .ok)
            try await w.expect(.post, "/v1/products/\(product)/approve", w.clerkA, status: .forbidden)
            try await w.expect(
                .post, "/v1/products/\(product)/reject", w.clerkA, json: ["reason": "tự chối"], status: .forbidden)
            try await w.expect(.post, "/v1/products/\(product)/approve", otherClerk, status: .ok)
            let certificate = try await w.expect(
                .post, "/v1/products/\(product)/ocop-certifications", w.clerkA, json: ScopeWorld.certificate(),
                status: .created)
            let certificateID = try #require(certificate.json["id"] as? String)
            try await w.expect(.post, "/v1/ocop-certifications/\(certificateID)/verify", w.clerkA, status: .forbidden)
            try await w.expect(.post, "/v1/ocop-certifications/\(certificateID)/verify", otherClerk, status: .ok)
            // Nor may he suspend or reinstate it: a review is a review.
            try await w.expect(
                .post, "/v1/suppliers/\(own)/suspend", w.clerkA, json: ["reason": "thử"], status: .forbidden)
            // Everyone else's work at his office he still reviews.
            let other = try await w.applySupplier(try await api.buyerToken(), name: "HTX Chiếu cói")
            try await w.expect(.post, "/v1/suppliers/\(other)/approve", w.clerkA, status: .ok)
        }
    }
}
