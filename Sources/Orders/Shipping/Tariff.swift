import Foundation
import Kernel

/// One version of the shipping tariff: a weight-step price per zone and the COD fee rule.
public struct Tariff: Sendable, Equatable {
    public struct Rate: Sendable, Equatable {
        public var firstGrams: Int
        public var firstFeeVND: Int64
        public var stepGrams: Int
        public var stepFeeVND: Int64

        public init(firstGrams: Int, firstFeeVND: Int64, stepGrams: Int, stepFeeVND: Int64) {
            self.firstGrams = firstGrams
            self.firstFeeVND = firstFeeVND
            self.stepGrams = stepGrams
            self.stepFeeVND = stepFeeVND
        }
    }

    public var id: UUID
    public var effectiveFrom: String
    public var codFeeBps: Int
    public var codFeeMinVND: Int64
    public var note: String
    public var rates: [ShippingZone: Rate]
    public var createdAt: Date
    /// The return leg: a fixed amount within the province, a share of the outbound fee beyond it.
    public var returnInProvinceVND: Int64 = 0
    public var returnBeyondBps: Int = 0
    /// The most a courier collects for one parcel (0: no ceiling).
    public var codCeilingVND: Int64 = 0
    /// L×W×H (cm³) / divisor = volumetric kg.
    public var volumetricDivisor: Int = 6000
    /// Insurance on the declared value: basis points with a minimum; none while the rate is 0.
    public var insuranceBps: Int = 0
    public var insuranceMinVND: Int64 = 0

    public init(
        id: UUID, effectiveFrom: String, codFeeBps: Int, codFeeMinVND: Int64, note: String,
        rates: [ShippingZone: Rate], createdAt: Date
    ) {
        self.id = id
        self.effectiveFrom = effectiveFrom
        self.codFeeBps = codFeeBps
        self.codFeeMinVND = codFeeMinVND
        self.note = note
        self.rates = rates
        self.createdAt = createdAt
    }

    /// The fee for a parcel: the first step, then each further step or part of one.
    /// 500 g steps: 1–500 g one step, 501–1,000 g two, and so on.
    public func shippingFee(weightGrams: Int, zone: ShippingZone) -> Int64 {
        guard let rate = rates[zone] else { return 0 }
        let beyond = max(0, weightGrams - rate.firstGrams)
        let steps = (beyond + rate.stepGrams - 1) / rate.stepGrams
        return rate.firstFeeVND + Int64(steps) * rate.stepFeeVND
    }

    /// The weight a parcel is charged on: its actual weight or its volumetric weight (volume ÷ the
    /// divisor, in kg, rounded up to the gram), whichever is greater. The fee's steps then round it.
    public func chargeableGrams(actualGrams: Int, volumeCM3: Int64) -> Int {
        guard volumeCM3 > 0, volumetricDivisor > 0 else { return actualGrams }
        let volumetric = (volumeCM3 * 1000 + Int64(volumetricDivisor) - 1) / Int64(volumetricDivisor)
        return max(actualGrams, Int(clamping: volumetric))
    }

    /// The insurance fee on a declared value: basis points rounded half up, at least the minimum;
    /// nothing while the tariff sets no rate or nothing is declared.
    public func insuranceFee(declaredVND: Int64) -> Int64 {
        guard insuranceBps > 0, declaredVND > 0 else { return 0 }
        return max(insuranceMinVND, Money.basisPoints(declaredVND, insuranceBps))
    }

    /// What a return costs the seller: the outbound fee and the return leg (SQL's
    /// `package_return_charge_vnd`, which placement uses, is the same rule).
    public func returnCharge(shippingFeeVND: Int64, zone: ShippingZone) -> Int64 {
        let leg =
            zone == .sameCommune || zone == .sameProvince
            ? returnInProvinceVND : Money.basisPoints(shippingFeeVND, returnBeyondBps)
        return shippingFeeVND + leg
    }

    /// The COD fee on an amount collected: basis points, rounded half up, at least the minimum;
    /// nothing when there is nothing to collect.
    public func codFee(collectingVND amount: Int64) -> Int64 {
        guard amount > 0 else { return 0 }
        return max(codFeeMinVND, Money.basisPoints(amount, codFeeBps))
    }
}
