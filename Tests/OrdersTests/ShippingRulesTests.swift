import Catalog
import Foundation
import Kernel
import Orders
import Testing

@Suite("Money rounding, the shipping tariff and the checkout split, without a database")
struct ShippingRulesTests {
    @Test(arguments: [
        (Int64(0), 80, Int64(0)),
        (12_345, 80, 99),  // 98.76 → 99
        (62_500, 80, 500),  // exactly 500
        (625, 80, 5),  // exactly 5.00
        (1_875, 80, 15),  // 15.00
        (1_250, 4, 1),  // 0.5 → 1 (half up)
        (1_249, 4, 0),  // 0.4996 → 0
        (1_000_000_000_000, 10_000, 1_000_000_000_000),
        (999, 1, 0),  // 0.0999
        (5_000, 1, 1),  // 0.5 → 1
        // Issue 16: products past Int64 once trapped the process; they are exact in 128 bits.
        (Int64.max, 10_000, Int64.max),
        (9_000_000_000_000_000_000, 9_999, 8_999_100_000_000_000_000),
    ])
    func basisPointsRoundHalfUp(amount: Int64, bps: Int, expected: Int64) {
        #expect(Money.basisPoints(amount, bps) == expected)
    }

    static let tariff = Tariff(
        id: UUID(), effectiveFrom: "2025-07-01", codFeeBps: 80, codFeeMinVND: 8_000, note: "",
        rates: [
            .sameCommune: .init(firstGrams: 500, firstFeeVND: 15_000, stepGrams: 500, stepFeeVND: 2_500),
            .sameProvince: .init(firstGrams: 500, firstFeeVND: 18_000, stepGrams: 500, stepFeeVND: 3_000),
            .sameRegion: .init(firstGrams: 500, firstFeeVND: 25_000, stepGrams: 500, stepFeeVND: 5_000),
            .otherRegion: .init(firstGrams: 500, firstFeeVND: 32_000, stepGrams: 500, stepFeeVND: 6_000),
        ], createdAt: Date())

    @Test(arguments: [(1, 15_000), (500, 15_000), (501, 17_500), (1_000, 17_500), (1_001, 20_000), (5_000, 37_500)])
    func weightSteps(grams: Int, fee: Int64) {
        #expect(Self.tariff.shippingFee(weightGrams: grams, zone: .sameCommune) == fee)
    }

    @Test func codFeeHasAMinimumAndNothingOnPrepaid() {
        #expect(Self.tariff.codFee(collectingVND: 0) == 0)
        #expect(Self.tariff.codFee(collectingVND: 100_000) == 8_000)  // 800 < minimum
        #expect(Self.tariff.codFee(collectingVND: 2_000_000) == 16_000)
        #expect(Self.tariff.codFee(collectingVND: 1_000_062) == 8_000)
        #expect(Self.tariff.codFee(collectingVND: 1_500_063) == 12_001)  // 12,000.504 → 12,001
    }

    @Test func zones() {
        let hoiAn = ShippingZone.Place(communeCode: "20410", provinceCode: "48", region: "central")
        #expect(ShippingZone.between(hoiAn, hoiAn) == .sameCommune)
        #expect(
            ShippingZone.between(hoiAn, .init(communeCode: "20194", provinceCode: "48", region: "central"))
                == .sameProvince)
        #expect(
            ShippingZone.between(hoiAn, .init(communeCode: "19000", provinceCode: "46", region: "central"))
                == .sameRegion)
        #expect(
            ShippingZone.between(hoiAn, .init(communeCode: "00004", provinceCode: "01", region: "north"))
                == .otherRegion)
    }

    static func variant(_ supplier: UUID, price: Int64, grams: Int, commune: String = "20410", onSale: Bool = true)
        -> PurchasableVariant
    {
        PurchasableVariant(
            id: UUID(), productID: UUID(), supplierID: supplier, sku: "S", productTitle: "T", variantName: "V",
            priceVND: price, weightGrams: grams, stockOnHand: 10, isOnSale: onSale, supplierCommune: commune,
            supplierProvince: "48", supplierRegion: "central")
    }

    @Test func aBulkyParcelIsChargedOnItsVolumetricWeight() throws {
        var tariff = Self.tariff
        // 40 × 30 × 30 cm = 36,000 cm³ ÷ 6000 = 6 kg; 6,001 cm³ is 1.0002 kg, rounded up to the gram.
        #expect(tariff.chargeableGrams(actualGrams: 700, volumeCM3: 36_000) == 6_000)
        #expect(tariff.chargeableGrams(actualGrams: 700, volumeCM3: 6_001) == 1_001)
        #expect(tariff.chargeableGrams(actualGrams: 9_000, volumeCM3: 36_000) == 9_000)
        #expect(tariff.chargeableGrams(actualGrams: 700, volumeCM3: 0) == 700)
        tariff.volumetricDivisor = 5_000
        #expect(tariff.chargeableGrams(actualGrams: 700, volumeCM3: 36_000) == 7_200)

        // A rattan chair: light, but big; two of them in one parcel.
        let seller = UUID()
        var chair = Self.variant(seller, price: 450_000, grams: 3_000)
        chair.volumeCM3 = 60 * 60 * 80
        var insured = Self.tariff
        insured.insuranceBps = 50
        insured.insuranceMinVND = 5_000
        let quote = try Checkout.quote(
            [CartLine(variantID: chair.id, quantity: 2)], variants: [chair.id: chair],
            destination: .init(communeCode: "20410", provinceCode: "48", region: "central"), tariff: insured,
            paymentMethod: .cod)
        let package = try #require(quote.packages.first)
        #expect(package.weightGrams == 6_000)
        #expect(package.chargeableWeightGrams == 96_000)  // 576,000 cm³ ÷ 6000
        #expect(package.declaredValueVND == 900_000)
        #expect(package.insuranceFeeVND == 5_000)  // 0.5 % is 4,500: the minimum applies
        #expect(package.shippingFeeVND == insured.shippingFee(weightGrams: 96_000, zone: .sameCommune) + 5_000)
        #expect(package.codAmountVND == 900_000 + package.shippingFeeVND)
        #expect(insured.insuranceFee(declaredVND: 2_000_000) == 10_000)
        #expect(Self.tariff.insuranceFee(declaredVND: 2_000_000) == 0)
    }

    @Test func oneCartIsSplitIntoOnePackagePerSupplier() throws {
        let a = UUID()
        let b = UUID()
        let fishSauce = Self.variant(a, price: 85_000, grams: 700)
        let cinnamon = Self.variant(a, price: 150_000, grams: 300)
        let honey = Self.variant(b, price: 250_000, grams: 1_200, commune: "20194")
        let variants = Dictionary(uniqueKeysWithValues: [fishSauce, cinnamon, honey].map { ($0.id, $0) })
        let destination = ShippingZone.Place(communeCode: "20410", provinceCode: "48", region: "central")
        let lines = [
            CartLine(variantID: fishSauce.id, quantity: 2), CartLine(variantID: honey.id, quantity: 1),
            CartLine(variantID: cinnamon.id, quantity: 1),
        ]
        let quote = try Checkout.quote(
            lines, variants: variants, destination: destination, tariff: Self.tariff, paymentMethod: .cod)
        #expect(quote.packages.map(\.supplierID) == [a, b])
        let first = quote.packages[0]
        #expect(first.itemsTotalVND == 320_000)
        #expect(first.weightGrams == 1_700)
        #expect(first.zone == .sameCommune)
        #expect(first.shippingFeeVND == 15_000 + 3 * 2_500)
        #expect(first.codAmountVND == 320_000 + 22_500)
        #expect(first.codFeeVND == 8_000)
        let second = quote.packages[1]
        #expect(second.zone == .sameProvince)
        #expect(second.shippingFeeVND == 18_000 + 2 * 3_000)
        #expect(quote.itemsTotalVND == 570_000)
        #expect(quote.shippingTotalVND == 22_500 + 24_000)
        #expect(quote.grandTotalVND == 570_000 + 46_500)
        let prepaid = try Checkout.quote(
            lines, variants: variants, destination: destination, tariff: Self.tariff, paymentMethod: .bankTransfer)
        #expect(prepaid.packages.allSatisfy { $0.codAmountVND == 0 && $0.codFeeVND == 0 })
        #expect(prepaid.grandTotalVND == quote.grandTotalVND)
    }

    @Test func totalsAlwaysAddUp() throws {
        var generator = SystemRandomNumberGenerator()
        let suppliers = (0..<4).map { _ in UUID() }
        for _ in 0..<200 {
            let variants = (0..<Int.random(in: 1...12, using: &generator)).map { _ in
                Self.variant(
                    suppliers.randomElement(using: &generator) ?? suppliers[0],
                    price: Int64.random(in: 1...2_000_000, using: &generator),
                    grams: Int.random(in: 1...1_500, using: &generator))
            }
            // At most 12 lines of 50 × 1.5 kg: every parcel stays under `Checkout.maxPackageGrams`.
            let lines = variants.map {
                CartLine(variantID: $0.id, quantity: Int.random(in: 1...50, using: &generator))
            }
            let quote = try Checkout.quote(
                lines, variants: Dictionary(uniqueKeysWithValues: variants.map { ($0.id, $0) }),
                destination: .init(communeCode: "00004", provinceCode: "01", region: "north"), tariff: Self.tariff,
                paymentMethod: .cod)
            #expect(quote.packages.count == Set(variants.map(\.supplierID)).count)
            #expect(quote.packages.reduce(0) { $0 + $1.lines.count } == lines.count)
            #expect(quote.grandTotalVND == quote.packages.reduce(0) { $0 + $1.codAmountVND })
            for package in quote.packages {
                #expect(
                    package.itemsTotalVND == package.lines.reduce(0) { $0 + $1.variant.priceVND * Int64($1.quantity) })
                #expect(package.zone == .otherRegion)
            }
        }
    }

    @Test func badCartsNameTheirLines() {
        let id = UUID()
        do {
            try Checkout.validate([
                CartLine(variantID: id, quantity: 0), CartLine(variantID: id, quantity: 1_000),
            ])
            Issue.record("should fail")
        } catch {
            guard case .validation(let fields) = error else { return }
            #expect(fields.map(\.field) == ["lines[0].quantity", "lines[1].quantity", "lines[1].variant_id"])
        }
        #expect(throws: DomainError.self) { try Checkout.validate([]) }
        #expect(throws: DomainError.self) {
            try Checkout.validate((0..<51).map { _ in CartLine(variantID: UUID(), quantity: 1) })
        }
        let withdrawn = Self.variant(UUID(), price: 1, grams: 1, onSale: false)
        #expect(throws: DomainError.self) {
            try Checkout.quote(
                [CartLine(variantID: withdrawn.id, quantity: 1)], variants: [withdrawn.id: withdrawn],
                destination: .init(communeCode: "1", provinceCode: "1", region: "north"), tariff: Self.tariff,
                paymentMethod: .cod)
        }
    }
}
