import Foundation
import Logistics
import PostgresNIO
import Testing

@testable import MarketAPI

@Suite("Logistics: S10 numbers on ready, pickup and delivery plans that never duplicate or drop a stop")
struct ScheduleTests {
    @Test func readyPackagesGetGaplessS10NumbersAndTheirPostOffices() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api)
            let (_, first) = try await w.readyOrder()
            let (_, second) = try await w.readyOrder()
            let all = first + second
            for number in all {
                let parsed = try S10(parsing: number)
                #expect(parsed.service == "EC")
                #expect(parsed.country == "VN")
            }
            let serials = try all.map { try S10(parsing: $0).serial }.sorted()
            #expect(serials == Array(serials[0]..<(serials[0] + 4)))
            let offices = try await OrderTests.count(
                api,
                """
                SELECT count(*)::int FROM packages
                WHERE pickup_post_office_id = '\(w.office)' AND delivery_post_office_id = '\(w.office)'
                    AND ready_at IS NOT NULL
                """)
            #expect(offices == 4)
            // Prepaid parcels have their own series.
            let (order, prepaid) = try await w.readyOrderPaid()
            #expect(order["payment_method"] as? String == "bank_transfer")
            #expect(try prepaid.allSatisfy { try S10(parsing: $0).service == "EP" })
        }
    }

    @Test func planningTwiceGivesTheSameStopsAndEveryParcelOnce() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api)
            var tracking: [String] = []
            for _ in 0..<3 { tracking += try await w.readyOrder().tracking }
            let first = try await w.plan()
            #expect(first.status == .created)
            let stops = LogisticsWorld.stops(of: first.json)
            #expect(Set(stops.keys) == Set(tracking))
            // One stop per supplier: two suppliers, two stops.
            #expect(Set(stops.values).count == 2)
            #expect((first.json["overflow"] as? [Any])?.isEmpty == true)
            let again = try await w.plan()
            #expect(again.status == .ok)
            #expect(LogisticsWorld.stops(of: again.json) == stops)
            #expect(again.json["revision"] as? Int == 2)
            for route in first.json["routes"] as? [[String: Any]] ?? [] {
                #expect((route["route_meters"] as? Int ?? -1) >= 0)
            }
        }
    }

    @Test func concurrentSchedulersOfOneOfficeNeverDuplicateAStop() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 3)
            var tracking: [String] = []
            for _ in 0..<4 { tracking += try await w.readyOrder().tracking }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 { group.addTask { Int(try await w.plan().status.code) } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1)
            #expect(statuses.filter { $0 == 200 }.count == 7)
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM stop_parcels") == tracking.count)
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM schedule_stops") == 2)
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM schedules") == 1)
        }
    }

    @Test func whatDoesNotFitRollsToTheNextShiftVisibly() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1, maxStops: 1)
            let (_, tracking) = try await w.readyOrder()
            // Tomorrow: today's morning may already be over, which would make its parcels missed ones.
            let morning = try await w.plan(day: LogisticsWorld.tomorrow)
            #expect(morning.status == .created)
            let planned = LogisticsWorld.stops(of: morning.json)
            let overflow = (morning.json["overflow"] as? [[String: Any]] ?? []).compactMap {
                $0["tracking_no"] as? String
            }
            #expect(planned.count == 1)
            #expect(overflow.count == 1)
            #expect(Set(planned.keys).union(overflow) == Set(tracking))
            let rolls = morning.json["overflow_rolls_to"] as? [String: Any]
            #expect(rolls?["shift"] as? String == "afternoon")
            #expect(rolls?["service_on"] as? String == LogisticsWorld.tomorrow)
            let afternoon = try await w.plan(day: LogisticsWorld.tomorrow, shift: "afternoon")
            #expect(Set(LogisticsWorld.stops(of: afternoon.json).keys) == Set(overflow))
            // The morning keeps its stop: the afternoon took only what was left over.
            let morningAgain = try await w.plan(day: LogisticsWorld.tomorrow)
            #expect(Set(LogisticsWorld.stops(of: morningAgain.json).keys) == Set(planned.keys))
        }
    }

    @Test func startedStopsStayAsTheyAreWhenPlanningAgain() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api)
            let (_, tracking) = try await w.readyOrder()
            let first = try await w.plan()
            let stops = LogisticsWorld.stops(of: first.json)
            let route = (first.json["routes"] as? [[String: Any]] ?? []).first {
                (($0["stops"] as? [[String: Any]]) ?? []).contains {
                    ($0["tracking_numbers"] as? [String])?.contains(tracking[0]) == true
                }
            }
            let courierID = try #require(route?["courier_id"] as? String)
            let courier = try #require(w.couriers.first { $0.id == courierID })
            try await w.scan(tracking[0], "picked_up", by: courier.token, status: .created)
            // A new parcel of the same supplier joins after the stop was worked: it waits for the next shift.
            let (_, more) = try await w.readyOrder()
            let again = try await w.plan()
            let now = LogisticsWorld.stops(of: again.json)
            #expect(now[tracking[0]] == stops[tracking[0]])
            let overflow = (again.json["overflow"] as? [[String: Any]] ?? []).compactMap {
                $0["tracking_no"] as? String
            }
            #expect(overflow.contains(more[0]))
            #expect(now[more[1]] != nil)
            let started = (again.json["routes"] as? [[String: Any]] ?? []).flatMap {
                ($0["stops"] as? [[String: Any]]) ?? []
            }.filter { $0["started"] as? Bool == true }
            #expect(started.count == 1)
        }
    }

    @Test func onlyTheOfficesClerksPlanAndDatesAreChecked() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            #expect(try await w.plan(token: w.world.clerkB).status == .notFound)
            #expect(try await w.plan(token: w.couriers[0].token).status == .forbidden)
            #expect(try await w.plan(day: "2020-01-01").status == .unprocessableContent)
            #expect(try await w.plan(day: "2026-02-30").status == .unprocessableContent)
            let list = try await api.request(
                .get, "/v1/post-offices/\(w.office)/schedules?service_on=\(LogisticsWorld.today)", token: w.clerk)
            #expect(list.status == .ok)
            #expect((list.json["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func deliveriesArePlannedForParcelsThatReachedTheRecipientsOffice() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api)
            let (order, tracking) = try await w.readyOrder()
            for number in tracking {
                try await w.scan(number, "picked_up", status: .created)
                try await w.scan(
                    number, "arrived_at_hub", extra: ["post_office_id": w.office.uuidString], status: .created)
            }
            let plan = try await w.plan("delivery")
            #expect(plan.status == .created)
            let stops = LogisticsWorld.stops(of: plan.json)
            #expect(Set(stops.keys) == Set(tracking))
            // Both parcels go to one address: one stop.
            #expect(Set(stops.values).count == 1)
            let route = try #require((plan.json["routes"] as? [[String: Any]])?.first)
            let courier = try #require(w.couriers.first { $0.id == route["courier_id"] as? String })
            let manifest = try await w.world.expect(
                .get, "/v1/couriers/\(courier.id)/manifests/\(LogisticsWorld.today)", courier.token, status: .ok)
            let cod = (order["packages"] as? [[String: Any]] ?? []).reduce(0) {
                $0 + ($1["cod_amount_vnd"] as? Int ?? 0)
            }
            #expect(manifest.json["cod_to_collect_vnd"] as? Int == cod)
            #expect(manifest.json["parcel_count"] as? Int == 2)
        }
    }
}

extension LogisticsWorld {
    /// A bank-transfer order, paid, with both packages ready.
    func readyOrderPaid() async throws -> (order: [String: Any], tracking: [String]) {
        let buyer = try await api.buyerToken()
        let placed = try await OrderTests.order(
            api, token: buyer, lines: [(fish, 1), (honey, 1)], method: "bank_transfer")
        guard placed.status == .created else { throw TestFailure("order: \(placed.status) \(placed.text)") }
        let number = try #require(placed.json["number"] as? String)
        let total = try #require(placed.json["grand_total_vnd"] as? Int)
        let paid = try await PaymentTests.notify(api, event: UUID().uuidString, order: number, amount: total)
        guard paid.status == .ok else { throw TestFailure("payment: \(paid.status) \(paid.text)") }
        var tracking: [String] = []
        for package in placed.json["packages"] as? [[String: Any]] ?? [] {
            let id = try #require(package["id"] as? String)
            let producer = (package["supplier_id"] as? String) == world.supplier ? world.producer : honeyProducer
            try await world.expect(.post, "/v1/packages/\(id)/accept", producer, status: .ok)
            let ready = try await world.expect(.post, "/v1/packages/\(id)/ready", producer, status: .ok)
            tracking.append(try #require(ready.json["tracking_no"] as? String))
            try await api.readiedEarlier(tracking[tracking.count - 1])
        }
        return (placed.json, tracking)
    }
}
