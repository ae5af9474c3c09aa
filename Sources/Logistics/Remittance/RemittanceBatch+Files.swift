import Foundation

/// What a batch's two files hold (the API's downloads and the console's alike): the bank's batch file
/// lists the bank-transfer lines, the counter list the cash ones; failed lines are in neither.
extension RemittanceBatch {
    public var bankFileLines: [BankBatchLine] {
        lines.filter { $0.payoutMethod == "bank_transfer" && $0.status != "failed" }.map {
            BankBatchLine(
                lineNo: $0.lineNo, bankBIN: $0.bankBIN ?? "", bankName: $0.bankName ?? "",
                accountNo: $0.accountNo ?? "",
                accountName: $0.accountName ?? "", amountVND: $0.amountVND, description: $0.description)
        }
    }

    public var counterCashLines: [CounterCashLine] {
        lines.filter { $0.payoutMethod == "counter_cash" && $0.status != "failed" }.map {
            CounterCashLine(
                lineNo: $0.lineNo, supplierName: $0.supplierName, phone: $0.supplierPhone,
                postOfficeName: $0.postOfficeName ?? "", amountVND: $0.amountVND)
        }
    }
}

/// One run as finance's list shows it: its size and how far its lines are settled.
public struct RemittanceSummary: Sendable, Equatable {
    public var id: UUID
    public var number: String
    public var cutoffAt: Date
    public var createdAt: Date
    public var lines: Int
    public var totalVND: Int64
    public var pending: Int
    public var paid: Int
    public var failed: Int
}
