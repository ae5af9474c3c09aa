import Foundation
import Testing

@testable import Logistics

/// SplitMix64 for the ledger's property tests, so a failing random case fails the same way on the next run.
struct LedgerRandom: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int64(_ range: ClosedRange<Int64>) -> Int64 {
        range.lowerBound + Int64(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// Rates cluster on the edges (0, 100 %) and the values that make halves, where rounding goes wrong.
    mutating func bps() -> Int {
        let edges = [0, 1, 25, 250, 500, 800, 1_000, 5_000, 9_999, 10_000]
        return next() % 3 == 0 ? edges[Int(next() % UInt64(edges.count))] : Int(next() % 10_001)
    }

    mutating func terms() -> FeeTerms {
        let lines = (0..<Int(next() % 6)).map { _ in
            LineTerms(lineTotalVND: int64(0...50_000_000), commissionBps: bps())
        }
        return FeeTerms(
            lines: lines, shippingFeeVND: int64(0...250_000), codFeeVND: int64(0...120_000),
            returnChargeVND: int64(0...250_000))
    }
}

struct FeeCase: Sendable, CustomTestStringConvertible {
    var name: String
    var lines: [(Int64, Int)]
    var shipping: Int64 = 0
    var codFee: Int64 = 0
    var commission: Int64
    var sellerShare: Int64
    var expected: Int64
    var testDescription: String { name }

    var terms: FeeTerms {
        FeeTerms(
            lines: lines.map { LineTerms(lineTotalVND: $0.0, commissionBps: $0.1) }, shippingFeeVND: shipping,
            codFeeVND: codFee, returnChargeVND: shipping)
    }
}

@Suite("How a delivered parcel's money divides")
struct FeeSplitTests {
    static let cases: [FeeCase] = [
        FeeCase(
            name: "12,345 × 2.5 % = 308.625 → 309", lines: [(12_345, 250)], commission: 309, sellerShare: 12_036,
            expected: 12_345),
        FeeCase(
            name: "200 × 0.25 % = 0.5 exactly → 1", lines: [(200, 25)], commission: 1, sellerShare: 199,
            expected: 200),
        FeeCase(
            name: "199 × 0.25 % = 0.4975 → 0", lines: [(199, 25)], commission: 0, sellerShare: 199,
            expected: 199),
        FeeCase(name: "1 × 50 % = 0.5 → 1", lines: [(1, 5_000)], commission: 1, sellerShare: 0, expected: 1),
        FeeCase(name: "1 × 49.99 % → 0", lines: [(1, 4_999)], commission: 0, sellerShare: 1, expected: 1),
        FeeCase(
            name: "617 × 50 % = 308.5 → 309", lines: [(617, 5_000)], commission: 309, sellerShare: 308,
            expected: 617),
        FeeCase(
            name: "zero commission rate", lines: [(500_000, 0)], shipping: 30_000, codFee: 10_000,
            commission: 0, sellerShare: 490_000, expected: 530_000),
        FeeCase(
            name: "zero COD fee (prepaid terms)", lines: [(100_000, 500)], shipping: 25_000, commission: 5_000,
            sellerShare: 95_000, expected: 125_000),
        // Rounding the sum, 20,020 × 5 % = 1,001, would take a đồng from the platform: each line rounds itself.
        FeeCase(
            name: "two lines at 500.5 round to 501 each", lines: [(10_010, 500), (10_010, 500)],
            commission: 1_002, sellerShare: 19_018, expected: 20_020),
        FeeCase(
            name: "lines at different rates round per line", lines: [(12_345, 250), (67_890, 800), (1_001, 1_000)],
            shipping: 32_000, codFee: 15_000, commission: 309 + 5_431 + 100, sellerShare: 81_236 - 5_840 - 15_000,
            expected: 81_236 + 32_000),
        FeeCase(
            name: "fees above the items leave a negative share", lines: [(10_000, 1_000)], shipping: 30_000,
            codFee: 15_000, commission: 1_000, sellerShare: -6_000, expected: 40_000),
        FeeCase(
            name: "no lines: only shipping is owed", lines: [], shipping: 20_000, commission: 0, sellerShare: 0,
            expected: 20_000),
        FeeCase(
            name: "100 % commission", lines: [(55_555, 10_000)], codFee: 5_000, commission: 55_555,
            sellerShare: -5_000, expected: 55_555),
        FeeCase(
            name: "10¹² đồng at 5 %", lines: [(1_000_000_000_000, 500)], shipping: 1, commission: 50_000_000_000,
            sellerShare: 950_000_000_000, expected: 1_000_000_000_001),
        FeeCase(
            name: "zero-total line", lines: [(0, 800), (30_000, 800)], commission: 2_400, sellerShare: 27_600,
            expected: 30_000),
        FeeCase(
            name: "corrupt rate above 100 % takes at most the line", lines: [(1_000, 15_000)], commission: 1_000,
            sellerShare: 0, expected: 1_000),
        FeeCase(
            name: "corrupt negative line or rate earns nothing", lines: [(-500, 500), (2_000, -100), (2_000, 500)],
            commission: 100, sellerShare: 3_400, expected: 3_500),
    ]

    @Test(arguments: cases)
    func exactCollection(_ c: FeeCase) {
        let split = FeeSplit.collection(c.terms, collected: c.expected)
        #expect(FeeSplit.commission(c.terms) == c.commission)
        #expect(split.commissionVND == c.commission)
        #expect(split.sellerShareVND == c.sellerShare)
        #expect(split.expectedVND == c.expected)
        #expect(split.collectedVND == c.expected)
        #expect(split.discrepancyVND == 0)
        #expect(split.codFeeVND == c.codFee)
        #expect(split.shippingVND == c.shipping)
    }

    @Test(arguments: [(-5_000 as Int64, "short"), (2_000, "over"), (-530_000, "nothing collected")])
    func discrepancyIsCollectedMinusExpected(offset: Int64, _: String) {
        let terms = FeeTerms(
            lines: [LineTerms(lineTotalVND: 500_000, commissionBps: 500)], shippingFeeVND: 30_000, codFeeVND: 10_000,
            returnChargeVND: 30_000)
        let split = FeeSplit.collection(terms, collected: 530_000 + offset)
        #expect(split.expectedVND == 530_000)
        #expect(split.discrepancyVND == offset)
        #expect(split.sellerShareVND == 465_000)
    }

    @Test func prepaidHasTheSharesOfAnExactCollection() {
        let terms = FeeTerms(
            lines: [LineTerms(lineTotalVND: 12_345, commissionBps: 250)], shippingFeeVND: 22_000, codFeeVND: 0,
            returnChargeVND: 22_000)
        let prepaid = FeeSplit.prepaid(terms)
        var expected = FeeSplit.collection(terms, collected: 34_345)
        expected.collectedVND = 0
        #expect(prepaid == expected)
        #expect(prepaid.discrepancyVND == 0)
        #expect(prepaid.expectedVND == 34_345)
    }

    @Test func itemsTotalSumsTheLines() {
        let terms = FeeTerms(
            lines: [LineTerms(lineTotalVND: 1, commissionBps: 0), LineTerms(lineTotalVND: 99_999, commissionBps: 0)],
            shippingFeeVND: 5, codFeeVND: 0, returnChargeVND: 0)
        #expect(FeeSplit.itemsTotal(terms) == 100_000)
    }

    /// The shares always add up to what the buyer owes, and the discrepancy to what was collected, so the
    /// posting built from a split balances; the commission is each line's half-up rounding, summed.
    @Test func sharesAddUpOverRandomTerms() {
        var random = LedgerRandom(state: 0x1ED6_E5)
        for _ in 0..<2_000 {
            let terms = random.terms()
            let expected = FeeSplit.itemsTotal(terms) + terms.shippingFeeVND
            let collected = random.next() % 4 == 0 ? expected : max(0, expected + random.int64(-50_000...50_000))
            for split in [FeeSplit.collection(terms, collected: collected), FeeSplit.prepaid(terms)] {
                #expect(split.sellerShareVND + split.commissionVND + split.codFeeVND + split.shippingVND == expected)
                #expect(split.expectedVND == expected)
            }
            let cod = FeeSplit.collection(terms, collected: collected)
            #expect(cod.expectedVND + cod.discrepancyVND == collected)
            let byLine = terms.lines.reduce(Int64(0)) { sum, line in
                let product = line.lineTotalVND * Int64(line.commissionBps)
                return sum + product / 10_000 + (product % 10_000 * 2 >= 10_000 ? 1 : 0)
            }
            #expect(cod.commissionVND == byLine)
            #expect((0...FeeSplit.itemsTotal(terms)).contains(cod.commissionVND))
        }
    }
}
