import Foundation
import Kernel

/// Rows the demo and scale generators produce and `CatalogSeedWriter` copies into the database, one
/// value per table row, in the tables' own terms (SPEC §3).
struct SeedSupplier: Sendable, Equatable {
    enum Payout: Sendable, Equatable {
        case bankTransfer(bin: String, accountNo: String, accountName: String)
        case counterCash
    }

    var id: UUID
    var name: String
    var kind: String
    var phone: String
    var taxCode: String?
    var description: String
    var provinceCode: String
    var communeCode: String
    var addressLine: String
    var lat: Double?
    var lon: Double?
    var payout: Payout
    /// `timestamptz` text, e.g. `2026-03-02 09:00:00+07`.
    var approvedAt: String?
    var approvedBy: UUID?
}

struct SeedProduct: Sendable, Equatable {
    var id: UUID
    var supplierID: UUID
    var title: String
    var description: String
    var category: String
    var originProvinceCode: String
    var images: [String]
    var isRegionalSpecialty: Bool
    var status: String
}

struct SeedVariant: Sendable, Equatable {
    var id: UUID
    var productID: UUID
    var supplierID: UUID
    var sku: String
    var name: String
    var priceVND: Int64
    var weightGrams: Int
    var stockOnHand: Int
    var position: Int
}

struct SeedCertificate: Sendable, Equatable {
    var id: UUID
    var productID: UUID
    var stars: Int
    var certificateNo: String
    var issuedBy: String
    var issuedOn: CalendarDay
    var expiresOn: CalendarDay
    var status: String
    var reviewedBy: UUID?
    var reviewedAt: String?

    /// Counts for OCOP badges and filters on `day` (SPEC §3: not from the day it expires).
    func isValid(on day: CalendarDay) -> Bool {
        status == "verified" && day < expiresOn
    }
}

/// Catalog rows written together: suppliers before their products, products before variants and
/// certificates, as the catalog triggers need.
struct CatalogBatch: Sendable, Equatable {
    var suppliers: [SeedSupplier] = []
    var products: [SeedProduct] = []
    var variants: [SeedVariant] = []
    var certificates: [SeedCertificate] = []
}

struct SeedPostOffice: Sendable, Equatable {
    var id: UUID
    var code: String
    var name: String
    var communeCode: String
    var addressLine: String
    var lat: Double
    var lon: Double
    /// The communes it serves (`post_office_communes`), its own included.
    var communes: [String]
}

/// A courier or clerk of a post office, inserted directly with the shared demo password hash.
struct SeedStaff: Sendable, Equatable {
    var id: UUID
    var grantID: UUID
    var email: String
    var displayName: String
    var phone: String
    var role: String
    var postOfficeID: UUID
}

/// The whole demo province.
struct DemoCatalog: Sendable, Equatable {
    var postOffices: [SeedPostOffice]
    var staff: [SeedStaff]
    /// Every supplier, the demo supplier (`DemoSeed.supplierID`) first.
    var catalog: CatalogBatch
}
