import Foundation
import Kernel

// Sign convention, for the whole ledger: a posting's amount is positive for a debit and negative for a
// credit, so a transaction balances exactly when its amounts sum to zero. Cash and bank clearing are assets
// and carry debit balances; what is owed (seller payable, payouts in transit, buyer prepayments, refunds
// payable) and revenue (commission, COD fee, shipping) carry credit balances; `codDiscrepancies` may sit on
// either side until each difference is explained. Amounts are whole đồng, at most 10¹² each (see `Money`),
// so the sums here stay far inside `Int64`.

/// Kinds of ledger accounts; an account is a kind plus, for per-owner kinds, the owner's id.
public enum AccountKind: String, Sendable, CaseIterable, Codable {
    /// Cash a courier holds; owner: the courier's user id.
    case courierCash = "courier_cash"
    /// Cash in a post office's till; owner: the post office.
    case postOfficeCash = "post_office_cash"
    /// What the marketplace owes a supplier; owner: the supplier.
    case sellerPayable = "seller_payable"
    case platformCommission = "platform_commission"
    case codFeeRevenue = "cod_fee_revenue"
    case shippingRevenue = "shipping_revenue"
    case payoutsInTransit = "payouts_in_transit"
    case bankClearing = "bank_clearing"
    /// Money held for buyers of prepaid orders until delivery, cancellation or return.
    case buyerPrepayments = "buyer_prepayments"
    case refundsPayable = "refunds_payable"
    /// Suspense for collected ≠ expected and for handover shortages and overages, until finance explains
    /// each one with an adjustment.
    case codDiscrepancies = "cod_discrepancies"
    /// Suspense for bank transfers that arrived but confirm no order (wrong amount, late, unknown order),
    /// until finance applies each to its order or owes it back.
    case unappliedReceipts = "unapplied_receipts"
    /// What a post office paid buyers back for goods transport damaged or lost (an expense, debit
    /// balance); owner: the delivering post office.
    case transportClaims = "transport_claims"

    public var isPerOwner: Bool {
        switch self {
        case .courierCash, .postOfficeCash, .sellerPayable, .transportClaims: true
        case .platformCommission, .codFeeRevenue, .shippingRevenue, .payoutsInTransit, .bankClearing, .buyerPrepayments,
            .refundsPayable, .codDiscrepancies, .unappliedReceipts:
            false
        }
    }
}

public struct AccountRef: Sendable, Hashable {
    public var kind: AccountKind
    /// Set for per-owner kinds (``AccountKind/isPerOwner``), nil for the marketplace's own accounts.
    public var owner: UUID?

    public init(_ kind: AccountKind, _ owner: UUID? = nil) {
        self.kind = kind
        self.owner = owner
    }
}

/// One line: a positive amount debits the account, a negative amount credits it.
public struct Posting: Sendable, Equatable {
    public var account: AccountRef
    public var amountVND: Int64

    public init(account: AccountRef, amountVND: Int64) {
        self.account = account
        self.amountVND = amountVND
    }
}

public struct LedgerTransaction: Sendable, Equatable {
    /// What happened, e.g. `cod_collection`, `handover`, `remittance_sent`, `adjustment`.
    public var kind: String
    public var postings: [Posting]

    public init(kind: String, postings: [Posting]) {
        self.kind = kind
        self.postings = postings
    }

    /// Sums to zero over at least two non-zero postings. A sum that overflows is unbalanced, not a trap:
    /// this is the check that guards the store, so it must answer for any input.
    public var isBalanced: Bool {
        guard postings.count >= 2, postings.allSatisfy({ $0.amountVND != 0 }) else { return false }
        var sum: Int64 = 0
        for posting in postings {
            let (next, overflow) = sum.addingReportingOverflow(posting.amountVND)
            guard !overflow else { return false }
            sum = next
        }
        return sum == 0
    }

    /// Merges postings to the same account and drops zero ones (a split may produce a 0 COD fee), keeping
    /// the accounts in order of first appearance so equal inputs give equal transactions.
    public func normalized() -> LedgerTransaction {
        var order: [AccountRef] = []
        var totals: [AccountRef: Int64] = [:]
        for posting in postings {
            if totals[posting.account] == nil { order.append(posting.account) }
            totals[posting.account, default: 0] += posting.amountVND
        }
        let merged = order.compactMap { account -> Posting? in
            guard let amount = totals[account], amount != 0 else { return nil }
            return Posting(account: account, amountVND: amount)
        }
        return LedgerTransaction(kind: kind, postings: merged)
    }

    /// The ledger is append-only: a mistake is corrected by a new transaction with every amount negated,
    /// so the history shows both the error and its correction.
    public func reversed(kind: String) -> LedgerTransaction {
        LedgerTransaction(kind: kind, postings: postings.map { Posting(account: $0.account, amountVND: -$0.amountVND) })
    }
}

/// The transactions the COD and remittance flows post. Each comes back normalized, so a zero share (no COD
/// fee on a parcel, an exact handover) adds no line. Each is balanced: every difference between cash and
/// expectation goes to `codDiscrepancies` rather than being dropped, and the delivery builders balance for
/// any split that adds up, as every `FeeSplit` split does. One whose amounts are all zero normalizes to no
/// postings and so is not balanced: there is nothing to post, and the store's `isBalanced` check says so.
public enum Postings {
    /// COD delivery: courier cash Dr collected; seller payable Cr the seller share (a Dr when fees exceed the
    /// items); commission, COD fee and shipping revenue Cr; collected − expected to `codDiscrepancies` (Cr
    /// when over, Dr when short). Balanced when the split is, which every `FeeSplit` split is.
    public static func codCollection(_ split: CollectionSplit, courier: UUID, supplier: UUID) -> LedgerTransaction {
        make(
            "cod_collection",
            [(AccountRef(.courierCash, courier), split.collectedVND)] + deliveryCredits(split, supplier: supplier)
                + [(AccountRef(.codDiscrepancies), -split.discrepancyVND)])
    }

    /// Prepaid delivery: buyer prepayments Dr expected; the same credits as a COD collection.
    public static func prepaidDelivery(_ split: CollectionSplit, supplier: UUID) -> LedgerTransaction {
        make(
            "prepaid_delivery",
            [(AccountRef(.buyerPrepayments), split.expectedVND)] + deliveryCredits(split, supplier: supplier))
    }

    /// A confirmed bank transfer from a buyer: bank clearing Dr; buyer prepayments Cr.
    public static func prepayment(amount: Int64) -> LedgerTransaction {
        make("prepayment", [(AccountRef(.bankClearing), amount), (AccountRef(.buyerPrepayments), -amount)])
    }

    /// A transfer that confirms no order, booked as it arrives: bank clearing Dr; unapplied receipts Cr.
    public static func receiptHeld(amount: Int64) -> LedgerTransaction {
        make("receipt_held", [(AccountRef(.bankClearing), amount), (AccountRef(.unappliedReceipts), -amount)])
    }

    /// Held transfers that now pay their order in full: unapplied receipts Dr; buyer prepayments Cr.
    public static func receiptApplied(amount: Int64) -> LedgerTransaction {
        make(
            "receipt_applied", [(AccountRef(.unappliedReceipts), amount), (AccountRef(.buyerPrepayments), -amount)])
    }

    /// A held transfer to be paid back: unapplied receipts Dr; refunds payable Cr.
    public static func receiptRefundOwed(amount: Int64) -> LedgerTransaction {
        make(
            "receipt_refund_owed", [(AccountRef(.unappliedReceipts), amount), (AccountRef(.refundsPayable), -amount)])
    }

    /// A refund paid to the buyer: refunds payable Dr; bank clearing Cr.
    public static func refundPaid(amount: Int64) -> LedgerTransaction {
        make("refund_paid", [(AccountRef(.refundsPayable), amount), (AccountRef(.bankClearing), -amount)])
    }

    /// A prepaid order cancelled or returned before delivery: buyer prepayments Dr; refunds payable Cr.
    public static func refundOwed(amount: Int64) -> LedgerTransaction {
        make("refund_owed", [(AccountRef(.buyerPrepayments), amount), (AccountRef(.refundsPayable), -amount)])
    }

    /// A parcel returned to its sender: seller payable Dr the return charge; shipping revenue Cr.
    public static func returnCharge(_ amount: Int64, supplier: UUID) -> LedgerTransaction {
        make(
            "return_charge",
            [(AccountRef(.sellerPayable, supplier), amount), (AccountRef(.shippingRevenue), -amount)])
    }

    /// A courier hands cash to the post office: post office cash Dr what was counted; courier cash Cr what
    /// the courier's balance says is being handed over; counted − expected to `codDiscrepancies` (Cr when
    /// over, Dr when short), so the courier's balance clears either way and the gap is explained later.
    public static func handover(expected: Int64, counted: Int64, courier: UUID, postOffice: UUID) -> LedgerTransaction {
        make(
            "handover",
            [
                (AccountRef(.postOfficeCash, postOffice), counted),
                (AccountRef(.courierCash, courier), -expected),
                (AccountRef(.codDiscrepancies), expected - counted),
            ])
    }

    /// A remittance line sent to the bank: seller payable Dr; payouts in transit Cr.
    public static func remittanceSent(_ amount: Int64, supplier: UUID) -> LedgerTransaction {
        make(
            "remittance_sent",
            [(AccountRef(.sellerPayable, supplier), amount), (AccountRef(.payoutsInTransit), -amount)])
    }

    /// The bank confirmed the transfer: payouts in transit Dr; bank clearing Cr.
    public static func remittancePaid(_ amount: Int64) -> LedgerTransaction {
        make("remittance_paid", [(AccountRef(.payoutsInTransit), amount), (AccountRef(.bankClearing), -amount)])
    }

    /// Paid in cash at the counter: payouts in transit Dr; post office cash Cr.
    public static func counterPaid(_ amount: Int64, postOffice: UUID) -> LedgerTransaction {
        make(
            "counter_paid",
            [(AccountRef(.payoutsInTransit), amount), (AccountRef(.postOfficeCash, postOffice), -amount)])
    }

    /// The bank bounced the transfer: the money is owed to the seller again (payouts in transit Dr; seller
    /// payable Cr).
    public static func remittanceFailed(_ amount: Int64, supplier: UUID) -> LedgerTransaction {
        make(
            "remittance_failed",
            [(AccountRef(.payoutsInTransit), amount), (AccountRef(.sellerPayable, supplier), -amount)])
    }

    /// A complaint's refund the seller pays: seller payable Dr (netted from the next remittance, even below
    /// zero); refunds payable Cr.
    public static func complaintRefund(_ amount: Int64, supplier: UUID) -> LedgerTransaction {
        make(
            "complaint_refund",
            [(AccountRef(.sellerPayable, supplier), amount), (AccountRef(.refundsPayable), -amount)])
    }

    /// A complaint's refund the post office pays (transport caused it): transport claims Dr; refunds payable Cr.
    public static func transportClaim(_ amount: Int64, postOffice: UUID) -> LedgerTransaction {
        make(
            "transport_claim",
            [(AccountRef(.transportClaims, postOffice), amount), (AccountRef(.refundsPayable), -amount)])
    }

    private static func deliveryCredits(_ split: CollectionSplit, supplier: UUID) -> [(AccountRef, Int64)] {
        [
            (AccountRef(.sellerPayable, supplier), -split.sellerShareVND),
            (AccountRef(.platformCommission), -split.commissionVND),
            (AccountRef(.codFeeRevenue), -split.codFeeVND),
            (AccountRef(.shippingRevenue), -split.shippingVND),
        ]
    }

    private static func make(_ kind: String, _ lines: [(AccountRef, Int64)]) -> LedgerTransaction {
        LedgerTransaction(kind: kind, postings: lines.map { Posting(account: $0.0, amountVND: $0.1) }).normalized()
    }
}
