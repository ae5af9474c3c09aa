import Foundation

/// Metres east and north of the depot; flat is close enough over one post office's area.
struct PlanarPoint {
    static let depot = PlanarPoint(x: 0, y: 0)

    var x: Double
    var y: Double

    func distance(to other: PlanarPoint) -> Double {
        ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot()
    }
}

// In an extension, so that the memberwise initializer stays.
extension PlanarPoint {
    init(_ location: GeoPoint, around depot: GeoPoint) {
        let metersPerDegree = GreatCircle.earthRadiusMeters * Double.pi / 180
        var degreesEast = location.lon - depot.lon
        if degreesEast > 180 { degreesEast -= 360 } else if degreesEast < -180 { degreesEast += 360 }
        self.init(
            x: degreesEast * cos(depot.lat * Double.pi / 180) * metersPerDegree,
            y: (location.lat - depot.lat) * metersPerDegree)
    }
}
