import Catalog
import Foundation
import Kernel
import Logistics
import OpenAPIRuntime

extension APIHandlers {
    func recordHandover(_ input: Operations.RecordHandover.Input) async throws -> Operations.RecordHandover.Output {
        let caller = try signedIn()
        guard case .json(let b) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        guard let courier = UUID(uuidString: b.courierId) else {
            throw DomainError.invalid("courier_id", "must be a UUID")
        }
        let handover = try await handovers.record(
            courier: courier, trackingNumbers: b.trackingNumbers, countedVND: b.countedVnd, caller: caller)
        return .created(.init(body: .json(handover.schema)))
    }

    func listDiscrepancies(_ input: Operations.ListDiscrepancies.Input) async throws
        -> Operations.ListDiscrepancies.Output
    {
        let caller = try signedIn()
        let items = try await discrepancies.list(status: input.query.status?.rawValue, caller: caller)
        return .ok(.init(body: .json(.init(items: items.map(\.schema), nextCursor: nil))))
    }

    func commentDiscrepancy(_ input: Operations.CommentDiscrepancy.Input) async throws
        -> Operations.CommentDiscrepancy.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.discrepancyId, "discrepancy")
        guard case .json(let b) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        return .created(.init(body: .json(try await discrepancies.comment(id, body: b.body, caller: caller).schema)))
    }

    func resolveDiscrepancy(_ input: Operations.ResolveDiscrepancy.Input) async throws
        -> Operations.ResolveDiscrepancy.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.discrepancyId, "discrepancy")
        guard case .json(let b) = input.body, let resolution = DiscrepancyResolution(rawValue: b.resolution.rawValue)
        else { throw DomainError.invalid("resolution", "is not a resolution") }
        let resolved = try await discrepancies.resolve(id, resolution, note: b.note, caller: caller)
        return .ok(.init(body: .json(resolved.schema)))
    }

    func runRemittance(_ input: Operations.RunRemittance.Input) async throws -> Operations.RunRemittance.Output {
        let caller = try signedIn()
        guard case .json(let b) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        guard let batch = try await remittances.run(cutoff: b.cutoffAt, caller: caller) else {
            throw DomainError.conflict(
                kind: "nothing-to-remit", detail: "No supplier has a positive payable from parcels before this cut-off."
            )
        }
        return .created(.init(body: .json(batch.schema)))
    }

    func getRemittance(_ input: Operations.GetRemittance.Input) async throws -> Operations.GetRemittance.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.batchId, "remittance batch")
        return .ok(.init(body: .json(try await remittances.get(id, caller: caller).schema)))
    }

    func getRemittanceBankFile(_ input: Operations.GetRemittanceBankFile.Input) async throws
        -> Operations.GetRemittanceBankFile.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.batchId, "remittance batch")
        let batch = try await remittances.get(id, caller: caller)
        return .ok(
            .init(body: .csv(HTTPBody(BankBatchCSV.render(batchNumber: batch.number, lines: batch.bankFileLines)))))
    }

    func getRemittanceCounterCash(_ input: Operations.GetRemittanceCounterCash.Input) async throws
        -> Operations.GetRemittanceCounterCash.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.batchId, "remittance batch")
        let batch = try await remittances.get(id, caller: caller)
        return .ok(
            .init(body: .csv(HTTPBody(CounterCashList.csv(batchNumber: batch.number, lines: batch.counterCashLines)))))
    }

    func markRemittanceLinePaid(_ input: Operations.MarkRemittanceLinePaid.Input) async throws
        -> Operations.MarkRemittanceLinePaid.Output
    {
        let caller = try signedIn()
        let batch = try parseID(input.path.batchId, "remittance batch")
        let line = try parseID(input.path.lineId, "remittance line")
        guard case .json(let b) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let settled = try await remittances.settle(
            batch: batch, line: line, paid: true, reference: b.bankReference, reason: nil, caller: caller)
        return .ok(.init(body: .json(settled.schema)))
    }

    func markRemittanceLineFailed(_ input: Operations.MarkRemittanceLineFailed.Input) async throws
        -> Operations.MarkRemittanceLineFailed.Output
    {
        let caller = try signedIn()
        let batch = try parseID(input.path.batchId, "remittance batch")
        let line = try parseID(input.path.lineId, "remittance line")
        guard case .json(let b) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let reason = try validatedReason(b.reason, required: true, field: "reason")
        let settled = try await remittances.settle(
            batch: batch, line: line, paid: false, reference: nil, reason: reason, caller: caller)
        return .ok(.init(body: .json(settled.schema)))
    }

    func importBankStatement(_ input: Operations.ImportBankStatement.Input) async throws
        -> Operations.ImportBankStatement.Output
    {
        let caller = try signedIn()
        guard case .csv(let body) = input.body else { throw DomainError.invalid("body", "must be CSV") }
        let text = try await String(collecting: body, upTo: 5 * 1024 * 1024)
        let result = try await statements.importCSV(text, caller: caller)
        return result.alreadyImported
            ? .ok(.init(body: .json(result.schema))) : .created(.init(body: .json(result.schema)))
    }

    func getReconciliation(_ input: Operations.GetReconciliation.Input) async throws
        -> Operations.GetReconciliation.Output
    {
        let caller = try signedIn()
        let grouping = ReconciliationGrouping(rawValue: input.query.groupBy?.rawValue ?? "post_office") ?? .postOffice
        let rows = try await reconciliation.report(
            from: input.query.from, to: input.query.to, groupBy: grouping, caller: caller)
        if preferred(input.headers.accept) == .csv {
            return .ok(.init(body: .csv(HTTPBody(ReconciliationStore.csv(rows, groupBy: grouping)))))
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        groupBy: .init(rawValue: grouping.rawValue) ?? .postOffice, from: input.query.from,
                        to: input.query.to, items: rows.map(\.schema), nextCursor: nil))))
    }

    func listSupplierRemittances(_ input: Operations.ListSupplierRemittances.Input) async throws
        -> Operations.ListSupplierRemittances.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.supplierId, "supplier")
        guard let supplier = try await suppliers.load(id) else {
            throw DomainError.notFound("No supplier with this id.")
        }
        let lines = try await remittances.lines(of: supplier.scope, caller: caller)
        return .ok(.init(body: .json(.init(items: lines.map(\.schema), nextCursor: nil))))
    }
}
