import Foundation

/// What placing an order writes, as values: the rows inserted and the response built from the same
/// numbers, so the response never needs reading back.
public struct PlacedOrder: Sendable, Equatable {
    public var order: Order
    /// Each package's COD fee rule as it stood (kept on the package row, not shown).
    public var codFeeBps: Int
    public var codFeeMinVND: Int64
    public var codFees: [UUID: Int64]
    public var tariffID: UUID
    /// What each variant was priced from, beyond what the order shows: checked again under the
    /// variants' locks when the order is written.
    public var priced: [UUID: PricedFrom]

    public struct PricedFrom: Sendable, Equatable {
        public var weightGrams: Int
        /// 0 when the variant has no size.
        public var volumeCM3: Int64 = 0
        public var sellerCommune: String
        public var sellerProvince: String
    }

    /// `packageIDs` and `lineIDs` are fresh ids, one per package of `quote` and one per line of each.
    public static func build(
        id: UUID, number: String, buyer: UUID, new: NewOrder, quote: OrderQuote, tariff: Tariff,
        supplierNames: [UUID: String], packageIDs: [UUID], deliveryCode: String, paymentDueAt: Date?, at now: Date
    ) -> PlacedOrder {
        let prepaid = new.paymentMethod == .bankTransfer
        var codFees: [UUID: Int64] = [:]
        let packages = zip(quote.packages, packageIDs).enumerated().map { index, pair in
            let (package, packageID) = pair
            codFees[packageID] = package.codFeeVND
            var placed = Package(
                id: packageID, number: "\(number)-\(index + 1)", orderID: id, supplierID: package.supplierID,
                supplierName: supplierNames[package.supplierID] ?? "", status: prepaid ? .awaitingPayment : .new,
                lines: package.lines.map { line in
                    OrderLine(
                        variantID: line.variant.id, productID: line.variant.productID, sku: line.variant.sku,
                        title: line.variant.productTitle, variantName: line.variant.variantName,
                        unitPriceVND: line.variant.priceVND, quantity: line.quantity, lineTotalVND: line.lineTotalVND)
                },
                itemsTotalVND: package.itemsTotalVND, weightGrams: package.weightGrams, zone: package.zone.rawValue,
                shippingFeeVND: package.shippingFeeVND, codAmountVND: package.codAmountVND, rejectReason: nil,
                trackingNo: nil, createdAt: now, updatedAt: now)
            placed.chargeableWeight = package.chargeableWeightGrams
            placed.declaredValue = package.declaredValueVND
            placed.insuranceFee = package.insuranceFeeVND
            return placed
        }
        let order = Order(
            id: id, number: number, buyerID: buyer, status: prepaid ? .awaitingPayment : .placed,
            paymentMethod: new.paymentMethod, address: new.address, packages: packages,
            itemsTotalVND: quote.itemsTotalVND, shippingTotalVND: quote.shippingTotalVND,
            grandTotalVND: quote.grandTotalVND, deliveryCode: deliveryCode, paymentDueAt: paymentDueAt,
            cancelReason: nil, createdAt: now, updatedAt: now)
        var priced: [UUID: PricedFrom] = [:]
        for line in quote.packages.flatMap(\.lines) {
            priced[line.variant.id] = PricedFrom(
                weightGrams: line.variant.weightGrams, volumeCM3: line.variant.volumeCM3 ?? 0,
                sellerCommune: line.variant.supplierCommune ?? "", sellerProvince: line.variant.supplierProvince ?? "")
        }
        return PlacedOrder(
            order: order, codFeeBps: tariff.codFeeBps, codFeeMinVND: tariff.codFeeMinVND, codFees: codFees,
            tariffID: tariff.id, priced: priced)
    }
}
