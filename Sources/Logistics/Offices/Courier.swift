import Foundation
import Kernel

/// A courier of a post office and what one shift can carry.
public struct Courier: Sendable, Equatable {
    public var id: UUID
    public var postOfficeID: UUID
    public var displayName: String
    public var email: String
    public var phone: String?
    public var maxStops: Int
    public var maxGrams: Int
    public var isActive: Bool
    public var createdAt: Date
    public var updatedAt: Date
}

/// Capacity as a clerk sets it; nil fields are left as they are on edit.
public struct CourierInput: Sendable, Equatable {
    public var maxStops: Int?
    public var maxGrams: Int?
    public var isActive: Bool?

    public init(maxStops: Int? = nil, maxGrams: Int? = nil, isActive: Bool? = nil) {
        self.maxStops = maxStops
        self.maxGrams = maxGrams
        self.isActive = isActive
    }

    public func validate() throws(DomainError) {
        var v = Validator()
        if let maxStops { v.range(maxStops, "max_stops", 0...500) }
        if let maxGrams { v.range(maxGrams, "max_grams", 0...2_000_000) }
        try v.done()
    }
}
