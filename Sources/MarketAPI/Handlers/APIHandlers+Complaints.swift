import Foundation
import Kernel
import Logistics

extension APIHandlers {
    func openComplaint(_ input: Operations.OpenComplaint.Input) async throws -> Operations.OpenComplaint.Output {
        _ = try RequestScope.requirePrincipal()
        let id = try parseID(input.path.packageId, "package")
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let new = try NewComplaint.validated(
            reason: body.reason.rawValue, description: body.description,
            lines: body.lines?.map { ($0.orderLineId, $0.quantity) }, photoURLs: body.photoUrls ?? [],
            refundAccount: body.refundAccount.map { ($0.bankBin, $0.accountNo, $0.accountName) })
        return .created(.init(body: .json(try await complaints.open(package: id, new, caller: caller).schema)))
    }

    func listComplaints(_ input: Operations.ListComplaints.Input) async throws -> Operations.ListComplaints.Output {
        _ = try RequestScope.requirePrincipal()
        let limit = try PageCursor.limit(input.query.limit)
        let cursor = try input.query.cursor.map { text throws(DomainError) in try PageCursor.decode(text) }
        let status = input.query.status.flatMap { ComplaintStatus(rawValue: $0.rawValue) }
        let page = try await complaints.list(status: status, limit: limit, after: cursor, caller: caller)
        return .ok(.init(body: .json(.init(items: page.items.map(\.schema), nextCursor: page.next?.encoded))))
    }

    func getComplaint(_ input: Operations.GetComplaint.Input) async throws -> Operations.GetComplaint.Output {
        _ = try RequestScope.requirePrincipal()
        let id = try parseID(input.path.complaintId, "complaint")
        return .ok(.init(body: .json(try await complaints.get(id, caller: caller).schema)))
    }

    func acceptComplaint(_ input: Operations.AcceptComplaint.Input) async throws
        -> Operations.AcceptComplaint.Output
    {
        _ = try RequestScope.requirePrincipal()
        let id = try parseID(input.path.complaintId, "complaint")
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let complaint = try await complaints.answer(
            id, accept: true, returnGoods: body.returnGoods ?? false, note: body.note, caller: caller)
        return .ok(.init(body: .json(complaint.schema)))
    }

    func disputeComplaint(_ input: Operations.DisputeComplaint.Input) async throws
        -> Operations.DisputeComplaint.Output
    {
        _ = try RequestScope.requirePrincipal()
        let id = try parseID(input.path.complaintId, "complaint")
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let complaint = try await complaints.answer(
            id, accept: false, returnGoods: false, note: body.note, caller: caller)
        return .ok(.init(body: .json(complaint.schema)))
    }

    func decideComplaint(_ input: Operations.DecideComplaint.Input) async throws
        -> Operations.DecideComplaint.Output
    {
        _ = try RequestScope.requirePrincipal()
        let id = try parseID(input.path.complaintId, "complaint")
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let complaint = try await complaints.decide(
            id, refund: body.decision == .refund,
            liable: body.liable.flatMap { ComplaintLiability(rawValue: $0.rawValue) },
            returnGoods: body.returnGoods ?? false, note: body.note, caller: caller)
        return .ok(.init(body: .json(complaint.schema)))
    }
}

extension Complaint {
    var schema: Components.Schemas.Complaint {
        .init(
            id: id.text, number: number, packageId: packageID.text, packageNumber: packageNumber,
            orderId: orderID.text, orderNumber: orderNumber, trackingNo: trackingNo,
            supplierId: supplierID.text, supplierName: supplierName,
            reason: .init(rawValue: reason.rawValue) ?? .damaged, description: description, photoUrls: photoURLs,
            claimedVnd: claimedVND,
            refundAccount: refundAccount.map {
                .init(bankBin: $0.bankBIN, accountNo: $0.accountNo, accountName: $0.accountName)
            },
            status: .init(rawValue: status.rawValue) ?? .open, respondBy: respondBy,
            answer: answer.flatMap { .init(rawValue: $0) }, answerNote: answerNote, answeredAt: answeredAt,
            decision: decision.flatMap { .init(rawValue: $0) }, liable: liable.flatMap { .init(rawValue: $0.rawValue) },
            decisionNote: decisionNote, decidedAt: decidedAt, returnGoods: returnGoods,
            returnTrackingNo: returnTrackingNo, returnStatus: returnStatus.flatMap { .init(rawValue: $0.rawValue) },
            returnAtPostOfficeId: returnAtPostOfficeID?.text,
            refundVnd: refundVND,
            lines: lines.map {
                .init(
                    orderLineId: $0.orderLineID.text, title: $0.title, variantName: $0.variantName,
                    quantity: $0.quantity, amountVnd: $0.amountVND)
            },
            createdAt: createdAt, updatedAt: updatedAt)
    }
}
