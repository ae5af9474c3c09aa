import Foundation
import Kernel

/// A supplier application, validated field by field (references to banks and communes are checked
/// by the store against the database).
public struct SupplierApplication: Sendable {
    public var name: String
    public var kind: SupplierKind
    public var phone: String
    public var email: String?
    public var description: String
    public var taxCode: String?
    public var address: Address
    public var payout: Payout

    public static func validated(
        name: String,
        kind: String,
        phone: String,
        email: String?,
        description: String?,
        taxCode: String?,
        address: AddressInput,
        payout: PayoutInput?
    ) throws(DomainError) -> SupplierApplication {
        var v = Validator()
        v.text(name, "name", max: 200)
        let kind = SupplierKind(rawValue: kind)
        if kind == nil { v.fail("kind", "must be one of household, cooperative, enterprise, post_office_point") }
        let national = v.phone(phone, "phone")
        if let email { v.email(email, "email") }
        if let description { v.paragraph(description, "description", max: 5000) }
        if let taxCode { v.check(SupplierRules.isTaxCode(taxCode), "tax_code", "must be 10 digits, or 10-3 digits") }
        let address = address.validated(prefix: "pickup_address.", into: &v)
        let payoutValue =
            payout.map {
                PayoutRules.validate(
                    method: $0.method, bankBIN: $0.bankBIN, accountNo: $0.accountNo, accountName: $0.accountName,
                    prefix: "payout.", into: &v)
            } ?? .counterCash
        try v.done()
        guard let kind, let address, let payoutValue else { throw .invalid("body", "is not a valid application") }
        return SupplierApplication(
            name: name.trimmed, kind: kind, phone: national ?? phone, email: email?.lowercased(),
            description: description ?? "",
            taxCode: taxCode, address: address, payout: payoutValue)
    }
}

/// Profile changes; nil leaves a field as it is.
public struct SupplierPatch: Sendable {
    public var name: String?
    public var phone: String?
    public var email: String?
    public var description: String?
    public var taxCode: String?
    public var address: Address?

    public static func validated(
        name: String?,
        phone: String?,
        email: String?,
        description: String?,
        taxCode: String?,
        address: AddressInput?
    ) throws(DomainError) -> SupplierPatch {
        var v = Validator()
        if let name { v.text(name, "name", max: 200) }
        let national = phone.flatMap { v.phone($0, "phone") }
        if let email { v.email(email, "email") }
        if let description { v.paragraph(description, "description", max: 5000) }
        if let taxCode { v.check(SupplierRules.isTaxCode(taxCode), "tax_code", "must be 10 digits, or 10-3 digits") }
        let parsed = address?.validated(prefix: "pickup_address.", into: &v)
        try v.done()
        return SupplierPatch(
            name: name?.trimmed, phone: national, email: email?.lowercased(), description: description,
            taxCode: taxCode,
            address: parsed)
    }
}

public struct AddressInput: Sendable {
    public var provinceCode: String
    public var communeCode: String
    public var addressLine: String
    public var lat: Double?
    public var lon: Double?

    public init(provinceCode: String, communeCode: String, addressLine: String, lat: Double?, lon: Double?) {
        self.provinceCode = provinceCode
        self.communeCode = communeCode
        self.addressLine = addressLine
        self.lat = lat
        self.lon = lon
    }

    func validated(prefix: String, into v: inout Validator) -> Address? {
        let before = v.errors.count
        v.check(Validator.isDigits(provinceCode, count: 2), "\(prefix)province_code", "must be 2 digits")
        v.check(Validator.isDigits(communeCode, count: 5), "\(prefix)commune_code", "must be 5 digits")
        v.text(addressLine, "\(prefix)address_line", max: 200)
        if let lat { v.check(lat.isFinite && (-90...90).contains(lat), "\(prefix)lat", "must be between -90 and 90") }
        if let lon {
            v.check(lon.isFinite && (-180...180).contains(lon), "\(prefix)lon", "must be between -180 and 180")
        }
        guard v.errors.count == before else { return nil }
        return Address(
            provinceCode: provinceCode, communeCode: communeCode, addressLine: addressLine.trimmed, lat: lat, lon: lon)
    }
}

public struct PayoutInput: Sendable {
    public var method: String
    public var bankBIN: String?
    public var accountNo: String?
    public var accountName: String?

    public init(method: String, bankBIN: String?, accountNo: String?, accountName: String?) {
        self.method = method
        self.bankBIN = bankBIN
        self.accountNo = accountNo
        self.accountName = accountName
    }

    public func validated() throws(DomainError) -> Payout {
        var v = Validator()
        let payout = PayoutRules.validate(
            method: method, bankBIN: bankBIN, accountNo: accountNo, accountName: accountName, prefix: "", into: &v)
        try v.done()
        guard let payout else { throw .invalid("method", "is not a valid payout") }
        return payout
    }
}

public enum SupplierRules {
    /// 10 digits, or 10 digits, a dash and 3 digits (a branch), as the tax office issues them.
    public static func isTaxCode(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return false }
        guard Validator.isDigits(parts[0], count: 10) else { return false }
        return parts.count == 1 || Validator.isDigits(parts[1], count: 3)
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespaces) }
}
