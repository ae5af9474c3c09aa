import Foundation
import HTTPTypes
import Testing

@testable import MarketAPI
@testable import MarketWeb

/// Issue 20, SPEC §5 ("a refund and any return parcel go through the same books and rounds as everything
/// else"): a complaint's goods coming back are stops on the planned rounds and lines on the manifests.
@Suite("Complaints: goods coming back on the rounds")
struct ComplaintRoundTests {
    /// A delivered fish package whose seller accepted the complaint with the goods to come back; the
    /// complaint's id and the return parcel's number.
    static func returning(_ w: LogisticsWorld, commune: String = CatalogWorld.communeA, deliverBy: String? = nil)
        async throws -> (complaint: String, back: String, order: [String: Any])
    {
        let (placed, tracking) = try await w.readyOrder(commune: commune)
        let order = try await LedgerTests.refreshed(w, placed)
        let fish = tracking[0]
        let start = Date().addingTimeInterval(-3600)
        if let deliverBy {
            // Delivered by the buyer's office, another than the seller's: scanned in there first.
            try await w.scan(fish, "picked_up", at: start, status: .created)
            let office = w.world.officeB.uuidString
            try await w.scan(
                fish, "arrived_at_hub", by: deliverBy, at: start + 60, extra: ["post_office_id": office],
                status: .created)
            try await w.scan(fish, "out_for_delivery", by: deliverBy, at: start + 120, status: .created)
            try await w.scan(
                fish, "delivered", by: deliverBy, at: start + 180,
                extra: [
                    "cod_collected_vnd": LedgerTests.cod(order, fish), "recipient_name": "Nguyễn Thị Mai",
                    "delivery_code": order["delivery_code"] as? String ?? "",
                ], status: .created)
        } else {
            try await LedgerTests.deliver(w, fish, order: order, at: start)
        }
        let packages = order["packages"] as? [[String: Any]] ?? []
        let package = try #require(packages.first { $0["tracking_no"] as? String == fish }?["id"] as? String)
        let buyer = try #require(order["buyer_token"] as? String)
        let opened = try await w.world.expect(
            .post, "/v1/packages/\(package)/complaints", buyer, json: ComplaintTests.complaint(reason: "wrong_item"),
            status: .created)
        let id = try #require(opened.json["id"] as? String)
        let accepted = try await w.world.expect(
            .post, "/v1/complaints/\(id)/accept", w.world.producer, json: ["return_goods": true], status: .ok)
        return (id, try #require(accepted.json["return_tracking_no"] as? String), order)
    }

    /// Plans a round (201 the first time, 200 when planned again) and answers the schedule.
    static func plan(
        _ w: LogisticsWorld, _ kind: String, office: UUID? = nil, clerk: String? = nil, day: String,
        shift: String
    ) async throws -> [String: Any] {
        let reply = try await w.api.request(
            .post, "/v1/post-offices/\(office ?? w.office)/\(kind)-schedules", token: clerk ?? w.clerk,
            json: ["service_on": day, "shift": shift])
        guard reply.status == .created || reply.status == .ok else {
            throw TestFailure("plan \(kind): \(reply.status) \(reply.text)")
        }
        return reply.json
    }

    /// The manifest's items for a tracking number, with the run kind they are on.
    static func items(_ manifest: [String: Any], _ tracking: String) -> [(
        kind: String, stop: [String: Any],
        parcel: [String: Any]
    )] {
        var found: [(String, [String: Any], [String: Any])] = []
        for run in manifest["runs"] as? [[String: Any]] ?? [] {
            for stop in run["stops"] as? [[String: Any]] ?? [] {
                for parcel in stop["parcels"] as? [[String: Any]] ?? []
                where parcel["tracking_no"] as? String == tracking {
                    found.append((run["kind"] as? String ?? "", stop, parcel))
                }
            }
        }
        return found
    }

    @Test func collectedOnTheDeliveryRoundAndHandedBackOnThePickupRound() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let courier = w.couriers[0]
            let (id, back, order) = try await Self.returning(w)
            let plan = try await Self.plan(w, "delivery", day: LogisticsWorld.today, shift: "afternoon")
            let stops = LogisticsWorld.stops(of: plan)
            #expect(stops[back] != nil)
            // Planning again moves nothing and copies nothing.
            let again = try await Self.plan(w, "delivery", day: LogisticsWorld.today, shift: "afternoon")
            #expect(LogisticsWorld.stops(of: again)[back] == stops[back])
            #expect(
                try await OrderTests.count(api, "SELECT count(*)::int FROM stop_returns WHERE complaint_id = '\(id)'")
                    == 1)

            var manifest = try await w.world.expect(
                .get, "/v1/couriers/\(courier.id)/manifests/\(LogisticsWorld.today)", courier.token, status: .ok)
            let collect = try #require(Self.items(manifest.json, back).first)
            #expect(collect.kind == "delivery")
            #expect(collect.parcel["complaint_number"] as? String != nil)
            #expect(collect.parcel["status"] as? String == "ready_for_pickup")
            #expect(collect.parcel["cod_vnd"] as? Int == 0)
            #expect(collect.parcel["weight_grams"] as? Int ?? 0 > 0)
            #expect(collect.stop["status"] as? String == "pending")
            let recipient = (order["shipping_address"] as? [String: Any])?["recipient_name"] as? String
            #expect(collect.stop["name"] as? String == recipient)
            // The goods carry no cash: the courier brings back only the other parcels' COD.
            let cod = (manifest.json["runs"] as? [[String: Any]] ?? []).reduce(0) {
                $0 + ($1["cod_to_collect_vnd"] as? Int ?? 0)
            }
            #expect(manifest.json["cod_to_collect_vnd"] as? Int == cod)
            let csv = try await api.request(
                .get, "/v1/couriers/\(courier.id)/manifests/\(LogisticsWorld.today)", token: courier.token,
                headers: [.accept: "text/csv"])
            #expect(csv.text.contains(back) && csv.text.contains("complaint_number"))
            let html = try await api.request(
                .get, "/v1/couriers/\(courier.id)/manifests/\(LogisticsWorld.today)", token: courier.token,
                headers: [.accept: "text/html"])
            #expect(html.text.contains("Thu hồi hàng khiếu nại"))

            // On the courier's phone: the goods, marked as such, with the scan that collects them.
            let phone = try await SellerTests.signedIn(api, token: courier.token)
            var sheet = try await phone.send(.get, "/console/bang-ke")
            #expect(sheet.text.contains("Hàng hoàn của khiếu nại") && sheet.text.contains("Đã thu hồi hàng"))
            let collected = try await phone.send(
                .post, "/console/quet/\(back)",
                form: ["csrf": ConsoleTests.Browser.csrf(sheet) ?? "", "type": "picked_up", "event": UUID().uuidString])
            #expect(collected.status == .seeOther)

            // Collected: the delivery stop is started and keeps it; the seller's office's pickup round takes
            // it to the seller's stop.
            let pickup = try await Self.plan(w, "pickup", day: LogisticsWorld.today, shift: "afternoon")
            let handBackStop = try #require(LogisticsWorld.stops(of: pickup)[back])
            let route = try #require((pickup["routes"] as? [[String: Any]])?.first)
            let stop = try #require(
                (route["stops"] as? [[String: Any]])?.first { $0["id"] as? String == handBackStop })
            #expect(stop["supplier_id"] as? String == w.world.supplier)
            manifest = try await w.world.expect(
                .get, "/v1/couriers/\(courier.id)/manifests/\(LogisticsWorld.today)", courier.token, status: .ok)
            let onRuns = Self.items(manifest.json, back)
            #expect(onRuns.map(\.kind).sorted() == ["delivery", "pickup"])
            #expect(onRuns.first { $0.kind == "delivery" }?.stop["status"] as? String == "done")
            let handBack = try #require(onRuns.first { $0.kind == "pickup" })
            #expect(handBack.parcel["status"] as? String == "in_transit")
            #expect(handBack.stop["status"] as? String == "pending")

            // Handed back from the phone (the seller signs with a name): the stop is done, and planning again
            // keeps it as it is.
            sheet = try await phone.send(.get, "/console/bang-ke")
            #expect(sheet.text.contains("Đã trả người bán"))
            let handed = try await phone.send(
                .post, "/console/quet/\(back)",
                form: [
                    "csrf": ConsoleTests.Browser.csrf(sheet) ?? "", "type": "delivered", "event": UUID().uuidString,
                    "recipient": "Lê Thị Hoa",
                ])
            #expect(handed.status == .seeOther)
            manifest = try await w.world.expect(
                .get, "/v1/couriers/\(courier.id)/manifests/\(LogisticsWorld.today)", courier.token, status: .ok)
            #expect(Self.items(manifest.json, back).first { $0.kind == "pickup" }?.stop["status"] as? String == "done")
            let replanned = try await Self.plan(w, "pickup", day: LogisticsWorld.today, shift: "afternoon")
            #expect(LogisticsWorld.stops(of: replanned)[back] == handBackStop)
            try await LedgerTests.ledgerIsClean(api)
        }
    }

    @Test func betweenTwoOfficesTheGoodsAreScannedInAtTheSellersBeforeItsRoundTakesThem() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let officeB = w.world.officeB
            let courierB = try await CatalogWorld.staff(api, admin: w.world.admin, role: "courier", postOffice: officeB)
            let (id, back, _) = try await Self.returning(w, commune: CatalogWorld.communeB, deliverBy: courierB)
            // The buyer's office collects it; the seller's office cannot, and does not plan it yet.
            let planA = try await Self.plan(w, "delivery", day: LogisticsWorld.today, shift: "afternoon")
            #expect(LogisticsWorld.stops(of: planA)[back] == nil)
            let planB = try await Self.plan(
                w, "delivery", office: officeB, clerk: w.world.clerkB, day: LogisticsWorld.today, shift: "afternoon")
            #expect(LogisticsWorld.stops(of: planB)[back] != nil)
            // Scanned in too early (before it was collected), or by the wrong office: refused.
            try await w.scan(back, "arrived_at_hub", status: .conflict)
            try await w.scan(back, "picked_up", by: w.couriers[0].token, status: .forbidden)
            try await w.scan(back, "picked_up", by: courierB, status: .created)

            var pickupA = try await Self.plan(w, "pickup", day: LogisticsWorld.tomorrow, shift: "morning")
            #expect(LogisticsWorld.stops(of: pickupA)[back] == nil)
            var complaint = try await w.world.expect(.get, "/v1/complaints/\(id)", w.clerk, status: .ok)
            #expect(complaint.json["return_at_post_office_id"] as? String == officeB.uuidString.lowercased())
            try await w.scan(back, "arrived_at_hub", by: courierB, status: .forbidden)
            let arrival = UUID().uuidString
            try await w.scan(back, "arrived_at_hub", id: arrival, status: .created)
            try await w.scan(back, "arrived_at_hub", id: arrival, status: .ok)
            try await w.scan(back, "arrived_at_hub", status: .conflict)
            complaint = try await w.world.expect(.get, "/v1/complaints/\(id)", w.clerk, status: .ok)
            #expect(complaint.json["return_at_post_office_id"] as? String == w.office.uuidString.lowercased())
            pickupA = try await Self.plan(w, "pickup", day: LogisticsWorld.tomorrow, shift: "morning")
            #expect(LogisticsWorld.stops(of: pickupA)[back] != nil)
            try await w.scan(back, "delivered", extra: ["recipient_name": "Lê Thị Hoa"], status: .created)
            #expect(
                try await OrderTests.count(
                    api, "SELECT count(*)::int FROM complaint_return_events WHERE complaint_id = '\(id)'")
                    == 3)
            try await LedgerTests.ledgerIsClean(api)
        }
    }
}
