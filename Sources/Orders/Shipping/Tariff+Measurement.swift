import Foundation
import Kernel

/// What the seller packed, as weighed and measured when the package is marked ready, and what it is
/// declared for. Every field is optional: what is left out keeps what the order computed.
public struct PackageMeasurement: Sendable, Equatable {
    public var weightGrams: Int?
    /// Length, width and height in cm, all three or none.
    public var dimensionsCM: (length: Int, width: Int, height: Int)?
    public var declaredValueVND: Int64?

    /// A house limit on what one parcel may be declared for, unless its goods are worth more: a typed
    /// extra zero must not make a seller owe a tenfold insurance fee.
    public static let declaredValueCapVND: Int64 = 100_000_000

    public init(
        weightGrams: Int? = nil, dimensionsCM: (length: Int, width: Int, height: Int)? = nil,
        declaredValueVND: Int64? = nil
    ) {
        self.weightGrams = weightGrams
        self.dimensionsCM = dimensionsCM
        self.declaredValueVND = declaredValueVND
    }

    public static func == (lhs: PackageMeasurement, rhs: PackageMeasurement) -> Bool {
        lhs.weightGrams == rhs.weightGrams && lhs.declaredValueVND == rhs.declaredValueVND
            && lhs.dimensionsCM.map { [$0.length, $0.width, $0.height] }
                == rhs.dimensionsCM.map { [$0.length, $0.width, $0.height] }
    }

    /// Checks each field on its own (the goods' value is checked by `Tariff.measured`'s caller, which
    /// knows it).
    public static func validated(
        weightGrams: Int?, lengthCM: Int?, widthCM: Int?, heightCM: Int?, declaredValueVND: Int64?
    ) throws(DomainError) -> PackageMeasurement {
        var v = Validator()
        if let weightGrams { v.check((1...100_000).contains(weightGrams), "weight_grams", "must be 1 to 100000 grams") }
        let sides = [("length_cm", lengthCM), ("width_cm", widthCM), ("height_cm", heightCM)]
        for (field, value) in sides {
            if let value { v.check((1...300).contains(value), field, "must be 1 to 300 cm") }
        }
        let given = sides.filter { $0.1 != nil }.count
        v.check(given == 0 || given == 3, "length_cm", "length, width and height go together")
        if let declaredValueVND { v.check(declaredValueVND >= 0, "declared_value_vnd", "must not be negative") }
        try v.done()
        var measurement = PackageMeasurement(
            weightGrams: weightGrams, dimensionsCM: nil, declaredValueVND: declaredValueVND)
        if let lengthCM, let widthCM, let heightCM { measurement.dimensionsCM = (lengthCM, widthCM, heightCM) }
        return measurement
    }

    public var isEmpty: Bool { weightGrams == nil && dimensionsCM == nil && declaredValueVND == nil }

    public var volumeCM3: Int64? {
        dimensionsCM.map { Int64($0.length) * Int64($0.width) * Int64($0.height) }
    }
}

/// A packed parcel's price under its order's tariff version.
public struct MeasuredPrice: Sendable, Equatable {
    public var chargeableGrams: Int
    public var declaredVND: Int64
    public var insuranceVND: Int64
    /// What carrying it costs: the fee for its chargeable weight plus the insurance.
    public var costVND: Int64
    /// What the seller owes beyond the buyer's quote (never negative: a cheaper parcel keeps its quote).
    public var surchargeVND: Int64
    /// A return: the outbound fee owed (the quote or the cost, whichever is greater) and the return leg.
    public var returnChargeVND: Int64
}

extension Tariff {
    /// Prices a packed parcel. Without a size, the volumetric weight the order computed from its goods'
    /// sizes still counts (`orderedChargeableGrams`); with one, the packed box's own does.
    public func measured(
        _ m: PackageMeasurement, orderedGrams: Int, orderedChargeableGrams: Int, goodsVND: Int64,
        quotedShippingVND: Int64, zone: ShippingZone
    ) -> MeasuredPrice {
        let actual = m.weightGrams ?? orderedGrams
        let chargeable =
            m.volumeCM3.map { chargeableGrams(actualGrams: actual, volumeCM3: $0) }
            ?? max(actual, orderedChargeableGrams)
        let declared = m.declaredValueVND ?? goodsVND
        let insurance = insuranceFee(declaredVND: declared)
        let cost = shippingFee(weightGrams: chargeable, zone: zone) + insurance
        let owed = max(cost, quotedShippingVND)
        return MeasuredPrice(
            chargeableGrams: chargeable, declaredVND: declared, insuranceVND: insurance, costVND: cost,
            surchargeVND: owed - quotedShippingVND, returnChargeVND: returnCharge(shippingFeeVND: owed, zone: zone))
    }
}
