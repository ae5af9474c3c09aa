import Foundation

/// What each courier carries so far.
struct CourierLoads {
    let couriers: [CourierShift]
    let demandGrams: [Int]
    /// Each demand's place in the urgency order.
    let rank: [Int]
    var members: [[Int]]
    var grams: [Int]

    init(_ couriers: [CourierShift], _ demandGrams: [Int], _ rank: [Int]) {
        self.couriers = couriers
        self.demandGrams = demandGrams
        self.rank = rank
        members = Array(repeating: [], count: couriers.count)
        grams = Array(repeating: 0, count: couriers.count)
    }

    func fits(_ d: Int, _ k: Int) -> Bool {
        fits(stops: members[k].count, grams: grams[k], adding: d, k)
    }

    /// Whether courier k could take d after dropping the stops it carries that are less urgent than d.
    func fitsByBumping(_ d: Int, _ k: Int) -> Bool {
        let kept = members[k].filter { rank[$0] < rank[d] }
        return fits(stops: kept.count, grams: kept.reduce(0) { $0 + demandGrams[$1] }, adding: d, k)
    }

    /// Weights are compared by subtraction so that a limit of Int.max cannot overflow.
    private func fits(stops: Int, grams: Int, adding d: Int, _ k: Int) -> Bool {
        couriers[k].maxGrams > 0 && stops < couriers[k].maxStops && demandGrams[d] <= couriers[k].maxGrams - grams
    }

    mutating func add(_ d: Int, _ k: Int) {
        members[k].append(d)
        grams[k] += demandGrams[d]
    }

    /// Adds what still fits, most urgent first, each where it lengthens a tour least; returns what does not fit.
    mutating func fill(_ waiting: [Int], _ points: [PlanarPoint]) -> [Int] {
        var leftOver: [Int] = []
        for d in waiting {
            var best: (courier: Int, position: Int, cost: Double)?
            for k in couriers.indices where fits(d, k) {
                let tour = [PlanarPoint.depot] + members[k].map { points[$0] } + [PlanarPoint.depot]
                for i in 1..<tour.count {
                    let cost =
                        tour[i - 1].distance(to: points[d]) + points[d].distance(to: tour[i])
                        - tour[i - 1].distance(to: tour[i])
                    if cost < best?.cost ?? .infinity { best = (k, i - 1, cost) }
                }
            }
            if let best {
                members[best.courier].insert(d, at: best.position)
                grams[best.courier] += demandGrams[d]
            } else {
                leftOver.append(d)
            }
        }
        return leftOver
    }

    /// Drops courier k's least urgent stops until d fits, never one as urgent as d, and returns them.
    mutating func bump(for d: Int, from k: Int) -> [Int] {
        var dropped: [Int] = []
        while !fits(d, k), let last = members[k].indices.max(by: { rank[members[k][$0]] < rank[members[k][$1]] }),
            rank[members[k][last]] > rank[d]
        {
            let stop = members[k].remove(at: last)
            grams[k] -= demandGrams[stop]
            dropped.append(stop)
        }
        return dropped
    }
}
