import Foundation

public enum SupplierKind: String, Sendable, Codable, CaseIterable {
    case household, cooperative, enterprise
    case postOfficePoint = "post_office_point"
}

public enum SupplierStatus: String, Sendable, Codable, CaseIterable {
    case pending, active, suspended
}

/// A place on the two-level administrative map in force since 1 July 2025.
public struct Address: Sendable, Equatable {
    public var provinceCode: String
    public var communeCode: String
    public var addressLine: String
    public var lat: Double?
    public var lon: Double?

    public init(provinceCode: String, communeCode: String, addressLine: String, lat: Double? = nil, lon: Double? = nil)
    {
        self.provinceCode = provinceCode
        self.communeCode = communeCode
        self.addressLine = addressLine
        self.lat = lat
        self.lon = lon
    }
}

/// How remittances reach the supplier.
public enum Payout: Sendable, Equatable {
    case bankTransfer(bankBIN: String, accountNo: String, accountName: String)
    case counterCash

    public var method: String {
        switch self {
        case .bankTransfer: "bank_transfer"
        case .counterCash: "counter_cash"
        }
    }
}

public struct Supplier: Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var kind: SupplierKind
    public var status: SupplierStatus
    public var statusReason: String?
    public var description: String
    public var phone: String?
    public var email: String?
    public var taxCode: String?
    public var address: Address?
    public var payout: Payout
    public var bankName: String?
    public var createdAt: Date
    public var approvedAt: Date?
    public var updatedAt: Date
    public var servingPostOfficeID: UUID?

    public var scope: SupplierScope {
        SupplierScope(id: id, status: status, servingPostOfficeID: servingPostOfficeID)
    }
}

/// A supplier as one caller may see it: buyers see the public profile, members and staff everything.
public struct SupplierView: Sendable {
    public var supplier: Supplier
    public var showsPrivate: Bool
}

/// A producer of a supplier.
public struct SupplierMember: Sendable, Equatable {
    public var userID: UUID
    public var email: String
    public var displayName: String
    public var grantID: UUID
    public var grantedAt: Date
}
