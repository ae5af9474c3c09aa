import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logistics

/// Finance's queue of transfers held in suspense (issue 16): each was booked when it arrived; here it
/// is applied to its order or owed back, through the same `ReceiptService` as the API.
extension ConsoleSite {
    static let outcomes: [String: String] = [
        "amount_mismatch": "số tiền khác tổng đơn", "not_awaiting_payment": "đơn không còn chờ thanh toán",
        "unknown_order": "không có đơn mang mã này",
    ]

    func receipts(_ session: WebSession, result: String?) async throws -> Response {
        let open = try await services.receipts.list(status: .open, caller: session.caller)
        let items: [[String: Any]] = open.map { receipt in
            [
                "id": receipt.id.uuidString.lowercased(), "amount": VietnameseFormat.money(receipt.amountVND),
                "order": receipt.orderNumber, "why": Self.outcomes[receipt.outcome] ?? receipt.outcome,
                "received": VietnameseFormat.dateTime(receipt.receivedAt),
                "reference": receipt.bankReference ?? "—", "csrf": session.csrf,
            ]
        }
        var values: [String: Any] = ["user": session.header, "items": items]
        switch result {
        case "da-ap": values["notice"] = "Đã áp vào đơn: đơn đã được thanh toán."
        case "cho-hoan": values["notice"] = "Đã chuyển sang hoàn tiền chờ chi."
        default: break
        }
        return render("receipts", values)
    }

    func resolveReceipt(_ session: WebSession, id text: String?, apply: Bool, reason: String?) async throws
        -> Response
    {
        guard let text, let id = UUID(uuidString: text) else {
            throw DomainError.notFound("No held transfer with this id.")
        }
        if apply {
            _ = try await services.receipts.apply(id, caller: session.caller)
        } else {
            try Self.checkReason(reason)
            _ = try await services.receipts.refund(id, reason: reason ?? "", caller: session.caller)
        }
        return PageResponse.redirect(to: "/console/chuyen-khoan?ket-qua=\(apply ? "da-ap" : "cho-hoan")")
    }
}
