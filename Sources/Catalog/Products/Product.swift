import Foundation

public enum ProductStatus: String, Sendable, Codable, CaseIterable {
    case draft
    case pendingReview = "pending_review"
    case active, rejected, archived
}

public struct Variant: Sendable, Equatable {
    public var id: UUID
    public var sku: String
    public var name: String
    public var priceVND: Int64
    public var weightGrams: Int
    public var stockOnHand: Int
    public var isActive: Bool
    /// Packed size, for volumetric weight; nil until the producer gives it.
    public var dimensions: Dimensions? = nil
}

/// The OCOP star rating a product may display: a verified certificate before its expiry day.
public struct OcopBadge: Sendable, Equatable {
    public var stars: Int
    public var expiresOn: String
}

public struct SupplierSummary: Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var kind: SupplierKind
    public var provinceCode: String?
    public var communeCode: String?
}

public struct Product: Sendable, Equatable {
    public var id: UUID
    public var supplier: SupplierSummary
    public var supplierStatus: SupplierStatus
    public var servingPostOfficeID: UUID?
    public var title: String
    public var description: String
    public var categoryCode: String
    public var categoryGroup: String
    public var originProvinceCode: String
    public var images: [String]
    public var isRegionalSpecialty: Bool
    public var status: ProductStatus
    public var rejectionReason: String?
    public var priceMinVND: Int64?
    public var ocop: OcopBadge?
    public var variants: [Variant]
    public var createdAt: Date
    public var updatedAt: Date

    /// Buyers see active products of active suppliers only.
    public var isListed: Bool { status == .active && supplierStatus == .active }

    public var inStock: Bool { variants.contains { $0.isActive && $0.stockOnHand > 0 } }

    public var scope: SupplierScope {
        SupplierScope(id: supplier.id, status: supplierStatus, servingPostOfficeID: servingPostOfficeID)
    }
}

public struct StockAdjustment: Sendable, Equatable {
    public var id: Int64
    public var variantID: UUID
    public var delta: Int
    public var stockAfter: Int
    public var reason: String
    public var actorID: UUID?
    public var createdAt: Date
}
