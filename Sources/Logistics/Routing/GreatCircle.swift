import Foundation

/// Distance over the Earth's surface, treating it as a sphere.
///
/// Couriers ride streets, not great circles, but the two rank alternatives alike over a town, and this needs no
/// road data.
public enum GreatCircle {
    /// The IUGG mean Earth radius, which keeps the spherical error under about 0.5% in any direction.
    static let earthRadiusMeters = 6_371_008.8

    /// Haversine distance in metres; well conditioned even for points a few metres apart.
    public static func meters(_ a: GeoPoint, _ b: GeoPoint) -> Double {
        let radiansPerDegree = Double.pi / 180
        let lat1 = a.lat * radiansPerDegree
        let lat2 = b.lat * radiansPerDegree
        let sinHalfLat = sin((lat2 - lat1) / 2)
        let sinHalfLon = sin((b.lon - a.lon) * radiansPerDegree / 2)
        let h = sinHalfLat * sinHalfLat + cos(lat1) * cos(lat2) * sinHalfLon * sinHalfLon
        // Rounding can push h a hair past 1 for antipodal points, where asin would return NaN.
        return 2 * earthRadiusMeters * asin(min(1, h.squareRoot()))
    }
}
