import Foundation
import Logistics
import Testing

/// SplitMix64 with helpers for routing instances, so every run sees the same "random" stops and couriers
/// (StopAssignerTests uses it too).
struct RoutingRandom {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// Somewhere in and around Đà Nẵng.
    mutating func point() -> GeoPoint { GeoPoint(lat: 15.8 + 0.3 * unit(), lon: 107.9 + 0.4 * unit()) }

    mutating func uuid() -> UUID {
        let high = next()
        let low = next()
        func byte(_ word: UInt64, _ i: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: word >> (8 * i)) }
        return UUID(
            uuid: (
                byte(high, 0), byte(high, 1), byte(high, 2), byte(high, 3), byte(high, 4), byte(high, 5),
                byte(high, 6), byte(high, 7), byte(low, 0), byte(low, 1), byte(low, 2), byte(low, 3), byte(low, 4),
                byte(low, 5), byte(low, 6), byte(low, 7)
            ))
    }
}

@Suite("Great-circle distance and closed tours from the post office")
struct RoutePlannerTests {
    static let postOffice = GeoPoint(lat: 16.0544, lon: 108.2022)  // Đà Nẵng

    static func length(_ stops: [GeoPoint], _ order: [Int]) -> Double {
        RoutePlanner.length(depot: postOffice, stops: stops, order: order)
    }

    @Test func greatCircleOfAKnownPair() {
        let hanoi = GeoPoint(lat: 21.0285, lon: 105.8542)
        let meters = GreatCircle.meters(hanoi, Self.postOffice)
        #expect(abs(meters - 606_000) < 6_060)
        #expect(GreatCircle.meters(Self.postOffice, hanoi) == meters)
    }

    @Test func greatCircleOfAPointToItselfIsZero() {
        #expect(GreatCircle.meters(Self.postOffice, Self.postOffice) == 0)
        #expect(GreatCircle.meters(GeoPoint(lat: -33.9, lon: 151.2), GeoPoint(lat: -33.9, lon: 151.2)) == 0)
    }

    @Test func greatCircleAcrossTheAntimeridianAndToTheAntipode() {
        let east = GeoPoint(lat: 0, lon: 179.5)
        let west = GeoPoint(lat: 0, lon: -179.5)
        #expect(abs(GreatCircle.meters(east, west) - 111_195) < 10)
        let halfway = Double.pi * 6_371_008.8
        #expect(abs(GreatCircle.meters(GeoPoint(lat: 0, lon: 0), GeoPoint(lat: 0, lon: 180)) - halfway) < 1)
    }

    @Test func emptyAndSingleStopTours() {
        #expect(RoutePlanner.plan(depot: Self.postOffice, stops: []) == [])
        #expect(RoutePlanner.optimal(depot: Self.postOffice, stops: []) == [])
        #expect(Self.length([], []) == 0)
        let one = [GeoPoint(lat: 16.0, lon: 108.1)]
        #expect(RoutePlanner.plan(depot: Self.postOffice, stops: one) == [0])
        #expect(RoutePlanner.optimal(depot: Self.postOffice, stops: one) == [0])
        #expect(abs(Self.length(one, [0]) - 2 * GreatCircle.meters(Self.postOffice, one[0])) < 1e-6)
    }

    @Test(arguments: [0, 1, 2, 3, 7, 50, 300])
    func planVisitsEachStopExactlyOnce(count: Int) {
        var random = RoutingRandom(state: UInt64(count))
        let stops = (0..<count).map { _ in random.point() }
        #expect(RoutePlanner.plan(depot: Self.postOffice, stops: stops).sorted() == Array(stops.indices))
    }

    @Test func duplicatePointsAndStopsAtThePostOffice() {
        let stops =
            Array(repeating: GeoPoint(lat: 16.0, lon: 108.1), count: 5) + [Self.postOffice, Self.postOffice]
            + [GeoPoint(lat: 15.9, lon: 108.0)]
        let plan = RoutePlanner.plan(depot: Self.postOffice, stops: stops)
        #expect(plan.sorted() == Array(stops.indices))
        let best = RoutePlanner.optimal(depot: Self.postOffice, stops: stops)
        #expect(abs(Self.length(stops, plan) - Self.length(stops, best)) < 1e-6)
    }

    /// The promise: within 10% of the optimum on every random instance of up to nine stops.
    @Test(arguments: 1...9)
    func planIsWithinTenPercentOfOptimal(count: Int) {
        var random = RoutingRandom(state: 1_000 + UInt64(count))
        for instance in 0..<200 {
            let stops = (0..<count).map { _ in random.point() }
            let plan = RoutePlanner.plan(depot: Self.postOffice, stops: stops)
            let best = RoutePlanner.optimal(depot: Self.postOffice, stops: stops)
            #expect(plan.sorted() == Array(stops.indices))
            #expect(best.sorted() == Array(stops.indices))
            let planned = Self.length(stops, plan)
            let optimum = Self.length(stops, best)
            #expect(planned <= 1.10 * optimum + 1e-6, "instance \(instance): \(planned) m vs \(optimum) m")
            #expect(optimum <= planned + 1e-6, "instance \(instance): the optimum is longer than the plan")
        }
    }

    /// `optimal` prunes its search, so check it against trying every order outright.
    @Test(arguments: 1...7)
    func optimalMatchesEveryOrderTried(count: Int) {
        var random = RoutingRandom(state: 77 + UInt64(count))
        for _ in 0..<20 {
            let stops = (0..<count).map { _ in random.point() }
            var order = Array(stops.indices)
            var shortest = Double.infinity
            func permute(_ k: Int) {
                guard k < order.count else {
                    shortest = min(shortest, Self.length(stops, order))
                    return
                }
                for i in k..<order.count {
                    order.swapAt(k, i)
                    permute(k + 1)
                    order.swapAt(k, i)
                }
            }
            permute(0)
            let best = RoutePlanner.optimal(depot: Self.postOffice, stops: stops)
            #expect(abs(Self.length(stops, best) - shortest) < 1e-6)
        }
    }

    @Test func largeTourHasNoImprovingTwoOptMove() {
        var random = RoutingRandom(state: 300)
        let stops = (0..<300).map { _ in random.point() }
        let plan = RoutePlanner.plan(depot: Self.postOffice, stops: stops)
        #expect(plan == RoutePlanner.plan(depot: Self.postOffice, stops: stops))
        let tour = [Self.postOffice] + plan.map { stops[$0] }
        func meters(_ i: Int, _ j: Int) -> Double { GreatCircle.meters(tour[i % tour.count], tour[j % tour.count]) }
        var improving = 0
        for i in 0..<(tour.count - 2) {
            for j in (i + 2)..<tour.count where !(i == 0 && j == tour.count - 1) {
                if meters(i, j) + meters(i + 1, j + 1) < meters(i, i + 1) + meters(j, j + 1) - 1e-3 { improving += 1 }
            }
        }
        #expect(improving == 0)
        // Far shorter than visiting in the order given.
        #expect(Self.length(stops, plan) < 0.2 * Self.length(stops, Array(stops.indices)))
    }

    @Test func moreThanTenStopsFallsBackToThePlan() {
        var random = RoutingRandom(state: 11)
        let stops = (0..<11).map { _ in random.point() }
        #expect(
            RoutePlanner.optimal(depot: Self.postOffice, stops: stops)
                == RoutePlanner.plan(depot: Self.postOffice, stops: stops))
    }
}
