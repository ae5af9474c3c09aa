import Foundation
import PostgresNIO
import Testing

@testable import MarketAPI

@Suite("Scans: the parcel state machine, idempotent, late and out of order, proof of delivery, returns")
struct ScanTests {
    @Test func aParcelGoesFromPickupToDeliveryAndTheOrderCompletes() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api)
            let (order, tracking) = try await w.readyOrder()
            let code = try #require(order["delivery_code"] as? String)
            let orderID = try #require(order["id"] as? String)
            let buyer = try #require(order["buyer_token"] as? String)
            let start = Date().addingTimeInterval(-3600)
            for (index, number) in tracking.enumerated() {
                let at = start.addingTimeInterval(Double(index))
                let picked = try await w.scan(number, "picked_up", at: at, status: .created)
                #expect(picked.json["status"] as? String == "picked_up")
                try await w.scan(
                    number, "arrived_at_hub", at: at + 600, extra: ["post_office_id": w.office.uuidString],
                    status: .created)
                try await w.scan(number, "out_for_delivery", at: at + 1200, status: .created)
            }
            let inProgress = try await w.world.expect(.get, "/v1/orders/\(orderID)", buyer, status: .ok)
            #expect(inProgress.json["status"] as? String == "in_progress")
            let packages = order["packages"] as? [[String: Any]] ?? []
            let cod = packages.reduce(0) { $0 + ($1["cod_amount_vnd"] as? Int ?? 0) }

            // Proof of delivery: the buyer's code, and who took it.
            let wrongCode = code == "000000" ? "111111" : "000000"
            let wrong = try await w.scan(
                tracking[0], "delivered", at: start + 1800,
                extra: ["cod_collected_vnd": cod, "recipient_name": "Nguyễn Thị Mai", "delivery_code": wrongCode])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.errorFields == ["delivery_code"])
            let missing = try await w.scan(tracking[0], "delivered", at: start + 1800, extra: ["delivery_code": code])
            #expect(Set(missing.errorFields) == ["cod_collected_vnd", "recipient_name"])

            for (index, number) in tracking.enumerated() {
                let package = packages.first { $0["tracking_no"] as? String == number } ?? packages[index]
                _ = package
                let delivered = try await w.scan(
                    number, "delivered", at: start + 1800 + Double(index),
                    extra: ["cod_collected_vnd": 0, "recipient_name": "Nguyễn Thị Mai", "delivery_code": code],
                    status: .created)
                #expect(delivered.json["status"] as? String == "delivered")
            }
            let done = try await w.world.expect(.get, "/v1/orders/\(orderID)", buyer, status: .ok)
            #expect(done.json["status"] as? String == "completed")
            // Delivered is final.
            let late = try await w.scan(tracking[0], "out_for_delivery", at: start + 3000)
            #expect(late.status == .conflict)
            #expect(late.json["current_state"] as? String == "delivered")
        }
    }

    /// Issue 16: the six-digit code could be guessed without limit. Five wrong codes per parcel, each
    /// audited; then even the right one waits for a new code from the buyer.
    @Test func wrongDeliveryCodesAreCountedAndStopAtFive() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api)
            let (order, tracking) = try await w.readyOrder()
            let code = try #require(order["delivery_code"] as? String)
            let orderID = try #require(order["id"] as? String)
            let buyer = try #require(order["buyer_token"] as? String)
            let start = Date().addingTimeInterval(-3600)
            let number = tracking[0]
            try await w.scan(number, "picked_up", at: start, status: .created)
            try await w.scan(
                number, "arrived_at_hub", at: start + 600, extra: ["post_office_id": w.office.uuidString],
                status: .created)
            try await w.scan(number, "out_for_delivery", at: start + 1200, status: .created)
            let proof: [String: Any] = ["cod_collected_vnd": 0, "recipient_name": "Nguyễn Thị Mai"]
            for attempt in 0..<5 {
                // Five codes next to the real one: never equal to it.
                let guess = String(format: "%06d", ((Int(code) ?? 0) + 1 + attempt) % 1_000_000)
                let wrong = try await w.scan(
                    number, "delivered", at: start + 1800, extra: proof.merging(["delivery_code": guess]) { $1 })
                #expect(wrong.status == .unprocessableContent)
                #expect(wrong.errorFields == ["delivery_code"])
            }
            let locked = try await w.scan(
                number, "delivered", at: start + 1800, extra: proof.merging(["delivery_code": code]) { $1 })
            #expect(locked.status == .conflict)
            #expect(locked.json["type"] as? String == "/problems/delivery-code-locked")
            let audited = try await api.db.query(
                "SELECT count(*) FROM audit_log WHERE action = 'parcel.delivery_code_failed'"
            ).decode(Int.self).reduce(0, +)
            #expect(audited == 5)
            // The buyer gets a new code; the old one no longer works, the new one delivers.
            let renewed = try await w.world.expect(.post, "/v1/orders/\(orderID)/delivery-code", buyer, status: .ok)
            let fresh = try #require(renewed.json["delivery_code"] as? String)
            if fresh != code {
                let old = try await w.scan(
                    number, "delivered", at: start + 1800, extra: proof.merging(["delivery_code": code]) { $1 })
                #expect(old.status == .unprocessableContent)
            }
            try await w.scan(
                number, "delivered", at: start + 1800, extra: proof.merging(["delivery_code": fresh]) { $1 },
                status: .created)
            // Nobody else may renew the buyer's code.
            let stranger = try await api.buyerToken()
            try await w.world.expect(.post, "/v1/orders/\(orderID)/delivery-code", stranger, status: .notFound)
        }
    }

    /// Issue 16: browsers and Android send fractional seconds (`toISOString()`); they were a 400.
    @Test func scansAcceptFractionalSecondsAndOffsets() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api)
            let (_, tracking) = try await w.readyOrder()
            let start = Date().addingTimeInterval(-3600)
            let withFraction = start.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            let picked = try await api.request(
                .post, "/v1/shipments/\(tracking[0])/events", token: w.couriers[0].token,
                json: ["client_event_id": UUID().uuidString, "type": "picked_up", "occurred_at": withFraction])
            #expect(picked.status == .created)
            // The same kind of string with an offset: the transcoder's own tests cover "+07:00" exactly.
            let inVietnam = (start + 600).formatted(
                Date.ISO8601FormatStyle(
                    includingFractionalSeconds: true, timeZone: TimeZone(secondsFromGMT: 7 * 3600) ?? .gmt))
            let arrived = try await api.request(
                .post, "/v1/shipments/\(tracking[0])/events", token: w.couriers[0].token,
                json: [
                    "client_event_id": UUID().uuidString, "type": "arrived_at_hub", "occurred_at": inVietnam,
                    "post_office_id": w.office.uuidString,
                ])
            #expect(arrived.status == .created)
        }
    }

    @Test func theSameClientEventIsRecordedOnce() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api)
            let (_, tracking) = try await w.readyOrder()
            let id = UUID().uuidString
            let at = Date().addingTimeInterval(-60)
            let replies = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<10 {
                    group.addTask { Int(try await w.scan(tracking[0], "picked_up", at: at, id: id).status.code) }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(replies.filter { $0 == 201 }.count == 1)
            #expect(replies.filter { $0 == 200 }.count == 9)
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM shipment_events") == 1)
            // The same id for another scan is refused.
            let other = try await w.scan(
                tracking[0], "arrived_at_hub", extra: ["post_office_id": w.office.uuidString], id: id)
            #expect(other.status == .unprocessableContent)
            let elsewhere = try await w.scan(tracking[1], "picked_up", at: at, id: id)
            #expect(elsewhere.status == .unprocessableContent)
        }
    }

    @Test func lateScansFromAnOfflineDeviceApplyInTheOrderTheyHappened() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api)
            let (_, tracking) = try await w.readyOrder()
            let t0 = Date().addingTimeInterval(-7200)
            // The hub scans online first; the courier's pickup scan arrives later from an offline phone.
            let hub = try await w.scan(
                tracking[0], "arrived_at_hub", at: t0 + 3600, extra: ["post_office_id": w.office.uuidString])
            #expect(hub.status == .accepted)
            #expect(hub.json["applied"] as? Bool == false)
            #expect(hub.json["status"] as? String == "ready_for_pickup")
            let picked = try await w.scan(tracking[0], "picked_up", at: t0, status: .created)
            #expect(picked.json["status"] as? String == "in_transit")
            #expect(
                try await OrderTests.count(api, "SELECT count(*)::int FROM shipment_events WHERE NOT applied") == 0)
            let track = try await w.world.expect(.get, "/v1/track/\(tracking[0])", nil, status: .ok)
            let steps = (track.json["timeline"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
            #expect(steps == ["ready_for_pickup", "picked_up", "arrived_at_hub"])
            // A scan that would undo what took effect is refused: a second pickup before the hub scan.
            let contradicting = try await w.scan(tracking[0], "picked_up", at: t0 + 1800)
            #expect(contradicting.status == .conflict)
            // A scan in the future (beyond clock drift) is refused.
            let future = try await w.scan(tracking[1], "picked_up", at: Date().addingTimeInterval(3600))
            #expect(future.status == .unprocessableContent)
        }
    }

    @Test func failedAttemptsSendTheParcelBackAndStockReturnsOnlyWhenItIsBack() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api)
            let before = try await OrderTests.stock(api, w.fish)
            let (_, tracking) = try await w.readyOrder()
            let parcel = tracking[0]
            var t = Date().addingTimeInterval(-45 * 3600)
            func next() -> Date {
                t += 60
                return t
            }
            try await w.scan(parcel, "picked_up", at: next(), status: .created)
            try await w.scan(
                parcel, "arrived_at_hub", at: next(), extra: ["post_office_id": w.office.uuidString], status: .created)
            for attempt in 1...3 {
                try await w.scan(parcel, "out_for_delivery", at: next(), status: .created)
                let failed = try await w.scan(
                    parcel, "delivery_failed", at: next(), extra: ["reason_code": "recipient_absent"],
                    status: .created)
                #expect(failed.json["delivery_attempts"] as? Int == attempt)
                #expect(failed.json["status"] as? String == (attempt < 3 ? "waiting_for_instruction" : "returning"))
                t += 13 * 3600  // the next attempt in another shift
            }
            #expect(try await w.scan(parcel, "out_for_delivery", at: next()).status == .conflict)
            #expect(try await OrderTests.stock(api, w.fish) == before - 1)
            let noReason = try await w.scan(parcel, "delivery_failed", at: next())
            #expect(noReason.status == .unprocessableContent)
            let back = try await w.scan(parcel, "returned_to_sender", at: next(), status: .created)
            #expect(back.json["status"] as? String == "returned")
            #expect(try await OrderTests.stock(api, w.fish) == before)
            // Once.
            #expect(try await w.scan(parcel, "returned_to_sender", at: next()).status == .conflict)
            #expect(try await OrderTests.stock(api, w.fish) == before)
        }
    }

    @Test func onlyStaffOfTheOfficeHandlingTheStepMayScan() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api)
            let (order, tracking) = try await w.readyOrder()
            let outsider = try await CatalogWorld.staff(
                api, admin: w.world.admin, role: "courier", postOffice: w.world.officeB)
            #expect(try await w.scan(tracking[0], "picked_up", by: outsider).status == .forbidden)
            let buyer = try #require(order["buyer_token"] as? String)
            #expect(try await w.scan(tracking[0], "picked_up", by: buyer).status == .forbidden)
            #expect(try await w.scan(tracking[0], "picked_up", by: nil as String?).status == .created)
            #expect(try await w.scan("EC000000000VN", "picked_up").status == .badRequest)
            #expect(try await w.scan("EC999999995VN", "picked_up").status == .notFound)
            #expect(
                try await api.request(
                    .post, "/v1/shipments/\(tracking[1])/events",
                    json: [
                        "client_event_id": UUID().uuidString, "type": "picked_up",
                        "occurred_at": "2026-01-01T00:00:00Z",
                    ]
                ).status == .unauthorized)
        }
    }

    @Test func eventsAreAppendOnlyInTheDatabase() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api)
            let (_, tracking) = try await w.readyOrder()
            try await w.scan(tracking[0], "picked_up", status: .created)
            await #expect(throws: PSQLError.self) {
                try await api.db.query("UPDATE shipment_events SET type = 'delivered'")
            }
            await #expect(throws: PSQLError.self) { try await api.db.query("DELETE FROM shipment_events") }
        }
    }

    /// Issue 16: a courier of an office the parcel never passes through recorded a hub scan dated ahead
    /// of time; a clerk recorded a delivery and so held COD that no handover could clear.
    @Test func scansHappenOnTheParcelsRouteAfterItWasReadyAndCouriersDeliver() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api)
            let (order, tracking) = try await w.readyOrder()
            let code = try #require(order["delivery_code"] as? String)
            let number = tracking[0]
            let ready = try await api.db.query("SELECT ready_at FROM packages WHERE tracking_no = \(number)")
                .decode(Date.self).reduce(Date(), { min($0, $1) })
            let early = try await w.scan(number, "picked_up", at: ready.addingTimeInterval(-3600))
            #expect(early.status == .unprocessableContent)
            #expect(early.errorFields == ["occurred_at"])
            try await w.scan(number, "picked_up", at: ready + 60, status: .created)
            // Office B's courier: not on this parcel's route (both its offices are A).
            let outsider = try await CatalogWorld.staff(
                api, admin: w.world.admin, role: "courier", postOffice: w.world.officeB)
            let elsewhere = try await w.scan(
                number, "arrived_at_hub", by: outsider, at: ready + 120,
                extra: ["post_office_id": w.world.officeB.uuidString])
            #expect(elsewhere.status == .conflict)
            #expect(elsewhere.json["type"] as? String == "/problems/not-on-route")
            // Once office B is the province's sorting hub, parcels of every office may pass through it.
            try await w.world.expect(
                .patch, "/v1/post-offices/\(w.world.officeB)", w.world.admin, json: ["is_sorting_hub": true],
                status: .ok)
            try await w.scan(
                number, "arrived_at_hub", by: outsider, at: ready + 120,
                extra: ["post_office_id": w.world.officeB.uuidString], status: .created)
            try await w.scan(number, "out_for_delivery", at: ready + 180, status: .created)
            let proof: [String: Any] = [
                "cod_collected_vnd": 0, "recipient_name": "Trần Văn Bình", "delivery_code": code,
            ]
            let byClerk = try await w.scan(number, "delivered", by: w.clerk, at: ready + 240, extra: proof)
            #expect(byClerk.status == .forbidden)
            let admin = try await w.scan(number, "delivered", by: w.world.admin, at: ready + 240, extra: proof)
            #expect(admin.status == .forbidden)
            try await w.scan(number, "delivered", at: ready + 240, extra: proof, status: .created)
            let history = try await api.db.query(
                """
                SELECT e.type, po.code FROM shipment_events e JOIN packages p ON p.id = e.package_id
                JOIN post_offices po ON po.id = e.post_office_id WHERE p.tracking_no = \(number) ORDER BY e.occurred_at
                """
            ).decode((String, String).self).reduce(into: [String]()) { $0.append($1.0) }
            #expect(history == ["picked_up", "arrived_at_hub", "out_for_delivery", "delivered"])
        }
    }
}
