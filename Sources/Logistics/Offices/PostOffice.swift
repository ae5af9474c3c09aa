import Foundation
import Kernel

public struct PostOffice: Sendable, Equatable {
    public var id: UUID
    public var code: String
    public var name: String
    public var provinceCode: String
    public var communeCode: String
    public var addressLine: String
    public var location: GeoPoint
    public var phone: String?
    public var isActive: Bool
    /// A sorting centre parcels of any office may pass through (their hub scans are accepted here).
    public var isSortingHub: Bool
    /// The communes whose suppliers and recipients this office serves.
    public var communes: [String]
    public var createdAt: Date
    public var updatedAt: Date
}

/// A post office as an admin creates or edits it; nil fields are left as they are on edit.
public struct PostOfficeInput: Sendable, Equatable {
    public var code: String?
    public var name: String?
    public var provinceCode: String?
    public var communeCode: String?
    public var addressLine: String?
    public var lat: Double?
    public var lon: Double?
    public var phone: String?
    public var isActive: Bool?
    public var isSortingHub: Bool?

    public init(
        code: String? = nil, name: String? = nil, provinceCode: String? = nil, communeCode: String? = nil,
        addressLine: String? = nil, lat: Double? = nil, lon: Double? = nil, phone: String? = nil,
        isActive: Bool? = nil, isSortingHub: Bool? = nil
    ) {
        self.code = code
        self.name = name
        self.provinceCode = provinceCode
        self.communeCode = communeCode
        self.addressLine = addressLine
        self.lat = lat
        self.lon = lon
        // Stored in the one national form; a number no network issues stays as typed, for `validate`.
        self.phone = phone.map { VietnamesePhone.canonical($0) ?? $0 }
        self.isActive = isActive
        self.isSortingHub = isSortingHub
    }

    /// Every bad field at once; `creating` makes the identifying fields required.
    public func validate(creating: Bool) throws(DomainError) {
        var v = Validator()
        if creating {
            for (value, field) in [
                (code, "code"), (name, "name"), (provinceCode, "province_code"), (communeCode, "commune_code"),
                (addressLine, "address_line"),
            ] where value == nil { v.fail(field, "is required") }
            if lat == nil { v.fail("lat", "is required") }
            if lon == nil { v.fail("lon", "is required") }
        }
        if let code {
            v.check(
                (2...20).contains(code.count)
                    && code.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "-") },
                "code", "must be 2–20 capital letters, digits or hyphens")
        }
        if let name { v.text(name, "name", max: 200) }
        if let provinceCode {
            v.check(Validator.isDigits(provinceCode, count: 2), "province_code", "must be 2 digits")
        }
        if let communeCode {
            v.check(Validator.isDigits(communeCode, count: 5), "commune_code", "must be 5 digits")
        }
        if let addressLine { v.text(addressLine, "address_line", max: 200) }
        if let lat { v.range(lat, "lat", -90...90) }
        if let lon { v.range(lon, "lon", -180...180) }
        if let phone { v.phone(phone, "phone") }
        try v.done()
    }
}
