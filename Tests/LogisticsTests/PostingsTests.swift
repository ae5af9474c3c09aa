import Foundation
import Testing

@testable import Logistics

@Suite("Ledger transactions: balanced, normalized, reversible")
struct PostingsTests {
    static let courier = UUID(uuidString: "00000000-0000-0000-0000-0000000000C1") ?? UUID()
    static let supplier = UUID(uuidString: "00000000-0000-0000-0000-0000000000A1") ?? UUID()
    static let office = UUID(uuidString: "00000000-0000-0000-0000-0000000000B1") ?? UUID()

    /// 500,000 of items at 5 %, 30,000 shipping, 10,000 COD fee: 530,000 owed.
    static let terms = FeeTerms(
        lines: [LineTerms(lineTotalVND: 500_000, commissionBps: 500)], shippingFeeVND: 30_000, codFeeVND: 10_000,
        returnChargeVND: 30_000)

    static func amount(_ transaction: LedgerTransaction, _ kind: AccountKind, _ owner: UUID? = nil) -> Int64? {
        transaction.postings.first { $0.account == AccountRef(kind, owner) }?.amountVND
    }

    static let everyBuilder: [(String, LedgerTransaction)] = [
        (
            "cod_collection",
            Postings.codCollection(FeeSplit.collection(terms, collected: 530_000), courier: courier, supplier: supplier)
        ),
        ("prepaid_delivery", Postings.prepaidDelivery(FeeSplit.prepaid(terms), supplier: supplier)),
        ("prepayment", Postings.prepayment(amount: 540_000)),
        ("refund_owed", Postings.refundOwed(amount: 540_000)),
        ("return_charge", Postings.returnCharge(30_000, supplier: supplier)),
        ("handover", Postings.handover(expected: 1_200_000, counted: 1_150_000, courier: courier, postOffice: office)),
        ("remittance_sent", Postings.remittanceSent(465_000, supplier: supplier)),
        ("remittance_paid", Postings.remittancePaid(465_000)),
        ("counter_paid", Postings.counterPaid(465_000, postOffice: office)),
        ("remittance_failed", Postings.remittanceFailed(465_000, supplier: supplier)),
    ]

    @Test(arguments: everyBuilder)
    func everyBuilderIsBalancedAndNormalized(kind: String, transaction: LedgerTransaction) {
        #expect(transaction.kind == kind)
        #expect(transaction.isBalanced)
        #expect(transaction.normalized() == transaction)
        #expect(transaction.reversed(kind: "reversal").isBalanced)
    }

    @Test func exactCollectionSplitsTheCash() {
        let t = Postings.codCollection(
            FeeSplit.collection(Self.terms, collected: 530_000), courier: Self.courier, supplier: Self.supplier)
        #expect(
            t.postings == [
                Posting(account: AccountRef(.courierCash, Self.courier), amountVND: 530_000),
                Posting(account: AccountRef(.sellerPayable, Self.supplier), amountVND: -465_000),
                Posting(account: AccountRef(.platformCommission), amountVND: -25_000),
                Posting(account: AccountRef(.codFeeRevenue), amountVND: -10_000),
                Posting(account: AccountRef(.shippingRevenue), amountVND: -30_000),
            ])
    }

    @Test(arguments: [(525_000 as Int64, 5_000 as Int64), (532_000, -2_000), (0, 530_000)])
    func collectionDifferenceGoesToDiscrepancies(collected: Int64, discrepancyDebit: Int64) {
        let t = Postings.codCollection(
            FeeSplit.collection(Self.terms, collected: collected), courier: Self.courier, supplier: Self.supplier)
        #expect(t.isBalanced)
        // Short is a debit (money the suspense account is owed), over a credit.
        #expect(Self.amount(t, .codDiscrepancies) == discrepancyDebit)
        #expect(Self.amount(t, .courierCash, Self.courier) == (collected == 0 ? nil : collected))
        #expect(Self.amount(t, .sellerPayable, Self.supplier) == -465_000)
    }

    @Test func zeroCODFeeAddsNoLine() {
        let prepaidTerms = FeeTerms(
            lines: Self.terms.lines, shippingFeeVND: 30_000, codFeeVND: 0, returnChargeVND: 30_000)
        let t = Postings.prepaidDelivery(FeeSplit.prepaid(prepaidTerms), supplier: Self.supplier)
        #expect(
            t.postings == [
                Posting(account: AccountRef(.buyerPrepayments), amountVND: 530_000),
                Posting(account: AccountRef(.sellerPayable, Self.supplier), amountVND: -475_000),
                Posting(account: AccountRef(.platformCommission), amountVND: -25_000),
                Posting(account: AccountRef(.shippingRevenue), amountVND: -30_000),
            ])
    }

    @Test func feesAboveTheItemsDebitTheSeller() {
        let cheap = FeeTerms(
            lines: [LineTerms(lineTotalVND: 10_000, commissionBps: 1_000)], shippingFeeVND: 30_000,
            codFeeVND: 15_000, returnChargeVND: 30_000)
        let t = Postings.codCollection(
            FeeSplit.collection(cheap, collected: 40_000), courier: Self.courier, supplier: Self.supplier)
        #expect(t.isBalanced)
        #expect(Self.amount(t, .sellerPayable, Self.supplier) == 6_000)
    }

    @Test(arguments: [(1_150_000 as Int64, 50_000 as Int64), (1_230_000, -30_000), (1_200_000, nil)])
    func handoverDifferenceGoesToDiscrepancies(counted: Int64, discrepancyDebit: Int64?) {
        let t = Postings.handover(expected: 1_200_000, counted: counted, courier: Self.courier, postOffice: Self.office)
        #expect(t.isBalanced)
        #expect(Self.amount(t, .postOfficeCash, Self.office) == counted)
        #expect(Self.amount(t, .courierCash, Self.courier) == -1_200_000)
        #expect(Self.amount(t, .codDiscrepancies) == discrepancyDebit)
    }

    @Test func remittanceFlowsMoveTheRightAccounts() {
        let s = Self.supplier
        #expect(Self.amount(Postings.remittanceSent(9, supplier: s), .sellerPayable, s) == 9)
        #expect(Self.amount(Postings.remittanceSent(9, supplier: s), .payoutsInTransit) == -9)
        #expect(Self.amount(Postings.remittancePaid(9), .payoutsInTransit) == 9)
        #expect(Self.amount(Postings.remittancePaid(9), .bankClearing) == -9)
        #expect(Self.amount(Postings.counterPaid(9, postOffice: Self.office), .postOfficeCash, Self.office) == -9)
        #expect(Self.amount(Postings.remittanceFailed(9, supplier: s), .sellerPayable, s) == -9)
        #expect(Self.amount(Postings.remittanceFailed(9, supplier: s), .payoutsInTransit) == 9)
        #expect(Self.amount(Postings.returnCharge(9, supplier: s), .sellerPayable, s) == 9)
        #expect(Self.amount(Postings.returnCharge(9, supplier: s), .shippingRevenue) == -9)
        #expect(Self.amount(Postings.prepayment(amount: 9), .bankClearing) == 9)
        #expect(Self.amount(Postings.refundOwed(amount: 9), .refundsPayable) == -9)
    }

    @Test func reversedNegatesEveryAmount() {
        let t = Postings.handover(expected: 100, counted: 90, courier: Self.courier, postOffice: Self.office)
        let r = t.reversed(kind: "reversal")
        #expect(r.kind == "reversal")
        #expect(r.postings.map(\.account) == t.postings.map(\.account))
        #expect(r.postings.map(\.amountVND) == t.postings.map { -$0.amountVND })
        #expect(r.isBalanced)
        #expect(r.reversed(kind: t.kind) == t)
    }

    @Test func normalizedMergesInOrderOfFirstAppearanceAndDropsZeros() {
        let cash = AccountRef(.courierCash, Self.courier)
        let other = AccountRef(.courierCash, Self.office)
        let t = LedgerTransaction(
            kind: "adjustment",
            postings: [
                Posting(account: cash, amountVND: 100), Posting(account: AccountRef(.codFeeRevenue), amountVND: 0),
                Posting(account: AccountRef(.codDiscrepancies), amountVND: -70), Posting(account: cash, amountVND: 20),
                Posting(account: other, amountVND: 5), Posting(account: other, amountVND: -5),
                Posting(account: AccountRef(.codDiscrepancies), amountVND: -50),
            ])
        #expect(!t.isBalanced)  // a zero amount
        let n = t.normalized()
        #expect(
            n.postings == [
                Posting(account: cash, amountVND: 120),
                Posting(account: AccountRef(.codDiscrepancies), amountVND: -120),
            ])
        #expect(n.isBalanced)
        #expect(n.kind == "adjustment")
    }

    @Test func isBalancedNeedsTwoNonZeroPostingsSummingToZero() {
        let a = AccountRef(.bankClearing)
        let b = AccountRef(.payoutsInTransit)
        #expect(!LedgerTransaction(kind: "x", postings: []).isBalanced)
        #expect(!LedgerTransaction(kind: "x", postings: [Posting(account: a, amountVND: 0)]).isBalanced)
        #expect(
            !LedgerTransaction(
                kind: "x", postings: [Posting(account: a, amountVND: 5), Posting(account: b, amountVND: -4)]
            ).isBalanced)
        #expect(
            LedgerTransaction(
                kind: "x", postings: [Posting(account: a, amountVND: 5), Posting(account: a, amountVND: -5)]
            ).isBalanced)
        let overflowing = [Int64.max, 1, Int64.min, -1].map { Posting(account: a, amountVND: $0) }
        #expect(!LedgerTransaction(kind: "x", postings: overflowing).isBalanced)
        // Nothing to post: an all-zero transaction normalizes to nothing and is refused.
        #expect(Postings.prepayment(amount: 0).postings.isEmpty)
        #expect(!Postings.prepayment(amount: 0).isBalanced)
    }

    @Test func accountKindsMatchTheDatabase() {
        #expect(
            AccountKind.allCases.map(\.rawValue) == [
                "courier_cash", "post_office_cash", "seller_payable", "platform_commission", "cod_fee_revenue",
                "shipping_revenue", "payouts_in_transit", "bank_clearing", "buyer_prepayments", "refunds_payable",
                "cod_discrepancies", "unapplied_receipts", "transport_claims",
            ])
        #expect(
            AccountKind.allCases.filter(\.isPerOwner) == [
                .courierCash, .postOfficeCash, .sellerPayable, .transportClaims,
            ])
    }

    /// A held transfer goes in and out of suspense: whichever way finance resolves it, suspense is back
    /// to zero and the bank's money sits where it is owed.
    @Test func heldTransfersLeaveSuspenseEmptyEitherWay() {
        func balances(_ transactions: [LedgerTransaction]) -> [AccountKind: Int64] {
            transactions.flatMap(\.postings).reduce(into: [:]) { $0[$1.account.kind, default: 0] += $1.amountVND }
        }
        let applied = [Postings.receiptHeld(amount: 95_000), Postings.receiptApplied(amount: 95_000)]
        let repaid = [
            Postings.receiptHeld(amount: 95_000), Postings.receiptRefundOwed(amount: 95_000),
            Postings.refundPaid(amount: 95_000),
        ]
        #expect((applied + repaid).allSatisfy { $0.isBalanced })
        #expect(balances(applied) == [.bankClearing: 95_000, .unappliedReceipts: 0, .buyerPrepayments: -95_000])
        #expect(balances(repaid) == [.bankClearing: 0, .unappliedReceipts: 0, .refundsPayable: 0])
    }

    @Test func collectionsBalanceOverRandomTerms() {
        var random = LedgerRandom(state: 0xC0D)
        for _ in 0..<1_000 {
            let terms = random.terms()
            let expected = FeeSplit.itemsTotal(terms) + terms.shippingFeeVND
            let collected = max(0, expected + random.int64(-20_000...20_000))
            let cod = Postings.codCollection(
                FeeSplit.collection(terms, collected: collected), courier: Self.courier, supplier: Self.supplier)
            let prepaid = Postings.prepaidDelivery(FeeSplit.prepaid(terms), supplier: Self.supplier)
            #expect(cod.isBalanced || cod.postings.isEmpty)
            #expect(prepaid.isBalanced || prepaid.postings.isEmpty)
            #expect((Self.amount(cod, .codDiscrepancies) ?? 0) == expected - collected)
        }
    }
}
