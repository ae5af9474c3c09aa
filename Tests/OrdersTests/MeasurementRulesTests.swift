import Foundation
import Kernel
import Orders
import Testing

/// Issue 20: a packed parcel priced again under its order's tariff version; what it costs beyond the buyer's
/// quote is the seller's, and a cheaper parcel keeps its quote.
@Suite("A packed parcel's measurement and price, without a database")
struct MeasurementRulesTests {
    static var tariff: Tariff {
        var tariff = ShippingRulesTests.tariff
        tariff.insuranceBps = 50
        tariff.insuranceMinVND = 5_000
        tariff.returnInProvinceVND = 10_000
        return tariff
    }

    static func m(grams: Int? = nil, sides: (Int, Int, Int)? = nil, declared: Int64? = nil) -> PackageMeasurement {
        PackageMeasurement(weightGrams: grams, dimensionsCM: sides, declaredValueVND: declared)
    }

    /// A 700 g order of 900,000 đ goods in one commune: 17,500 + 5,000 insurance (0.5 % is 4,500) quoted.
    static func price(_ m: PackageMeasurement, chargeable: Int = 700) -> MeasuredPrice {
        tariff.measured(
            m, orderedGrams: 700, orderedChargeableGrams: chargeable, goodsVND: 900_000, quotedShippingVND: 22_500,
            zone: .sameCommune)
    }

    @Test func aBulkyBoxIsChargedOnItsVolumeAndTheSellerPaysTheDifference() {
        // 40 × 30 × 30 cm = 36,000 cm³ ÷ 6000 = 6 kg: 15,000 + 11 steps × 2,500 = 42,500, + 5,000 insurance.
        let price = Self.price(Self.m(grams: 800, sides: (40, 30, 30)))
        #expect(price.chargeableGrams == 6_000)
        #expect(price.costVND == 47_500)
        #expect(price.surchargeVND == 25_000)
        #expect(price.returnChargeVND == 47_500 + 10_000)
    }

    @Test func aHigherDeclaredValueCostsItsInsurance() {
        let price = Self.price(Self.m(declared: 3_000_000))
        #expect(price.declaredVND == 3_000_000)
        #expect(price.insuranceVND == 15_000)
        #expect(price.surchargeVND == 10_000)
    }

    @Test func aLighterOrSmallerParcelKeepsTheQuote() {
        let price = Self.price(Self.m(grams: 300, sides: (10, 10, 10)))
        #expect(price.chargeableGrams == 300)
        #expect(price.costVND == 20_000)
        #expect(price.surchargeVND == 0)
        // A return still costs at least the fee the buyer was quoted.
        #expect(price.returnChargeVND == 22_500 + 10_000)
    }

    @Test func withoutASizeTheOrdersVolumetricWeightStillCounts() {
        let price = Self.price(Self.m(grams: 900), chargeable: 2_400)
        #expect(price.chargeableGrams == 2_400)
        #expect(price.surchargeVND == 15_000 + 4 * 2_500 + 5_000 - 22_500)
    }

    @Test func fieldsAreCheckedOneByOne() {
        #expect(throws: DomainError.self) {
            try PackageMeasurement.validated(
                weightGrams: 0, lengthCM: nil, widthCM: nil, heightCM: nil, declaredValueVND: nil)
        }
        #expect(throws: DomainError.self) {
            try PackageMeasurement.validated(
                weightGrams: nil, lengthCM: 30, widthCM: 20, heightCM: nil, declaredValueVND: nil)
        }
        #expect(throws: DomainError.self) {
            try PackageMeasurement.validated(
                weightGrams: nil, lengthCM: 301, widthCM: 20, heightCM: 10, declaredValueVND: nil)
        }
        let ok = try? PackageMeasurement.validated(
            weightGrams: 1_200, lengthCM: 30, widthCM: 20, heightCM: 10, declaredValueVND: 1_000_000)
        #expect(ok?.volumeCM3 == 6_000)
        #expect(
            (try? PackageMeasurement.validated(
                weightGrams: nil, lengthCM: nil, widthCM: nil, heightCM: nil, declaredValueVND: nil))?.isEmpty == true)
    }
}
