import Foundation
import Kernel

public struct ShippingAddress: Sendable, Equatable, Codable {
    public var recipientName: String
    public var phone: String
    public var provinceCode: String
    public var communeCode: String
    public var addressLine: String

    public init(recipientName: String, phone: String, provinceCode: String, communeCode: String, addressLine: String) {
        self.recipientName = recipientName
        self.phone = phone
        self.provinceCode = provinceCode
        self.communeCode = communeCode
        self.addressLine = addressLine
    }
}

public struct OrderLine: Sendable, Equatable, Codable {
    public var variantID: UUID
    public var productID: UUID
    public var sku: String
    public var title: String
    public var variantName: String
    public var unitPriceVND: Int64
    public var quantity: Int
    public var lineTotalVND: Int64
}

public struct Package: Sendable, Equatable, Codable {
    public var id: UUID
    public var number: String
    public var orderID: UUID
    public var supplierID: UUID
    public var supplierName: String
    public var status: PackageStatus
    public var lines: [OrderLine]
    public var itemsTotalVND: Int64
    public var weightGrams: Int
    public var zone: String
    public var shippingFeeVND: Int64
    public var codAmountVND: Int64
    public var rejectReason: String?
    public var trackingNo: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// Held after a failed attempt: until when the buyer or the seller may choose.
    public var holdUntil: Date? = nil
    /// The weight the shipping fee was computed on (actual or volumetric, whichever is greater). Optional
    /// only so that order snapshots kept before these fields (idempotency replays) still decode.
    public var chargeableWeight: Int? = nil
    /// What the parcel is declared and insured for (its goods' value).
    public var declaredValue: Int64? = nil
    /// Insurance on the declared value, part of `shippingFeeVND`.
    public var insuranceFee: Int64? = nil
    /// Where the parcel goes when it was sent to another address after a failed attempt (nil: the
    /// order's own address).
    public var destination: ShippingAddress? = nil
    /// What the seller weighed and measured when packing (nil when nothing was measured): the packed
    /// weight in grams, and length, width and height in cm.
    public var packedWeight: Int? = nil
    public var packedSizeCM: [Int]? = nil
    /// What the seller owes beyond the buyer's quote for the parcel as packed (heavier, bulkier or declared
    /// for more), taken from the seller's share on delivery.
    public var sellerSurcharge: Int64? = nil

    public var chargeableWeightGrams: Int { chargeableWeight ?? weightGrams }
    public var declaredValueVND: Int64 { declaredValue ?? itemsTotalVND }
    public var insuranceFeeVND: Int64 { insuranceFee ?? 0 }
}

public struct Order: Sendable, Equatable, Codable {
    public var id: UUID
    public var number: String
    public var buyerID: UUID
    public var status: OrderStatus
    public var paymentMethod: PaymentMethod
    public var address: ShippingAddress
    public var packages: [Package]
    public var itemsTotalVND: Int64
    public var shippingTotalVND: Int64
    public var grandTotalVND: Int64
    public var deliveryCode: String
    public var paymentDueAt: Date?
    public var cancelReason: String?
    public var createdAt: Date
    public var updatedAt: Date
}

/// A checkout as the buyer sends it, validated.
public struct NewOrder: Sendable, Equatable {
    public var lines: [CartLine]
    public var address: ShippingAddress
    public var paymentMethod: PaymentMethod

    public static func validated(lines: [CartLine], address: ShippingAddress, paymentMethod: PaymentMethod)
        throws(DomainError) -> NewOrder
    {
        var v = Validator()
        do {
            try Checkout.validate(lines)
        } catch {
            if case .validation(let fields) = error { for field in fields { v.fail(field.field, field.message) } }
        }
        let prefix = "shipping_address."
        v.text(address.recipientName, prefix + "recipient_name", max: 100)
        var address = address
        address.phone = v.phone(address.phone, prefix + "phone") ?? address.phone
        v.check(Validator.isDigits(address.provinceCode, count: 2), prefix + "province_code", "must be 2 digits")
        v.check(Validator.isDigits(address.communeCode, count: 5), prefix + "commune_code", "must be 5 digits")
        v.text(address.addressLine, prefix + "address_line", max: 200)
        try v.done()
        return NewOrder(lines: lines, address: address, paymentMethod: paymentMethod)
    }

    /// A digest of what was asked, independent of JSON spelling (key order, spaces): the same key with
    /// another request is refused, the same request is replayed.
    public var requestHash: String {
        var text = "\(paymentMethod.rawValue)|\(address.recipientName)|\(address.phone)|\(address.provinceCode)|"
        text += "\(address.communeCode)|\(address.addressLine)"
        for line in lines { text += "|\(line.variantID.uuidString.lowercased())x\(line.quantity)" }
        return Digest.sha256Hex(text)
    }
}
