import Foundation

/// One transfer of a remittance batch, as the bank's bulk-payment import needs it.
public struct BankBatchLine: Sendable, Equatable {
    public var lineNo: Int
    public var bankBIN: String
    public var bankName: String
    public var accountNo: String
    public var accountName: String
    public var amountVND: Int64
    public var description: String

    public init(
        lineNo: Int, bankBIN: String, bankName: String, accountNo: String, accountName: String, amountVND: Int64,
        description: String
    ) {
        self.lineNo = lineNo
        self.bankBIN = bankBIN
        self.bankName = bankName
        self.accountNo = accountNo
        self.accountName = accountName
        self.amountVND = amountVND
        self.description = description
    }
}

/// A remittance batch for the bank's bulk-transfer import. RFC 4180, rows ending in CRLF (the last one
/// included), UTF-8 without a byte order mark: banks' import tools read the mark as part of the first
/// column's name and reject the header. Text fields get the manifest's formula-injection guard
/// (``ManifestCSV/text(_:)``); numbers are written as plain digits. Account numbers are written verbatim as
/// text, so their leading zeros survive (a spreadsheet opening the file may still show them as numbers).
public enum BankBatchCSV {
    public static let columns = [
        "batch_no", "line_no", "bank_bin", "bank_name", "account_no", "account_name", "amount_vnd", "description",
        "vietqr_payload",
    ]

    /// The last column is the line's VietQR payload, for paying a line by hand from a banking app; it is
    /// empty when the line's details cannot make one (a letter in a BIN, a zero amount).
    public static func render(batchNumber: String, lines: [BankBatchLine]) -> String {
        var out = ManifestCSV.row(columns.map(ManifestCSV.text))
        for line in lines {
            let qr =
                (try? VietQR.payload(
                    bankBIN: line.bankBIN, accountNo: line.accountNo, amountVND: line.amountVND,
                    description: line.description)) ?? ""
            out += ManifestCSV.row([
                ManifestCSV.text(batchNumber), String(line.lineNo), ManifestCSV.text(line.bankBIN),
                ManifestCSV.text(line.bankName), ManifestCSV.text(line.accountNo), ManifestCSV.text(line.accountName),
                String(line.amountVND), ManifestCSV.text(line.description), ManifestCSV.text(qr),
            ])
        }
        return out
    }
}

/// One supplier to be paid in cash at a post office counter.
public struct CounterCashLine: Sendable, Equatable {
    public var lineNo: Int
    public var supplierName: String
    public var phone: String
    public var postOfficeName: String
    public var amountVND: Int64

    public init(lineNo: Int, supplierName: String, phone: String, postOfficeName: String, amountVND: Int64) {
        self.lineNo = lineNo
        self.supplierName = supplierName
        self.phone = phone
        self.postOfficeName = postOfficeName
        self.amountVND = amountVND
    }
}

/// The counter-cash part of a batch, for the clerks who hand the money over. Same rules as
/// ``BankBatchCSV``, except that it starts with a UTF-8 byte order mark: no import tool reads this list,
/// clerks open it in Excel, and without the mark Excel shows Vietnamese names as mojibake (see
/// ``ManifestCSV``).
public enum CounterCashList {
    public static let columns = ["batch_no", "line_no", "supplier_name", "phone", "post_office_name", "amount_vnd"]

    public static func csv(batchNumber: String, lines: [CounterCashLine]) -> String {
        var out = "\u{FEFF}" + ManifestCSV.row(columns.map(ManifestCSV.text))
        for line in lines {
            out += ManifestCSV.row([
                ManifestCSV.text(batchNumber), String(line.lineNo), ManifestCSV.text(line.supplierName),
                ManifestCSV.text(line.phone), ManifestCSV.text(line.postOfficeName), String(line.amountVND),
            ])
        }
        return out
    }
}
