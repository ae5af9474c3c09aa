import Foundation
import Kernel
import Logistics

extension APIHandlers {
    func listPaymentReceipts(_ input: Operations.ListPaymentReceipts.Input) async throws
        -> Operations.ListPaymentReceipts.Output
    {
        let caller = try signedIn()
        let status = input.query.status.flatMap { HeldReceipt.Status(rawValue: $0.rawValue) }
        let items = try await receipts.list(status: status, caller: caller)
        return .ok(.init(body: .json(.init(items: items.map(\.schema), nextCursor: nil))))
    }

    func getPaymentReceipt(_ input: Operations.GetPaymentReceipt.Input) async throws
        -> Operations.GetPaymentReceipt.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.receiptId, "held transfer")
        return .ok(.init(body: .json(try await receipts.get(id, caller: caller).schema)))
    }

    func applyPaymentReceipt(_ input: Operations.ApplyPaymentReceipt.Input) async throws
        -> Operations.ApplyPaymentReceipt.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.receiptId, "held transfer")
        return .ok(.init(body: .json(try await receipts.apply(id, caller: caller).schema)))
    }

    func refundPaymentReceipt(_ input: Operations.RefundPaymentReceipt.Input) async throws
        -> Operations.RefundPaymentReceipt.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.receiptId, "held transfer")
        guard case .json(let b) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        return .ok(.init(body: .json(try await receipts.refund(id, reason: b.reason, caller: caller).schema)))
    }

    func markPaymentReceiptRefundPaid(_ input: Operations.MarkPaymentReceiptRefundPaid.Input) async throws
        -> Operations.MarkPaymentReceiptRefundPaid.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.receiptId, "held transfer")
        guard case .json(let b) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let receipt = try await receipts.refundPaid(id, reference: b.bankReference, caller: caller)
        return .ok(.init(body: .json(receipt.schema)))
    }
}

extension HeldReceipt {
    var schema: Components.Schemas.PaymentReceipt {
        .init(
            id: id.text, eventId: eventID, orderNumber: orderNumber, orderId: orderID?.text, amountVnd: amountVND,
            sentAt: sentAt, receivedAt: receivedAt, bankReference: bankReference,
            outcome: .init(rawValue: outcome) ?? .amountMismatch, status: .init(rawValue: status.rawValue) ?? .open,
            resolvedAt: resolvedAt, note: note, refundPaidAt: refundPaidAt, refundReference: refundReference)
    }
}
