import Catalog
import Foundation
import Kernel

public enum PaymentMethod: String, Sendable, CaseIterable, Codable {
    case cod
    case bankTransfer = "bank_transfer"
}

/// One line of a cart as the buyer sends it.
public struct CartLine: Sendable, Equatable {
    public var variantID: UUID
    public var quantity: Int

    public init(variantID: UUID, quantity: Int) {
        self.variantID = variantID
        self.quantity = quantity
    }
}

public struct LineQuote: Sendable, Equatable {
    public var variant: PurchasableVariant
    public var quantity: Int
    public var lineTotalVND: Int64
}

/// One package: everything one supplier sends.
public struct PackageQuote: Sendable, Equatable {
    public var supplierID: UUID
    public var lines: [LineQuote]
    public var itemsTotalVND: Int64
    public var weightGrams: Int
    public var zone: ShippingZone
    public var shippingFeeVND: Int64
    /// What the courier collects from the buyer: items and shipping, for COD; nothing when prepaid.
    public var codAmountVND: Int64
    /// What the post office keeps of the collection for handling cash, borne by the seller.
    public var codFeeVND: Int64
    /// The weight the fee was computed on: actual or volumetric, whichever is greater.
    public var chargeableWeightGrams: Int = 0
    /// What the parcel is declared (and insured) for: its goods' value.
    public var declaredValueVND: Int64 = 0
    /// Insurance on the declared value; part of `shippingFeeVND`.
    public var insuranceFeeVND: Int64 = 0
}

public struct OrderQuote: Sendable, Equatable {
    public var tariffID: UUID
    public var paymentMethod: PaymentMethod
    public var packages: [PackageQuote]
    public var itemsTotalVND: Int64
    public var shippingTotalVND: Int64
    public var grandTotalVND: Int64
}

/// Prices a cart: one package per supplier, prices from the variants, shipping per package from its
/// weight and zone, COD amounts per package. Pure, so the order and the quote are priced alike.
public enum Checkout {
    public static let maxLines = 50
    public static let quantities = 1...999
    /// The heaviest parcel a post office carries (1 t): a heavier cart is split, not sent to the database
    /// to overflow its weight column halfway through an order batch.
    public static let maxPackageGrams = 1_000_000

    /// Validates the shape of a cart (before anything is read from the database).
    public static func validate(_ lines: [CartLine]) throws(DomainError) {
        var v = Validator()
        v.check((1...maxLines).contains(lines.count), "lines", "must have 1 to \(maxLines) lines")
        var seen: [UUID: Int] = [:]
        for (index, line) in lines.enumerated() {
            v.range(line.quantity, "lines[\(index)].quantity", quantities)
            if let first = seen[line.variantID] {
                v.fail("lines[\(index)].variant_id", "repeats lines[\(first)]; put the whole quantity on one line")
            } else {
                seen[line.variantID] = index
            }
        }
        try v.done()
    }

    public static func quote(
        _ lines: [CartLine], variants: [UUID: PurchasableVariant], destination: ShippingZone.Place, tariff: Tariff,
        paymentMethod: PaymentMethod
    ) throws(DomainError) -> OrderQuote {
        try validate(lines)
        var v = Validator()
        var bySupplier: [(UUID, [LineQuote])] = []
        for (index, line) in lines.enumerated() {
            guard let variant = variants[line.variantID], variant.isOnSale else {
                v.fail("lines[\(index)].variant_id", "is not on sale (unknown, withdrawn, or its seller is suspended)")
                continue
            }
            let quote = LineQuote(
                variant: variant, quantity: line.quantity, lineTotalVND: variant.priceVND * Int64(line.quantity))
            if let at = bySupplier.firstIndex(where: { $0.0 == variant.supplierID }) {
                bySupplier[at].1.append(quote)
            } else {
                bySupplier.append((variant.supplierID, [quote]))
            }
        }
        try v.done()
        let indexes = Dictionary(lines.enumerated().map { ($1.variantID, $0) }, uniquingKeysWith: { first, _ in first })
        for (_, quotes) in bySupplier {
            let grams = quotes.reduce(0) { $0 + $1.variant.weightGrams * $1.quantity }
            guard grams > maxPackageGrams,
                let heaviest = quotes.max(by: {
                    $0.variant.weightGrams * $0.quantity < $1.variant.weightGrams * $1.quantity
                })
            else { continue }
            v.fail(
                "lines[\(indexes[heaviest.variant.id] ?? 0)].quantity",
                "makes one seller's parcel weigh \(grams) g; a parcel weighs at most \(maxPackageGrams / 1000) kg")
        }
        try v.done()
        let packages = bySupplier.map { supplierID, lines in
            let items = lines.reduce(Int64(0)) { $0 + $1.lineTotalVND }
            let weight = lines.reduce(0) { $0 + $1.variant.weightGrams * $1.quantity }
            let first = lines[0].variant
            let origin = ShippingZone.Place(
                communeCode: first.supplierCommune ?? "", provinceCode: first.supplierProvince ?? "",
                region: first.supplierRegion ?? "")
            let zone = ShippingZone.between(origin, destination)
            // Sizes the producer gave; a line without one adds only its weight.
            let volume = lines.reduce(Int64(0)) { $0 + ($1.variant.volumeCM3 ?? 0) * Int64($1.quantity) }
            let chargeable = tariff.chargeableGrams(actualGrams: weight, volumeCM3: volume)
            let insurance = tariff.insuranceFee(declaredVND: items)
            let shipping = tariff.shippingFee(weightGrams: chargeable, zone: zone) + insurance
            let collect = paymentMethod == .cod ? items + shipping : 0
            var package = PackageQuote(
                supplierID: supplierID, lines: lines, itemsTotalVND: items, weightGrams: weight, zone: zone,
                shippingFeeVND: shipping, codAmountVND: collect, codFeeVND: tariff.codFee(collectingVND: collect))
            package.chargeableWeightGrams = chargeable
            package.declaredValueVND = items
            package.insuranceFeeVND = insurance
            return package
        }
        // A courier carries at most the tariff's ceiling for one parcel: refused before anything is
        // written, naming the seller whose parcel is over it.
        if tariff.codCeilingVND > 0,
            let over = packages.first(where: { $0.codAmountVND > tariff.codCeilingVND })
        {
            let goods = over.lines.map(\.variant.productTitle).joined(separator: ", ")
            throw .unprocessable(
                kind: "cod-ceiling-exceeded",
                detail: "The parcel of seller \(over.supplierID.uuidString.lowercased()) (\(goods)) would collect "
                    + "\(over.codAmountVND) VND on delivery; a cash-on-delivery parcel collects at most "
                    + "\(tariff.codCeilingVND) VND. Pay by bank transfer, or order less from this seller.")
        }
        let items = packages.reduce(Int64(0)) { $0 + $1.itemsTotalVND }
        let shipping = packages.reduce(Int64(0)) { $0 + $1.shippingFeeVND }
        return OrderQuote(
            tariffID: tariff.id, paymentMethod: paymentMethod, packages: packages, itemsTotalVND: items,
            shippingTotalVND: shipping, grandTotalVND: items + shipping)
    }
}
