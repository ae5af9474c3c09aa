import Foundation

/// What one courier can carry in one shift; a courier with no stops or no grams to spare gets an empty route.
public struct CourierShift: Sendable, Equatable {
    public var courierID: UUID
    public var maxStops: Int
    public var maxGrams: Int

    public init(courierID: UUID, maxStops: Int, maxGrams: Int) {
        self.courierID = courierID
        self.maxStops = maxStops
        self.maxGrams = maxGrams
    }
}

/// One place to call at in a shift.
public struct StopDemand: Sendable, Equatable {
    /// The supplier (pickup) or the recipient address group (delivery).
    public var key: UUID
    public var location: GeoPoint
    /// Total weight of the parcels at this stop.
    public var grams: Int
    public var parcels: Int
    /// Smaller is more urgent (say, the number of shifts already waited, negated, or the ready time in epoch seconds);
    /// ties go by key.
    public var priority: Int

    public init(key: UUID, location: GeoPoint, grams: Int, parcels: Int, priority: Int) {
        self.key = key
        self.location = location
        self.grams = grams
        self.parcels = parcels
        self.priority = priority
    }
}

public struct CourierRoute: Sendable, Equatable {
    public var courierID: UUID
    /// Indices into the demands, in visiting order.
    public var stops: [Int]
    /// Length of the closed tour from the depot and back.
    public var meters: Double
    /// What the courier carries; a negative demand weight counts as nothing.
    public var grams: Int

    public init(courierID: UUID, stops: [Int], meters: Double, grams: Int) {
        self.courierID = courierID
        self.stops = stops
        self.meters = meters
        self.grams = grams
    }
}

public struct StopPlan: Sendable, Equatable {
    /// One per courier, in the order the couriers were given; empty for a courier with nothing to do.
    public var routes: [CourierRoute]
    /// Indices of the demands that did not fit, most urgent first; they roll to the next shift.
    public var overflow: [Int]
    public var totalMeters: Double

    public init(routes: [CourierRoute], overflow: [Int], totalMeters: Double) {
        self.routes = routes
        self.overflow = overflow
        self.totalMeters = totalMeters
    }
}

/// Shares a shift's stops among its couriers.
///
/// Urgency comes first: a demand rolls over to the next shift only if no courier could carry it even by leaving
/// behind every stop less urgent than it, and then only if it fits nowhere as things end up; a stop too heavy for
/// anyone never holds others back. Within that, each courier gets its own side of town: the longest run of most
/// urgent demands that fits is sorted by bearing from the post office, starting after the widest empty bearing so that
/// no cluster is cut in two, and cut into consecutive wedges sized to each courier's share of the capacity, which
/// evens out the work. Stops outside the wedges go to the nearest courier that can take them, and then moves and swaps
/// between couriers shorten the tours where the straight wedge edges cut badly. Nothing depends on anything but the
/// input, so the same input always gives the same plan.
public enum StopAssigner {
    public static func assign(depot: GeoPoint, couriers: [CourierShift], demands: [StopDemand]) -> StopPlan {
        let urgency = urgencyOrder(demands)
        var rank = [Int](repeating: 0, count: demands.count)
        for (position, d) in urgency.enumerated() { rank[d] = position }
        // A negative weight is a data error; counting it as nothing keeps every limit check sound.
        var loads = Loads(couriers, demands.map { max(0, $0.grams) }, rank)
        let active = couriers.indices.filter { couriers[$0].maxStops > 0 && couriers[$0].maxGrams > 0 }
        let points = demands.map { Point($0.location, around: depot) }
        let wedges = Wedges(expectedToFit(urgency, loads, active), points, loads, active)
        var homeless: [Int] = []
        for d in demands.indices {
            if let k = wedges.home[d] { loads.add(d, k) } else { homeless.append(d) }
        }
        // Most urgent first, so a stop is only ever bumped by a more urgent one, and once its turn has passed it
        // cannot be bumped again.
        func settle(_ waiting: [Int]) -> [Int] {
            var pending = [Bool](repeating: false, count: demands.count)
            for d in waiting { pending[d] = true }
            var turnedAway: [Int] = []
            for d in urgency where pending[d] {
                pending[d] = false
                let takers = active.filter { loads.fitsByBumping(d, $0) }
                guard let k = takers.min(by: { wedges.distance(points[d], $0) < wedges.distance(points[d], $1) })
                else {
                    turnedAway.append(d)
                    continue
                }
                for bumped in loads.bump(for: d, from: k) { pending[bumped] = true }
                loads.add(d, k)
            }
            return turnedAway
        }
        func planned(_ stops: [Int]) -> [Int] {
            RoutePlanner.plan(depot: depot, stops: stops.map { demands[$0].location }).map { stops[$0] }
        }
        let turnedAway = settle(homeless)
        loads.members = loads.members.map(planned)
        var exchange = Exchange(loads, points)
        exchange.improve()
        loads = exchange.loads
        // Moving stops between couriers changes who carries the stops more urgent than a turned-away one, and
        // bumping a heavy stop for a light one can leave room, so what was turned away gets another try.
        let leftOver = loads.fill(settle(turnedAway), points)
        let routes = couriers.indices.map { k in
            let stops = planned(loads.members[k])
            let locations = stops.map { demands[$0].location }
            return CourierRoute(
                courierID: couriers[k].courierID, stops: stops,
                meters: RoutePlanner.length(depot: depot, stops: locations, order: Array(locations.indices)),
                grams: loads.grams[k])
        }
        return StopPlan(routes: routes, overflow: leftOver, totalMeters: routes.reduce(0) { $0 + $1.meters })
    }

    /// Demand indices, most urgent first; equal priorities go by key, then by position in the input.
    private static func urgencyOrder(_ demands: [StopDemand]) -> [Int] {
        let keys = demands.map { demand in
            withUnsafeBytes(of: demand.key.uuid) { bytes in
                (bytes.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }, bytes.suffix(8).reduce(0) { $0 << 8 | UInt64($1) })
            }
        }
        return demands.indices.sorted { a, b in
            (demands[a].priority, keys[a].0, keys[a].1, a) < (demands[b].priority, keys[b].0, keys[b].1, b)
        }
    }

    /// The most urgent demands, up to the first that a placement ignoring geography could not fit, taking each to
    /// the courier left with the most room. The wedges are cut to these, so that what is carried fills them evenly;
    /// less urgent stops then fill what room is left wherever it is.
    private static func expectedToFit(_ urgency: [Int], _ empty: Loads, _ active: [Int]) -> [Int] {
        var loads = empty
        var expected: [Int] = []
        for d in urgency {
            func room(_ k: Int) -> Double {
                let courier = loads.couriers[k]
                return min(
                    Double(courier.maxStops - loads.members[k].count - 1) / Double(courier.maxStops),
                    Double(courier.maxGrams - loads.grams[k] - loads.demandGrams[d]) / Double(courier.maxGrams))
            }
            guard let k = active.filter({ loads.fits(d, $0) }).max(by: { (room($0), $1) < (room($1), $0) }) else {
                break
            }
            loads.add(d, k)
            expected.append(d)
        }
        return expected
    }
}

/// Metres east and north of the depot; flat is close enough over one post office's area.
private struct Point {
    static let depot = Point(x: 0, y: 0)

    var x: Double
    var y: Double

    func distance(to other: Point) -> Double {
        ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot()
    }
}

// In an extension, so that the memberwise initializer stays.
extension Point {
    fileprivate init(_ location: GeoPoint, around depot: GeoPoint) {
        let metersPerDegree = GreatCircle.earthRadiusMeters * Double.pi / 180
        var degreesEast = location.lon - depot.lon
        if degreesEast > 180 { degreesEast -= 360 } else if degreesEast < -180 { degreesEast += 360 }
        self.init(
            x: degreesEast * cos(depot.lat * Double.pi / 180) * metersPerDegree,
            y: (location.lat - depot.lat) * metersPerDegree)
    }
}

/// What each courier carries so far.
private struct Loads {
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
    mutating func fill(_ waiting: [Int], _ points: [Point]) -> [Int] {
        var leftOver: [Int] = []
        for d in waiting {
            var best: (courier: Int, position: Int, cost: Double)?
            for k in couriers.indices where fits(d, k) {
                let tour = [Point.depot] + members[k].map { points[$0] } + [Point.depot]
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

/// Consecutive wedges of bearing around the depot, one per courier, each within its courier's limits and as near as
/// those allow to its share of the capacity, in stops and grams weighted by how scarce each is.
private struct Wedges {
    /// The courier whose wedge each expected demand falls in.
    var home: [Int?]
    /// The expected demands in each courier's wedge; a courier whose wedge is empty waits at the depot.
    var members: [[Point]]

    init(_ expected: [Int], _ points: [Point], _ loads: Loads, _ active: [Int]) {
        home = Array(repeating: nil, count: points.count)
        members = Array(repeating: [], count: loads.couriers.count)
        guard !active.isEmpty, !expected.isEmpty else { return }
        let sweep = Self.sweep(expected, points)
        // In Double so that no sum of weights can overflow; exact up to 2⁵³ grams.
        let gramsBefore = sweep.reduce(into: [0.0]) { $0.append($0[$0.count - 1] + Double(loads.demandGrams[$1])) }
        let couriers = active.map { loads.couriers[$0] }
        let ends = Self.balancedEnds(gramsBefore, couriers)
        let farthest = couriers.map { Self.farthestEnds(gramsBefore, $0) }
        // coverable[j][i]: couriers j… can carry the sweep from i on. A later start never makes this harder, so the
        // first i that works is how early courier j - 1 may stop.
        var coverable = [[Bool]](repeating: [], count: couriers.count + 1)
        coverable[couriers.count] = (0...sweep.count).map { $0 == sweep.count }
        for j in couriers.indices.reversed() {
            coverable[j] = farthest[j].map { coverable[j + 1][$0] }
        }
        var start = 0
        for (j, k) in active.enumerated() {
            var earliest = start
            while earliest < farthest[j][start] && !coverable[j + 1][earliest] { earliest += 1 }
            let end = min(max(ends[j], earliest), farthest[j][start])
            for d in sweep[start..<end] {
                home[d] = k
                members[k].append(points[d])
            }
            start = end
        }
    }

    /// How far the point is from courier k's wedge, or from the depot if the wedge is empty.
    func distance(_ point: Point, _ k: Int) -> Double {
        guard !members[k].isEmpty else { return point.distance(to: .depot) }
        return members[k].reduce(Double.infinity) { min($0, point.distance(to: $1)) }
    }

    /// The demands by bearing from the depot, starting after the widest empty bearing so that no cluster is split
    /// between the first wedge and the last.
    private static func sweep(_ expected: [Int], _ points: [Point]) -> [Int] {
        let bearing = expected.map { atan2(points[$0].y, points[$0].x) }
        let order = expected.indices.sorted {
            (bearing[$0], points[expected[$0]].distance(to: .depot), $0)
                < (bearing[$1], points[expected[$1]].distance(to: .depot), $1)
        }
        var start = 0
        var widestGap = bearing[order[0]] + 2 * Double.pi - bearing[order[order.count - 1]]
        for i in order.indices.dropFirst() where bearing[order[i]] - bearing[order[i - 1]] > widestGap {
            widestGap = bearing[order[i]] - bearing[order[i - 1]]
            start = i
        }
        return (order[start...] + order[..<start]).map { expected[$0] }
    }

    /// Where each courier's wedge would end if only the shares of capacity counted: a demand goes to the wedge that
    /// holds the middle of its own share of the load.
    private static func balancedEnds(_ gramsBefore: [Double], _ couriers: [CourierShift]) -> [Int] {
        let count = gramsBefore.count - 1
        let stopCapacity = couriers.reduce(0.0) { $0 + Double($1.maxStops) }
        let gramCapacity = couriers.reduce(0.0) { $0 + Double($1.maxGrams) }
        let totalGrams = gramsBefore[count]
        // Each dimension counts as much as it is used up, so the scarcer one decides.
        let stopWeight = Double(count) / stopCapacity
        let gramWeight = totalGrams / gramCapacity
        func load(stops: Double, grams: Double) -> Double {
            (stopWeight * stops / Double(count) + (totalGrams > 0 ? gramWeight * grams / totalGrams : 0))
                / (stopWeight + gramWeight)
        }
        var ends: [Int] = []
        var boundary = 0.0
        var end = 0
        for courier in couriers {
            boundary += load(
                stops: Double(courier.maxStops) / stopCapacity * Double(count),
                grams: Double(courier.maxGrams) / gramCapacity * totalGrams)
            while end < count
                && load(stops: Double(end) + 0.5, grams: (gramsBefore[end] + gramsBefore[end + 1]) / 2) < boundary
            {
                end += 1
            }
            ends.append(end)
        }
        ends[ends.count - 1] = count
        return ends
    }

    /// For each start in the sweep, the end of the longest run of demands from there that the courier can carry.
    private static func farthestEnds(_ gramsBefore: [Double], _ courier: CourierShift) -> [Int] {
        let count = gramsBefore.count - 1
        var ends: [Int] = []
        var end = 0
        for start in 0...count {
            end = max(end, start)
            while end < count && end + 1 - start <= courier.maxStops
                && gramsBefore[end + 1] - gramsBefore[start] <= Double(courier.maxGrams)
            {
                end += 1
            }
            ends.append(end)
        }
        return ends
    }
}

/// Moves stops between couriers, singly or as swapped pairs, wherever that shortens the tours. The same demands stay
/// carried, every courier stays within its limits, and stop counts stay within 4% of what the wedges gave, so the
/// balance holds. Only stops near one another are weighed against each other, and a stop is looked at again only
/// once a courier around it has changed, which keeps the work close to linear in the number of stops.
private struct Exchange {
    /// Moves that save less than this many metres are not worth the churn.
    private static let worthwhile = 1.0
    private static let neighbourCount = 8

    let points: [Point]
    /// Each courier's stops, in visiting order.
    var loads: Loads
    private var courierOf: [Int?]
    private var position: [Int]
    private var nearby: [[Int]]
    private let fewest: [Int]
    private let most: [Int]

    init(_ loads: Loads, _ points: [Point]) {
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
        var best: (gain: Double, other: Int, apply: (inout Exchange) -> Void)?
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
    private func point(_ k: Int, _ i: Int, without skipped: Int? = nil) -> Point {
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
