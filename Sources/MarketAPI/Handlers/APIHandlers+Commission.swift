import Catalog
import Foundation
import Kernel
import Logistics

extension APIHandlers {
    func listCommissionRates(_ input: Operations.ListCommissionRates.Input) async throws
        -> Operations.ListCommissionRates.Output
    {
        let caller = try signedIn()
        let rates = try await commissionRates.list(caller: caller)
        return .ok(.init(body: .json(.init(items: rates.map(\.schema), nextCursor: nil))))
    }

    func setCategoryCommission(_ input: Operations.SetCategoryCommission.Input) async throws
        -> Operations.SetCategoryCommission.Output
    {
        let caller = try signedIn()
        guard case .json(let b) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let rate = try await commissionRates.set(
            .category, key: input.path.categoryCode, bps: b.commissionBps, caller: caller)
        return .ok(.init(body: .json(rate.schema)))
    }

    func setSupplierCommission(_ input: Operations.SetSupplierCommission.Input) async throws
        -> Operations.SetSupplierCommission.Output
    {
        let caller = try signedIn()
        guard case .json(let b) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let rate = try await commissionRates.set(
            .supplier, key: input.path.supplierId.lowercased(), bps: b.commissionBps, caller: caller)
        return .ok(.init(body: .json(rate.schema)))
    }

    func clearSupplierCommission(_ input: Operations.ClearSupplierCommission.Input) async throws
        -> Operations.ClearSupplierCommission.Output
    {
        let caller = try signedIn()
        let rate = try await commissionRates.set(
            .supplier, key: input.path.supplierId.lowercased(), bps: nil, caller: caller)
        return .ok(.init(body: .json(rate.schema)))
    }
}

extension CommissionRate {
    var schema: Components.Schemas.CommissionRate {
        .init(scope: scope == .category ? .category : .supplier, key: key, name: name, commissionBps: commissionBps)
    }
}
