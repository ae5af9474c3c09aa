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
