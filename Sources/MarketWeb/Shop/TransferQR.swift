import Foundation
import Kernel
import Logistics

/// The post office's account that buyers pay bank-transfer orders into (`PAYMENT_BANK_BIN`,
/// `PAYMENT_ACCOUNT_NO`, `PAYMENT_ACCOUNT_NAME`).
public struct TransferAccount: Sendable, Equatable {
    public var bankBIN: String
    public var accountNo: String
    public var accountName: String

    public init(bankBIN: String, accountNo: String, accountName: String) {
        self.bankBIN = bankBIN
        self.accountNo = accountNo
        self.accountName = accountName
    }
}

/// The VietQR code a buyer scans with a banking app to pay an order: the same payload the remittance
/// bank file uses (`VietQR.payload`), with the order number as the transfer's description so the
/// bank's notification finds the order, drawn as SVG by Debian's `qrencode`.
struct TransferQR: Sendable {
    let tool: ExternalTool

    init?() {
        guard let tool = ExternalTool("qrencode") else { return nil }
        self.tool = tool
    }

    /// The `<svg>` element, or nil when the payload or the tool fails (the page then shows the
    /// account in words only).
    func svg(account: TransferAccount, amountVND: Int64, orderNumber: String) async -> String? {
        guard
            let payload = try? VietQR.payload(
                bankBIN: account.bankBIN, accountNo: account.accountNo, amountVND: amountVND, description: orderNumber),
            let data = try? await tool.run(
                ["-t", "SVG", "-l", "M", "-m", "2", "-o", "-", payload], deadline: .seconds(5)),
            let text = String(data: data, encoding: .utf8), let start = text.range(of: "<svg")
        else { return nil }
        // Without the XML prolog and comment, and sized by the stylesheet rather than in centimetres.
        return String(text[start.lowerBound...])
            .replacingOccurrences(of: #"width="[0-9.]+cm" height="[0-9.]+cm" "#, with: "", options: .regularExpression)
            .replacingOccurrences(of: "<svg ", with: "<svg role=\"img\" aria-label=\"Mã VietQR để chuyển khoản\" ")
    }
}
