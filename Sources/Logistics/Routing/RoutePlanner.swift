import Foundation

/// Closed tours from a depot (the post office) through stops and back to the depot.
public enum RoutePlanner {
    /// Moves that win less than this many metres are rounding noise; taking them could loop forever.
    private static let epsilon = 1e-7

    /// Visiting order (indices into `stops`) of a short closed tour depot → stops → depot.
    ///
    /// Farthest insertion sketches the outline of the area before filling it in, which leaves local search less to
    /// undo than cheapest insertion or nearest neighbour; 2-opt then uncrosses edges and Or-opt moves runs of up to
    /// three stops, until neither finds a shorter tour. Ties go to the lower index, so the same input always gives
    /// the same order.
    public static func plan(depot: GeoPoint, stops: [GeoPoint]) -> [Int] {
        // With two stops or fewer every order has the same length.
        guard stops.count > 2 else { return Array(stops.indices) }
        let distance = DistanceMatrix(depot: depot, stops: stops)
        var tour = farthestInsertion(distance)
        var improved = true
        while improved {
            let uncrossed = twoOpt(&tour, distance)
            let moved = orOpt(&tour, distance)
            improved = uncrossed || moved
        }
        return tour.dropFirst().map { $0 - 1 }
    }

    /// Length in metres of the closed tour depot → `stops[order[0]]` → … → depot; `order` must index `stops`.
    public static func length(depot: GeoPoint, stops: [GeoPoint], order: [Int]) -> Double {
        var total = 0.0
        var previous = depot
        for index in order {
            total += GreatCircle.meters(previous, stops[index])
            previous = stops[index]
        }
        return total + GreatCircle.meters(previous, depot)
    }

    /// The shortest tour, for tests and tiny instances; above ten stops the search would take too long, so this
    /// returns `plan(depot:stops:)` instead.
    ///
    /// Every order is tried, but an order is abandoned as soon as it cannot beat the best so far, which makes nine
    /// stops take milliseconds rather than seconds.
    public static func optimal(depot: GeoPoint, stops: [GeoPoint]) -> [Int] {
        guard stops.count <= 10 else { return plan(depot: depot, stops: stops) }
        guard stops.count > 2 else { return Array(stops.indices) }
        var search = ExhaustiveSearch(DistanceMatrix(depot: depot, stops: stops))
        search.extend(from: 0, length: 0)
        // Only coordinates that are not numbers leave no tour found.
        return search.best.isEmpty ? Array(stops.indices) : search.best.map { $0 - 1 }
    }

    private static func farthestInsertion(_ d: DistanceMatrix) -> [Int] {
        var tour = [0]
        var inTour = [Bool](repeating: false, count: d.count)
        inTour[0] = true
        var toTour = (0..<d.count).map { d[0, $0] }
        for _ in 1..<d.count {
            var node = -1
            for v in 1..<d.count where !inTour[v] && (node < 0 || toTour[v] > toTour[node]) { node = v }
            var position = 0
            var cheapest = Double.infinity
            for p in tour.indices {
                let a = tour[p]
                let b = tour[(p + 1) % tour.count]
                let cost = d[a, node] + d[node, b] - d[a, b]
                if cost < cheapest {
                    cheapest = cost
                    position = p
                }
            }
            tour.insert(node, at: position + 1)
            inTour[node] = true
            for v in 1..<d.count where !inTour[v] {
                toTour[v] = min(toTour[v], d[node, v])
            }
        }
        return tour
    }

    /// Replaces edges (t[i], t[i+1]) and (t[j], t[j+1]) by (t[i], t[j]) and (t[i+1], t[j+1]) wherever that is
    /// shorter, by reversing the stretch between them. The depot stays first because i + 1 ≥ 1.
    private static func twoOpt(_ t: inout [Int], _ d: DistanceMatrix) -> Bool {
        let m = t.count
        var improved = false
        for i in 0..<(m - 2) {
            // When i is 0 the last edge also touches the depot, so swapping it with the first changes nothing.
            for j in (i + 2)..<(i == 0 ? m - 1 : m) {
                let a = t[i]
                let b = t[i + 1]
                let c = t[j]
                let e = t[(j + 1) % m]
                if d[a, c] + d[b, e] - d[a, b] - d[c, e] < -epsilon {
                    t[(i + 1)...j].reverse()
                    improved = true
                }
            }
        }
        return improved
    }

    /// Moves each run of one to three consecutive stops, either way round, to the edge where it costs least, when
    /// that is less than the run costs where it is. 2-opt cannot make these moves without a second reversal.
    private static func orOpt(_ t: inout [Int], _ d: DistanceMatrix) -> Bool {
        let m = t.count
        var improved = false
        for run in 1...3 {
            var i = 1
            while i + run <= m {
                let first = t[i]
                let last = t[i + run - 1]
                let before = t[i - 1]
                let after = t[(i + run) % m]
                let saved = d[before, first] + d[last, after] - d[before, after]
                var best = (edge: -1, reversed: false, cost: saved - epsilon)
                for j in 0..<m where j < i - 1 || j > i + run - 1 {
                    let p = t[j]
                    let q = t[(j + 1) % m]
                    let forward = d[p, first] + d[last, q] - d[p, q]
                    let backward = d[p, last] + d[first, q] - d[p, q]
                    if forward < best.cost { best = (j, false, forward) }
                    if run > 1 && backward < best.cost { best = (j, true, backward) }
                }
                if best.edge >= 0 {
                    let stretch = Array(t[i..<(i + run)])
                    t.removeSubrange(i..<(i + run))
                    let anchor = best.edge < i ? best.edge : best.edge - run
                    t.insert(contentsOf: best.reversed ? stretch.reversed() : stretch, at: anchor + 1)
                    improved = true
                }
                i += 1
            }
        }
        return improved
    }
}

/// Distances between the depot (node 0) and the stops (stop i is node i + 1); a tour is a list of nodes starting
/// with 0.
private struct DistanceMatrix {
    let count: Int
    private var values: [Double]

    init(depot: GeoPoint, stops: [GeoPoint]) {
        let points = [depot] + stops
        count = points.count
        values = [Double](repeating: 0, count: count * count)
        // Filled symmetrically so that reversing part of a tour cannot change its length by rounding.
        for i in 0..<count {
            for j in (i + 1)..<count {
                let meters = GreatCircle.meters(points[i], points[j])
                values[i * count + j] = meters
                values[j * count + i] = meters
            }
        }
    }

    subscript(_ i: Int, _ j: Int) -> Double { values[i * count + j] }
}

/// Tries every order of the stops, giving up on a partial order once it cannot beat the best tour found so far.
private struct ExhaustiveSearch {
    let distance: DistanceMatrix
    /// Each node's stops, nearest first, so that short tours turn up early and cut off more of the search.
    let nearestFirst: [[Int]]
    var visited: [Bool]
    var path: [Int] = []
    var best: [Int] = []
    var bestLength = Double.infinity

    init(_ distance: DistanceMatrix) {
        self.distance = distance
        nearestFirst = (0..<distance.count).map { node in
            (1..<distance.count).filter { $0 != node }.sorted {
                (distance[node, $0], $0) < (distance[node, $1], $1)
            }
        }
        visited = [Bool](repeating: false, count: distance.count)
    }

    mutating func extend(from node: Int, length: Double) {
        if path.count == distance.count - 1 {
            best = path
            bestLength = length + distance[node, 0]
            return
        }
        for next in nearestFirst[node] where !visited[next] {
            let reached = length + distance[node, next]
            // The way home through the remaining stops is never shorter than straight home, so this partial tour
            // cannot win once that sum reaches the best.
            guard reached + distance[next, 0] < bestLength else { continue }
            visited[next] = true
            path.append(next)
            extend(from: next, length: reached)
            path.removeLast()
            visited[next] = false
        }
    }
}
