import Foundation
import Testing

@testable import Logistics

@Suite("Netting a remittance batch per supplier")
struct RemittanceNettingTests {
    static func id(_ n: Int) -> UUID {
        let hex = String(n, radix: 16)
        return UUID(uuidString: "00000000-0000-0000-0000-" + String(repeating: "0", count: 12 - hex.count) + hex)
            ?? UUID()
    }

    static func parcel(_ package: Int, _ supplier: Int, share: Int64, charge: Int64 = 0) -> PayableParcel {
        PayableParcel(packageID: id(package), supplierID: id(supplier), sellerShareVND: share, returnChargeVND: charge)
    }

    @Test func oneLinePerSupplierWithReturnChargesNetted() {
        let result = RemittanceNetting.lines([
            Self.parcel(12, 2, share: 300_000),
            Self.parcel(11, 1, share: 465_000),
            Self.parcel(13, 2, share: 0, charge: 30_000),  // returned: the charge comes off the next delivery
            Self.parcel(14, 1, share: 120_000),
        ])
        #expect(
            result.lines == [
                RemittanceLineDraft(
                    supplierID: Self.id(1), packageIDs: [Self.id(11), Self.id(14)], amountVND: 585_000),
                RemittanceLineDraft(
                    supplierID: Self.id(2), packageIDs: [Self.id(12), Self.id(13)], amountVND: 270_000),
            ])
        #expect(result.carriedOver.isEmpty)
    }

    @Test func suppliersAtOrBelowZeroAreCarriedOver() {
        let result = RemittanceNetting.lines([
            Self.parcel(21, 3, share: 20_000, charge: 0),
            Self.parcel(22, 3, share: 0, charge: 30_000),  // net −10,000
            Self.parcel(23, 4, share: 25_000),
            Self.parcel(24, 4, share: 0, charge: 25_000),  // net exactly 0
            Self.parcel(25, 5, share: -6_000),  // fees above the items
            Self.parcel(26, 6, share: -6_000),
            Self.parcel(27, 6, share: 10_000),  // a negative share is netted like a charge
        ])
        #expect(
            result.lines == [
                RemittanceLineDraft(supplierID: Self.id(6), packageIDs: [Self.id(26), Self.id(27)], amountVND: 4_000)
            ])
        #expect(result.carriedOver == [Self.id(3), Self.id(4), Self.id(5)])
    }

    @Test func noParcelsNoLines() {
        let result = RemittanceNetting.lines([])
        #expect(result.lines.isEmpty)
        #expect(result.carriedOver.isEmpty)
    }

    @Test func orderDoesNotDependOnInputOrder() {
        var random = LedgerRandom(state: 0xBA7C)
        let parcels = (0..<200).map { n in
            Self.parcel(
                1_000 + n, Int(random.next() % 17), share: random.int64(-10_000...200_000),
                charge: random.next() % 5 == 0 ? 30_000 : 0)
        }
        let expected = RemittanceNetting.lines(parcels)
        for _ in 0..<20 {
            var shuffled = parcels
            shuffled.shuffle(using: &random)
            let result = RemittanceNetting.lines(shuffled)
            #expect(result.lines == expected.lines)
            #expect(result.carriedOver == expected.carriedOver)
        }
        let suppliers = expected.lines.map(\.supplierID) + expected.carriedOver
        #expect(Set(suppliers).count == Set(parcels.map(\.supplierID)).count)
        #expect(expected.lines.map(\.supplierID.uuidString) == expected.lines.map(\.supplierID.uuidString).sorted())
        for line in expected.lines {
            #expect(line.amountVND > 0)
            #expect(line.packageIDs.map(\.uuidString) == line.packageIDs.map(\.uuidString).sorted())
            let owned = parcels.filter { $0.supplierID == line.supplierID }
            #expect(line.amountVND == owned.reduce(0) { $0 + $1.sellerShareVND - $1.returnChargeVND })
            #expect(Set(line.packageIDs) == Set(owned.map(\.packageID)))
        }
    }
}
