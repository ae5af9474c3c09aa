import Catalog
import Foundation
import Kernel
import OpenAPIRuntime

extension APIHandlers {
    /// Whoever is asking, possibly anonymous (for the public catalog).
    var caller: Caller { Caller(principal: RequestScope.principal, requestID: requestID) }

    /// The caller of an operation that needs a sign-in: 401 comes before any check of the input.
    func signedIn() throws(DomainError) -> Caller {
        Caller(principal: try RequestScope.requirePrincipal(), requestID: requestID)
    }

    func listSuppliers(_ input: Operations.ListSuppliers.Input) async throws -> Operations.ListSuppliers.Output {
        let limit = try PageCursor.limit(input.query.limit)
        let cursor = try input.query.cursor.map { text throws(DomainError) in try PageCursor.decode(text) }
        let status = input.query.status.flatMap { SupplierStatus(rawValue: $0.rawValue) }
        let page = try await suppliers.list(status: status, limit: limit, after: cursor, caller: caller)
        return .ok(.init(body: .json(.init(items: page.items.map(\.schema), nextCursor: page.next?.encoded))))
    }

    func applySupplier(_ input: Operations.ApplySupplier.Input) async throws -> Operations.ApplySupplier.Output {
        let caller = try signedIn()
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let application = try SupplierApplication.validated(
            name: body.name, kind: body.kind.rawValue, phone: body.phone, email: body.email,
            description: body.description, taxCode: body.taxCode, address: body.pickupAddress.input,
            payout: body.payout.map(\.input))
        return .created(.init(body: .json(try await suppliers.apply(application, caller: caller).schema)))
    }

    func getSupplier(_ input: Operations.GetSupplier.Input) async throws -> Operations.GetSupplier.Output {
        let id = try parseID(input.path.supplierId, "supplier")
        return .ok(.init(body: .json(try await suppliers.get(id, caller: caller).schema)))
    }

    func updateSupplier(_ input: Operations.UpdateSupplier.Input) async throws -> Operations.UpdateSupplier.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.supplierId, "supplier")
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let patch = try SupplierPatch.validated(
            name: body.name, phone: body.phone, email: body.email, description: body.description,
            taxCode: body.taxCode, address: body.pickupAddress?.input)
        return .ok(.init(body: .json(try await suppliers.update(id, patch, caller: caller).schema)))
    }

    func setSupplierPayout(_ input: Operations.SetSupplierPayout.Input) async throws
        -> Operations.SetSupplierPayout.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.supplierId, "supplier")
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let payout = try body.input.validated()
        return .ok(.init(body: .json(try await suppliers.setPayout(id, payout, caller: caller).schema)))
    }

    func approveSupplier(_ input: Operations.ApproveSupplier.Input) async throws -> Operations.ApproveSupplier.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.supplierId, "supplier")
        return .ok(.init(body: .json(try await suppliers.transition(id, .approve, reason: nil, caller: caller).schema)))
    }

    func suspendSupplier(_ input: Operations.SuspendSupplier.Input) async throws -> Operations.SuspendSupplier.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.supplierId, "supplier")
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let reason = try validatedReason(body.reason, required: true, field: "reason")
        return .ok(
            .init(body: .json(try await suppliers.transition(id, .suspend, reason: reason, caller: caller).schema)))
    }

    func reinstateSupplier(_ input: Operations.ReinstateSupplier.Input) async throws
        -> Operations.ReinstateSupplier.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.supplierId, "supplier")
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let reason = try validatedReason(body.reason, required: true, field: "reason")
        return .ok(
            .init(body: .json(try await suppliers.transition(id, .reinstate, reason: reason, caller: caller).schema)))
    }

    func listSupplierMembers(_ input: Operations.ListSupplierMembers.Input) async throws
        -> Operations.ListSupplierMembers.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.supplierId, "supplier")
        let members = try await suppliers.members(of: id, caller: caller)
        return .ok(.init(body: .json(.init(items: members.map(\.schema), nextCursor: nil))))
    }

    func addSupplierMember(_ input: Operations.AddSupplierMember.Input) async throws
        -> Operations.AddSupplierMember.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.supplierId, "supplier")
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        return .created(.init(body: .json(try await suppliers.invite(body.email, to: id, caller: caller).schema)))
    }

    func listSupplierInvitations(_ input: Operations.ListSupplierInvitations.Input) async throws
        -> Operations.ListSupplierInvitations.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.supplierId, "supplier")
        let items = try await suppliers.invitations(of: id, caller: caller)
        return .ok(.init(body: .json(.init(items: items.map(\.schema), nextCursor: nil))))
    }

    func revokeSupplierInvitation(_ input: Operations.RevokeSupplierInvitation.Input) async throws
        -> Operations.RevokeSupplierInvitation.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.supplierId, "supplier")
        let invitation = try parseID(input.path.invitationId, "open invitation")
        try await suppliers.revokeInvitation(invitation, of: id, caller: caller)
        return .noContent(.init())
    }

    func listMyInvitations(_ input: Operations.ListMyInvitations.Input) async throws
        -> Operations.ListMyInvitations.Output
    {
        let items = try await suppliers.myInvitations(caller: try signedIn())
        return .ok(.init(body: .json(.init(items: items.map(\.schema), nextCursor: nil))))
    }

    func acceptInvitation(_ input: Operations.AcceptInvitation.Input) async throws
        -> Operations.AcceptInvitation.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.invitationId, "open invitation")
        return .ok(.init(body: .json(try await suppliers.answerInvitation(id, accept: true, caller: caller).schema)))
    }

    func declineInvitation(_ input: Operations.DeclineInvitation.Input) async throws
        -> Operations.DeclineInvitation.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.invitationId, "open invitation")
        return .ok(.init(body: .json(try await suppliers.answerInvitation(id, accept: false, caller: caller).schema)))
    }

    func removeSupplierMember(_ input: Operations.RemoveSupplierMember.Input) async throws
        -> Operations.RemoveSupplierMember.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.supplierId, "supplier")
        let userID = try parseID(input.path.userId, "member")
        try await suppliers.removeMember(userID, from: id, caller: caller)
        return .noContent(.init())
    }
}

/// A reason or note: 1–500 characters, line breaks allowed, not only spaces.
func validatedReason(_ text: String?, required: Bool, field: String) throws(DomainError) -> String? {
    guard let text else {
        if required { throw .invalid(field, "is required") }
        return nil
    }
    var v = Validator()
    v.paragraph(text, field, min: 1, max: 500)
    v.check(!text.allSatisfy(\.isWhitespace), field, "must not be empty")
    try v.done()
    return text
}

extension Components.Schemas.Address {
    var input: AddressInput {
        AddressInput(provinceCode: provinceCode, communeCode: communeCode, addressLine: addressLine, lat: lat, lon: lon)
    }
}

extension Components.Schemas.Payout {
    var input: PayoutInput {
        PayoutInput(method: method.rawValue, bankBIN: bankBin, accountNo: accountNo, accountName: accountName)
    }
}

extension SupplierView {
    var schema: Components.Schemas.Supplier {
        let s = supplier
        var result = Components.Schemas.Supplier(
            id: s.id.text, name: s.name, kind: .init(rawValue: s.kind.rawValue) ?? .household,
            status: .init(rawValue: s.status.rawValue) ?? .pending, statusReason: s.statusReason,
            description: s.description, provinceCode: s.address?.provinceCode, communeCode: s.address?.communeCode,
            createdAt: s.createdAt, approvedAt: s.approvedAt, updatedAt: s.updatedAt)
        guard showsPrivate else { return result }
        result.phone = s.phone
        result.email = s.email
        result.taxCode = s.taxCode
        result.pickupAddress = s.address.map {
            .init(
                provinceCode: $0.provinceCode, communeCode: $0.communeCode, addressLine: $0.addressLine, lat: $0.lat,
                lon: $0.lon)
        }
        switch s.payout {
        case .counterCash:
            result.payout = .init(method: .counterCash)
        case .bankTransfer(let bin, let no, let name):
            result.payout = .init(
                method: .bankTransfer, bankBin: bin, bankName: s.bankName, accountNo: no, accountName: name)
        }
        return result
    }
}

extension SupplierMember {
    var schema: Components.Schemas.Member {
        .init(userId: userID.text, email: email, displayName: displayName, grantId: grantID.text, grantedAt: grantedAt)
    }
}

extension SupplierInvitation {
    var schema: Components.Schemas.Invitation {
        .init(
            id: id.text, supplierId: supplierID.text, supplierName: supplierName, email: email,
            status: .init(rawValue: status.rawValue) ?? .pending, createdAt: createdAt, expiresAt: expiresAt,
            resolvedAt: resolvedAt)
    }
}
