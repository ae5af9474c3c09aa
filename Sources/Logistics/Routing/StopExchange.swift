import Foundation

/// Moves stops between couriers, singly or as swapped pairs, wherever that shortens the tours. The same demands stay
/// carried, every courier stays within its limits, and stop counts stay within 4% of what the wedges gave, so the
/// balance holds. Only stops near one another are weighed against each other, and a stop is looked at again only
/// once a courier around it has changed, which keeps the work close to linear in the number of stops.
struct StopExchange {
    /// Moves that save less than this many metres are not worth the churn.
    private static let worthwhile = 1.0
    private static let neighbourCount = 8

    let points: [PlanarPoint]
    /// Each courier's stops, in visiting order.
    var loads: CourierLoads
    private var courierOf: [Int?]
    private var position: [Int]
    private var nearby: [[Int]]
    private let fewest: [Int]
    private let most: [Int]

    init(_ loads: CourierLoads, _ points: [PlanarPoint]) {
        self.loads = loads
        self.points = points
        courierOf = Array(repeating: nil, count: points.count)
        position = Array(repeating: 0, count: points.count)
        nearby = Array(repeating: [], count: points.count)
        fewest = loads.members.map { $0.count - $0.count / 25 }
        most = loads.members.map { $0.count + $0.count / 25 }
        for k in loads.members.indices { renumber(k) }
        let carried = loads.members.flatMap { $0 }
        for d in carried {
            // A short sorted list beats sorting every stop, since almost none get in.
            var nearest: [(distance: Double, stop: Int)] = []
            for e in carried where e != d {
                let distance = points[d].distance(to: points[e])
                guard nearest.count < Self.neighbourCount || distance < nearest[nearest.count - 1].distance else {
                    continue
                }
                nearest.insert((distance, e), at: nearest.firstIndex { distance < $0.distance } ?? nearest.count)
                if nearest.count > Self.neighbourCount { nearest.removeLast() }
            }
            nearby[d] = nearest.map(\.stop)
        }
    }

    mutating func improve() {
        var changed = [Bool](repeating: true, count: loads.members.count)
        for _ in 0..<50 {
            let before = changed
            changed = Array(repeating: false, count: loads.members.count)
            for d in courierOf.indices {
                guard let a = courierOf[d] else { continue }
                // Nothing around a stop changed since it was last looked at, so no move of it can have appeared.
                let unchanged = !before[a] && !nearby[d].contains { courierOf[$0].map { before[$0] } ?? false }
                guard !unchanged, let b = improve(d, a) else { continue }
                changed[a] = true
                changed[b] = true
            }
            if !changed.contains(true) { return }
        }
    }

    /// Makes the best move of stop d out of courier a's tour, if any saves enough, and returns the other courier.
    private mutating func improve(_ d: Int, _ a: Int) -> Int? {
        let i = position[d]
        let saving = removal(a, i)
        var best: (gain: Double, other: Int, apply: (inout StopExchange) -> Void)?
        var seen: [Int] = []
        for case let b? in nearby[d].map({ courierOf[$0] }) where b != a && !seen.contains(b) {
            seen.append(b)
            if loads.members[a].count > fewest[a] && loads.members[b].count < most[b] && loads.fits(d, b) {
                let place = insertion(d, into: b)
                if saving - place.cost > best?.gain ?? Self.worthwhile {
                    best = (saving - place.cost, b, { $0.move(d, from: a, to: b, at: place.position) })
                }
            }
            for (j, e) in loads.members[b].enumerated() where nearby[e].contains(where: { courierOf[$0] == a }) {
                let delta = loads.demandGrams[e] - loads.demandGrams[d]
                guard delta <= loads.couriers[a].maxGrams - loads.grams[a],
                    -delta <= loads.couriers[b].maxGrams - loads.grams[b]
                else { continue }
                let intoA = insertion(e, into: a, without: i)
                let intoB = insertion(d, into: b, without: j)
                let gain = saving + removal(b, j) - intoA.cost - intoB.cost
                if gain > best?.gain ?? Self.worthwhile {
                    best = (
                        gain, b,
                        {
                            $0.move(d, from: a, to: b, at: nil)
                            $0.move(e, from: b, to: a, at: intoA.position)
                            $0.loads.members[b].insert(d, at: intoB.position)
                            $0.renumber(b)
                        }
                    )
                }
            }
        }
        best?.apply(&self)
        return best?.other
    }

    /// Takes d out of courier a's tour and, given a position, puts it into courier b's.
    private mutating func move(_ d: Int, from a: Int, to b: Int, at place: Int?) {
        loads.members[a].remove(at: position[d])
        loads.grams[a] -= loads.demandGrams[d]
        loads.grams[b] += loads.demandGrams[d]
        courierOf[d] = b
        renumber(a)
        if let place {
            loads.members[b].insert(d, at: place)
            renumber(b)
        }
    }

    private mutating func renumber(_ k: Int) {
        for (i, d) in loads.members[k].enumerated() {
            courierOf[d] = k
            position[d] = i
        }
    }

    /// The stop at position i of courier k's tour as it would be with the stop at `skipped` taken out; the depot
    /// before the first and after the last.
    private func point(_ k: Int, _ i: Int, without skipped: Int? = nil) -> PlanarPoint {
        let original = skipped.map { i >= $0 ? i + 1 : i } ?? i
        return original >= 0 && original < loads.members[k].count ? points[loads.members[k][original]] : .depot
    }

    /// What taking the stop at position i out of courier k's tour saves.
    private func removal(_ k: Int, _ i: Int) -> Double {
        let stop = point(k, i)
        return point(k, i - 1).distance(to: stop) + stop.distance(to: point(k, i + 1))
            - point(k, i - 1).distance(to: point(k, i + 1))
    }

    /// The cheapest place for d in courier k's tour, as it would be with the stop at `skipped` taken out, looking
    /// only beside d's nearest stops on that tour when it has any there.
    private func insertion(_ d: Int, into k: Int, without skipped: Int? = nil) -> (position: Int, cost: Double) {
        var best = (position: 0, cost: Double.infinity)
        func consider(_ place: Int) {
            let previous = point(k, place - 1, without: skipped)
            let next = point(k, place, without: skipped)
            let cost = previous.distance(to: points[d]) + points[d].distance(to: next) - previous.distance(to: next)
            if cost < best.cost { best = (place, cost) }
        }
        // A place is a position in the tour: before or after each of those stops.
        for e in nearby[d] where courierOf[e] == k && position[e] != skipped {
            let place = skipped.map { position[e] > $0 ? position[e] - 1 : position[e] } ?? position[e]
            consider(place)
            consider(place + 1)
        }
        // With none of d's nearest stops on this tour, every place is weighed.
        if best.cost == .infinity {
            for place in 0...(loads.members[k].count - (skipped == nil ? 0 : 1)) { consider(place) }
        }
        return best
    }
}
