import Foundation

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
        var loads = CourierLoads(couriers, demands.map { max(0, $0.grams) }, rank)
        let active = couriers.indices.filter { couriers[$0].maxStops > 0 && couriers[$0].maxGrams > 0 }
        let points = demands.map { PlanarPoint($0.location, around: depot) }
        let wedges = BearingWedges(expectedToFit(urgency, loads, active), points, loads, active)
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
        var exchange = StopExchange(loads, points)
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
    private static func expectedToFit(_ urgency: [Int], _ empty: CourierLoads, _ active: [Int]) -> [Int] {
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
