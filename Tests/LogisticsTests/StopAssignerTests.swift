import Foundation
import Logistics
import Testing

@Suite("Sharing a shift's stops among its couriers")
struct StopAssignerTests {
    static let postOffice = GeoPoint(lat: 16.0544, lon: 108.2022)  // Đà Nẵng

    static func demands(
        _ count: Int, _ random: inout RoutingRandom, grams: ClosedRange<Int> = 200...3_000,
        priorities: ClosedRange<Int> = 0...20
    ) -> [StopDemand] {
        (0..<count).map { _ in
            StopDemand(
                key: random.uuid(), location: random.point(), grams: random.int(grams), parcels: random.int(1...5),
                priority: random.int(priorities))
        }
    }

    static func couriers(_ count: Int, maxStops: Int, maxGrams: Int, _ random: inout RoutingRandom) -> [CourierShift] {
        (0..<count).map { _ in CourierShift(courierID: random.uuid(), maxStops: maxStops, maxGrams: maxGrams) }
    }

    /// Demand indices, most urgent first: by priority, then by key.
    static func urgency(_ demands: [StopDemand]) -> [Int] {
        demands.indices.sorted { a, b in
            (demands[a].priority, demands[a].key.uuidString, a) < (demands[b].priority, demands[b].key.uuidString, b)
        }
    }

    /// Every promise a plan makes, whatever the input.
    static func expectKeepsItsPromises(
        _ plan: StopPlan, _ couriers: [CourierShift], _ demands: [StopDemand],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(plan.routes.map(\.courierID) == couriers.map(\.courierID), sourceLocation: sourceLocation)
        var seen = [Int](repeating: 0, count: demands.count)
        for index in plan.routes.flatMap(\.stops) + plan.overflow { seen[index] += 1 }
        #expect(seen.allSatisfy { $0 == 1 }, "every demand exactly once", sourceLocation: sourceLocation)

        for (route, courier) in zip(plan.routes, couriers) {
            let grams = route.stops.reduce(0) { $0 + demands[$1].grams }
            #expect(route.grams == grams, sourceLocation: sourceLocation)
            #expect(route.stops.count <= max(0, courier.maxStops), sourceLocation: sourceLocation)
            #expect(route.stops.isEmpty || grams <= courier.maxGrams, sourceLocation: sourceLocation)
            if courier.maxStops <= 0 || courier.maxGrams <= 0 {
                #expect(route.stops.isEmpty && route.meters == 0, sourceLocation: sourceLocation)
            }
            let locations = route.stops.map { demands[$0].location }
            let meters = RoutePlanner.length(depot: postOffice, stops: locations, order: Array(locations.indices))
            #expect(abs(route.meters - meters) < 1e-3, sourceLocation: sourceLocation)
            // Ordered by the planner: planning these stops afresh finds nothing shorter.
            let replanned = RoutePlanner.length(
                depot: postOffice, stops: locations, order: RoutePlanner.plan(depot: postOffice, stops: locations))
            #expect(replanned >= meters - 1, sourceLocation: sourceLocation)
        }
        #expect(abs(plan.totalMeters - plan.routes.reduce(0) { $0 + $1.meters }) < 1e-3, sourceLocation: sourceLocation)

        let order = urgency(demands)
        var rank = [Int](repeating: 0, count: demands.count)
        for (position, index) in order.enumerated() { rank[index] = position }
        #expect(
            plan.overflow == order.filter(plan.overflow.contains), "overflow most urgent first",
            sourceLocation: sourceLocation)
        for left in plan.overflow {
            for (route, courier) in zip(plan.routes, couriers) where courier.maxStops > 0 && courier.maxGrams > 0 {
                // Not even by leaving behind everything less urgent, so what rolls over is the least urgent.
                let moreUrgent = route.stops.filter { rank[$0] < rank[left] }
                let moreUrgentGrams = moreUrgent.reduce(0) { $0 + demands[$1].grams }
                #expect(
                    moreUrgent.count >= courier.maxStops || moreUrgentGrams + demands[left].grams > courier.maxGrams,
                    "demand \(left) could have bumped a less urgent stop", sourceLocation: sourceLocation)
                // Nor in the room that is left: nothing rolls over that fits.
                #expect(
                    route.stops.count >= courier.maxStops || route.grams + demands[left].grams > courier.maxGrams,
                    "demand \(left) still fits", sourceLocation: sourceLocation)
            }
        }
    }

    @Test(arguments: 0..<60)
    func randomShiftsKeepEveryPromise(seed: UInt64) {
        var random = RoutingRandom(state: seed)
        let demands = Self.demands(random.int(0...120), &random, grams: 0...30_000)
        let couriers = (0..<random.int(0...6)).map { _ in
            CourierShift(courierID: random.uuid(), maxStops: random.int(0...25), maxGrams: random.int(0...120_000))
        }
        let plan = StopAssigner.assign(depot: Self.postOffice, couriers: couriers, demands: demands)
        Self.expectKeepsItsPromises(plan, couriers, demands)
    }

    /// 1,500 demands for 20 couriers: with stops and weight both nearly used up, and with room to spare.
    @Test(arguments: [(40, 8_000), (100, 3_000)])
    func fullShiftKeepsEveryPromise(maxStops: Int, heaviest: Int) {
        var random = RoutingRandom(state: 1_500)
        let demands = Self.demands(1_500, &random, grams: 200...heaviest)
        let couriers = Self.couriers(20, maxStops: maxStops, maxGrams: 150_000, &random)
        let plan = StopAssigner.assign(depot: Self.postOffice, couriers: couriers, demands: demands)
        Self.expectKeepsItsPromises(plan, couriers, demands)
    }

    @Test func withEqualWeightsTheOverflowIsExactlyTheLeastUrgent() {
        var random = RoutingRandom(state: 5)
        let demands = Self.demands(200, &random, grams: 1_000...1_000, priorities: 0...1_000)
        let couriers = Self.couriers(4, maxStops: 30, maxGrams: 150_000, &random)
        let plan = StopAssigner.assign(depot: Self.postOffice, couriers: couriers, demands: demands)
        Self.expectKeepsItsPromises(plan, couriers, demands)
        #expect(plan.overflow == Array(Self.urgency(demands).suffix(80)))
    }

    @Test func equalPrioritiesGoByKey() {
        var random = RoutingRandom(state: 6)
        let demands = Self.demands(50, &random, grams: 500...500, priorities: 7...7)
        let couriers = Self.couriers(2, maxStops: 10, maxGrams: 150_000, &random)
        let plan = StopAssigner.assign(depot: Self.postOffice, couriers: couriers, demands: demands)
        #expect(plan.overflow == Array(Self.urgency(demands).suffix(30)))
    }

    @Test func aDemandTooHeavyForAnyoneOverflowsWithoutBlockingOthers() {
        var random = RoutingRandom(state: 7)
        var demands = Self.demands(50, &random, grams: 100...1_000)
        let tooHeavy = StopDemand(
            key: random.uuid(), location: random.point(), grams: 200_000, parcels: 9, priority: -1_000)
        demands.insert(tooHeavy, at: 7)
        let couriers = Self.couriers(3, maxStops: 30, maxGrams: 150_000, &random)
        let plan = StopAssigner.assign(depot: Self.postOffice, couriers: couriers, demands: demands)
        Self.expectKeepsItsPromises(plan, couriers, demands)
        #expect(plan.overflow == [7])
    }

    @Test func equalCouriersGetEqualShares() {
        var random = RoutingRandom(state: 8)
        let demands = Self.demands(300, &random, grams: 1_000...1_000)
        let couriers = Self.couriers(7, maxStops: 100, maxGrams: 150_000, &random)
        let plan = StopAssigner.assign(depot: Self.postOffice, couriers: couriers, demands: demands)
        Self.expectKeepsItsPromises(plan, couriers, demands)
        let counts = plan.routes.map(\.stops.count)
        #expect(plan.overflow.isEmpty)
        #expect((counts.max() ?? 0) - (counts.min() ?? 0) <= max(2, 300 / 7 / 10), "\(counts)")
    }

    @Test func sharesFollowCapacity() {
        var random = RoutingRandom(state: 9)
        let demands = Self.demands(120, &random, grams: 1_000...1_000)
        let couriers = [20, 40, 60, 80].map {
            CourierShift(courierID: random.uuid(), maxStops: $0, maxGrams: $0 * 5_000)
        }
        let plan = StopAssigner.assign(depot: Self.postOffice, couriers: couriers, demands: demands)
        Self.expectKeepsItsPromises(plan, couriers, demands)
        for (route, courier) in zip(plan.routes, couriers) {
            let share = 120 * courier.maxStops / 200
            #expect(abs(route.stops.count - share) <= max(2, share / 10), "\(route.stops.count) for \(share)")
        }
    }

    @Test func separateNeighbourhoodsAreNotSplit() {
        var random = RoutingRandom(state: 10)
        let centres = [
            GeoPoint(lat: 16.15, lon: 108.20), GeoPoint(lat: 16.05, lon: 108.32), GeoPoint(lat: 15.95, lon: 108.20),
            GeoPoint(lat: 16.05, lon: 108.08),
        ]
        let demands = (0..<120).map { i in
            let centre = centres[i % 4]
            return StopDemand(
                key: random.uuid(),
                location: GeoPoint(
                    lat: centre.lat + 0.02 * random.unit() - 0.01, lon: centre.lon + 0.02 * random.unit() - 0.01),
                grams: 1_000, parcels: 1, priority: random.int(0...5))
        }
        let couriers = Self.couriers(4, maxStops: 40, maxGrams: 150_000, &random)
        let plan = StopAssigner.assign(depot: Self.postOffice, couriers: couriers, demands: demands)
        Self.expectKeepsItsPromises(plan, couriers, demands)
        for route in plan.routes {
            #expect(route.stops.count == 30)
            #expect(Set(route.stops.map { $0 % 4 }).count == 1, "a courier crosses town: \(route.stops.map { $0 % 4 })")
        }
    }

    @Test func withoutCouriersEverythingOverflows() {
        var random = RoutingRandom(state: 11)
        let demands = Self.demands(40, &random)
        let plan = StopAssigner.assign(depot: Self.postOffice, couriers: [], demands: demands)
        #expect(plan.routes.isEmpty)
        #expect(plan.totalMeters == 0)
        #expect(plan.overflow == Self.urgency(demands))
    }

    @Test func couriersWithoutCapacityGetEmptyRoutes() {
        var random = RoutingRandom(state: 12)
        let demands = Self.demands(40, &random, grams: 0...1_000)
        let couriers = [
            CourierShift(courierID: random.uuid(), maxStops: 0, maxGrams: 150_000),
            CourierShift(courierID: random.uuid(), maxStops: 30, maxGrams: 0),
            CourierShift(courierID: random.uuid(), maxStops: 10, maxGrams: 150_000),
        ]
        let plan = StopAssigner.assign(depot: Self.postOffice, couriers: couriers, demands: demands)
        Self.expectKeepsItsPromises(plan, couriers, demands)
        #expect(plan.routes[0].stops.isEmpty && plan.routes[1].stops.isEmpty)
        #expect(plan.routes[2].stops.count == 10)
        #expect(plan.overflow.count == 30)
    }

    @Test func nothingToCarry() {
        var random = RoutingRandom(state: 13)
        let couriers = Self.couriers(3, maxStops: 10, maxGrams: 10_000, &random)
        let plan = StopAssigner.assign(depot: Self.postOffice, couriers: couriers, demands: [])
        #expect(plan.routes.map(\.stops) == [[], [], []])
        #expect(plan.overflow.isEmpty && plan.totalMeters == 0)
    }

    @Test func stopsAtTheSamePlaceOrAtThePostOffice() {
        var random = RoutingRandom(state: 14)
        let demands = (0..<30).map { i in
            StopDemand(
                key: random.uuid(), location: i % 3 == 0 ? Self.postOffice : GeoPoint(lat: 16.0, lon: 108.1),
                grams: i % 2 == 0 ? 0 : 500, parcels: 1, priority: i % 4)
        }
        let couriers = [
            CourierShift(courierID: random.uuid(), maxStops: 7, maxGrams: 2_000),
            CourierShift(courierID: random.uuid(), maxStops: Int.max, maxGrams: Int.max),
        ]
        let plan = StopAssigner.assign(depot: Self.postOffice, couriers: couriers, demands: demands)
        Self.expectKeepsItsPromises(plan, couriers, demands)
        #expect(plan.overflow.isEmpty)
    }

    @Test func sameInputSamePlan() {
        var random = RoutingRandom(state: 15)
        let demands = Self.demands(400, &random, grams: 500...8_000)
        let couriers = Self.couriers(6, maxStops: 40, maxGrams: 150_000, &random)
        let first = StopAssigner.assign(depot: Self.postOffice, couriers: couriers, demands: demands)
        let second = StopAssigner.assign(depot: Self.postOffice, couriers: couriers, demands: demands)
        #expect(first == second)
    }
}
