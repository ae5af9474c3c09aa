import Foundation
import Kernel

/// Payout details as Vietnamese banks accept them for NAPAS transfers.
public enum PayoutRules {
    /// Validates the fields of a payout; whether the BIN belongs to a known bank is checked against
    /// the `banks` table by the store.
    public static func validate(
        method: String,
        bankBIN: String?,
        accountNo: String?,
        accountName: String?,
        prefix: String,
        into v: inout Validator
    ) -> Payout? {
        switch method {
        case "counter_cash":
            for (field, value) in [("bank_bin", bankBIN), ("account_no", accountNo), ("account_name", accountName)]
            where value != nil {
                v.fail("\(prefix)\(field)", "must be left out when the payout method is counter_cash")
            }
            return .counterCash
        case "bank_transfer":
            let before = v.errors.count
            if let bankBIN {
                v.check(isBIN(bankBIN), "\(prefix)bank_bin", "must be a 6-digit bank BIN")
            } else {
                v.fail("\(prefix)bank_bin", "is required for bank_transfer")
            }
            if let accountNo {
                v.check(isAccountNumber(accountNo), "\(prefix)account_no", "must be 6 to 19 digits")
            } else {
                v.fail("\(prefix)account_no", "is required for bank_transfer")
            }
            if let accountName {
                if !isAccountName(accountName) {
                    let suggestion = bankAccountName(accountName)
                    v.fail(
                        "\(prefix)account_name",
                        isAccountName(suggestion)
                            ? "must be written as the bank holds it, in capitals without diacritics: \(suggestion)"
                            : "must be 2 to 70 capital letters, digits, spaces or . , & ( ) -"
                    )
                }
            } else {
                v.fail("\(prefix)account_name", "is required for bank_transfer")
            }
            guard v.errors.count == before, let bankBIN, let accountNo, let accountName else { return nil }
            return .bankTransfer(bankBIN: bankBIN, accountNo: accountNo, accountName: accountName)
        default:
            v.fail("\(prefix)method", "must be bank_transfer or counter_cash")
            return nil
        }
    }

    public static func isBIN(_ value: String) -> Bool {
        value.utf8.count == 6 && value.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }

    public static func isAccountNumber(_ value: String) -> Bool {
        (6...19).contains(value.utf8.count) && value.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }

    /// Mirrors `^[A-Z0-9 .,&()-]{2,70}$`, the form banks print on statements.
    public static func isAccountName(_ value: String) -> Bool {
        let allowed = Set(" .,&()-".utf8)
        return (2...70).contains(value.utf8.count)
            && value.utf8.allSatisfy {
                (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) || allowed.contains($0)
            }
    }

    /// "Nguyễn Văn Đức" → "NGUYEN VAN DUC": what a bank has on file for a Vietnamese name.
    public static func bankAccountName(_ value: String) -> String {
        var result = ""
        for scalar in value.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar {
            case "\u{0300}"..."\u{036F}": continue  // combining tone and vowel marks
            case "đ", "Đ": result.append("D")
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result.uppercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
