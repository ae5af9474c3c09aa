import Foundation
import Testing

@testable import Logistics

@Suite("Reconciliation: the report's total line")
struct ReconciliationTotalTests {
    @Test func aTotalLineAddsEveryColumn() {
        let a = ReconciliationRow.total(of: [], name: "x")
        #expect(a.parcels == 0 && a.collectedVND == 0 && a.name == "x")
        let row = { (n: Int, v: Int64) in
            ReconciliationRow(
                id: UUID(), name: "r", parcels: n, expectedCODVND: v, collectedVND: v - 1, handedOverVND: v - 2,
                remittedVND: v - 3, outstandingVND: 1, openDiscrepancies: n, openDiscrepancyVND: -v)
        }
        let total = ReconciliationRow.total(of: [row(1, 100), row(2, 50)], name: "Tổng")
        #expect(total.parcels == 3 && total.expectedCODVND == 150 && total.collectedVND == 148)
        #expect(total.handedOverVND == 146 && total.remittedVND == 144 && total.outstandingVND == 2)
        #expect(total.openDiscrepancies == 3 && total.openDiscrepancyVND == -150)
    }
}
