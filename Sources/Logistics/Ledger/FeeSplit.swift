import Foundation
import Kernel
import Orders

/// Fee terms snapshotted on a package when the order was placed, so a tariff or commission change
/// afterwards never alters what an existing parcel owes.
public struct FeeTerms: Sendable, Equatable {
    public var lines: [LineTerms]
    public var shippingFeeVND: Int64
    /// Already computed with the tariff's COD rule at order time; 0 for a prepaid order.
    public var codFeeVND: Int64
    /// Charged to the seller only if the parcel comes back; see ``Postings/returnCharge(_:supplier:)``.
    public var returnChargeVND: Int64
    /// What the parcel as packed costs beyond the buyer's quote: the seller's, taken from its share and
    /// booked as shipping (the buyer's money is unchanged).
    public var sellerSurchargeVND: Int64

    public init(
        lines: [LineTerms], shippingFeeVND: Int64, codFeeVND: Int64, returnChargeVND: Int64,
        sellerSurchargeVND: Int64 = 0
    ) {
        self.lines = lines
        self.shippingFeeVND = shippingFeeVND
        self.codFeeVND = codFeeVND
        self.returnChargeVND = returnChargeVND
        self.sellerSurchargeVND = sellerSurchargeVND
    }
}

/// One order line's total and the commission rate that applied to it when the order was placed.
public struct LineTerms: Sendable, Equatable {
    public var lineTotalVND: Int64
    public var commissionBps: Int

    public init(lineTotalVND: Int64, commissionBps: Int) {
        self.lineTotalVND = lineTotalVND
        self.commissionBps = commissionBps
    }
}

/// How a delivered parcel's money divides. By construction `sellerShare + commission + codFee + shipping ==
/// expected`, and for a COD split `expected + discrepancy == collected`, so the ledger transaction built
/// from it balances.
public struct CollectionSplit: Sendable, Equatable {
    /// What the buyer owes: items total + shipping.
    public var expectedVND: Int64
    public var collectedVND: Int64
    /// Items total − commission − COD fee − the seller's surcharge. Negative when the fees exceed the items (a cheap item sent
    /// COD): it is kept as computed, not clamped at 0, because the seller then owes the difference and the
    /// ledger must show that debt; clamping would make the platform absorb it silently.
    public var sellerShareVND: Int64
    public var commissionVND: Int64
    public var codFeeVND: Int64
    public var shippingVND: Int64
    /// Collected − expected: negative when the courier came back short.
    public var discrepancyVND: Int64

    public init(
        expectedVND: Int64, collectedVND: Int64, sellerShareVND: Int64, commissionVND: Int64, codFeeVND: Int64,
        shippingVND: Int64, discrepancyVND: Int64
    ) {
        self.expectedVND = expectedVND
        self.collectedVND = collectedVND
        self.sellerShareVND = sellerShareVND
        self.commissionVND = commissionVND
        self.codFeeVND = codFeeVND
        self.shippingVND = shippingVND
        self.discrepancyVND = discrepancyVND
    }
}

public enum FeeSplit {
    public static func itemsTotal(_ terms: FeeTerms) -> Int64 {
        terms.lines.reduce(0) { $0 + $1.lineTotalVND }
    }

    /// Rounded per line, then summed: a line's rate is its own, so its commission is a fact about that line
    /// (what the seller sees line by line) and must not shift by a đồng when other lines share the parcel.
    /// Summing the lines first would need one rate, which a parcel of mixed rates does not have.
    ///
    /// A line total is never negative and a rate lies in 0–10,000 bps; a corrupt snapshot outside that
    /// earns no commission on a negative total or rate and at most 100 % of the line, rather than trapping
    /// in `Money.basisPoints` halfway through a reconciliation. The seller share absorbs whatever this
    /// yields, so the split still balances.
    public static func commission(_ terms: FeeTerms) -> Int64 {
        terms.lines.reduce(0) { sum, line in
            guard line.lineTotalVND >= 0 else { return sum }
            return sum + Money.basisPoints(line.lineTotalVND, min(max(line.commissionBps, 0), 10_000))
        }
    }

    /// A COD delivery: the courier collected `collected`.
    public static func collection(_ terms: FeeTerms, collected: Int64) -> CollectionSplit {
        let items = itemsTotal(terms)
        let commission = commission(terms)
        let expected = items + terms.shippingFeeVND
        return CollectionSplit(
            expectedVND: expected,
            collectedVND: collected,
            sellerShareVND: items - commission - terms.codFeeVND - terms.sellerSurchargeVND,
            commissionVND: commission,
            codFeeVND: terms.codFeeVND,
            shippingVND: terms.shippingFeeVND + terms.sellerSurchargeVND,
            discrepancyVND: collected - expected
        )
    }

    /// A prepaid delivery: the buyer paid by bank transfer and the courier collected nothing, so the shares
    /// are those of an exact COD collection but with nothing collected and no discrepancy.
    public static func prepaid(_ terms: FeeTerms) -> CollectionSplit {
        var split = collection(terms, collected: 0)
        split.discrepancyVND = 0
        return split
    }
}
