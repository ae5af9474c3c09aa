import Catalog
import Foundation
import Kernel
import Logistics

extension APIHandlers {
    func listRefunds(_ input: Operations.ListRefunds.Input) async throws -> Operations.ListRefunds.Output {
        let caller = try signedIn()
        let paid = input.query.status.map { $0 == .paid }
        let items = try await refunds.list(paid: paid, caller: caller)
        return .ok(.init(body: .json(.init(items: items.map(\.schema), nextCursor: nil))))
    }

    func markRefundPaid(_ input: Operations.MarkRefundPaid.Input) async throws -> Operations.MarkRefundPaid.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.packageId, "package")
        guard case .json(let b) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        return .ok(
            .init(
                body: .json(try await refunds.markPaid(package: id, reference: b.bankReference, caller: caller).schema))
        )
    }

    func listAccountBalances(_ input: Operations.ListAccountBalances.Input) async throws
        -> Operations.ListAccountBalances.Output
    {
        let caller = try signedIn()
        let kind = input.query.kind.flatMap { AccountKind(rawValue: $0.rawValue) }
        let balances = try await refunds.balances(kind: kind, caller: caller)
        return .ok(
            .init(
                body: .json(
                    .init(
                        items: balances.map {
                            .init(kind: $0.kind.rawValue, ownerId: $0.ownerID?.text, balanceVnd: $0.balanceVND)
                        }, nextCursor: nil))))
    }
}

extension Refund {
    var schema: Components.Schemas.Refund {
        .init(
            packageId: packageID?.text, receiptId: receiptID?.text, orderNumber: orderNumber, trackingNo: trackingNo,
            amountVnd: amountVND,
            owedAt: owedAt, status: paidAt == nil ? .owed : .paid, paidAt: paidAt, bankReference: bankReference,
            complaintNumber: complaintNumber,
            refundAccount: refundAccount.map {
                .init(bankBin: $0.bankBIN, accountNo: $0.accountNo, accountName: $0.accountName)
            })
    }
}
