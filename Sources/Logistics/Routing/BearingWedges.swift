import Foundation

/// Consecutive wedges of bearing around the depot, one per courier, each within its courier's limits and as near as
/// those allow to its share of the capacity, in stops and grams weighted by how scarce each is.
struct BearingWedges {
    /// The courier whose wedge each expected demand falls in.
    var home: [Int?]
    /// The expected demands in each courier's wedge; a courier whose wedge is empty waits at the depot.
    var members: [[PlanarPoint]]

    init(_ expected: [Int], _ points: [PlanarPoint], _ loads: CourierLoads, _ active: [Int]) {
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
    func distance(_ point: PlanarPoint, _ k: Int) -> Double {
        guard !members[k].isEmpty else { return point.distance(to: .depot) }
        return members[k].reduce(Double.infinity) { min($0, point.distance(to: $1)) }
    }

    /// The demands by bearing from the depot, starting after the widest empty bearing so that no cluster is split
    /// between the first wedge and the last.
    private static func sweep(_ expected: [Int], _ points: [PlanarPoint]) -> [Int] {
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
