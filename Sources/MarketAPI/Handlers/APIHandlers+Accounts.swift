import Catalog
import Foundation
import Kernel
import OpenAPIRuntime

extension APIHandlers {
    func register(_ input: Operations.Register.Input) async throws -> Operations.Register.Output {
        try RequestScope.rejectNulls()
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let account = try NewAccount.validated(
            email: body.email,
            password: body.password,
            displayName: body.displayName,
            phone: body.phone,
            grants: [GrantSpec(role: .buyer)]
        )
        try await accounts.requestRegistration(account, rules: passwordReset, requestID: requestID)
        return .accepted(.init())
    }

    func confirmRegistration(_ input: Operations.ConfirmRegistration.Input) async throws
        -> Operations.ConfirmRegistration.Output
    {
        try RequestScope.rejectNulls()
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let (user, _) = try await accounts.confirmRegistration(
            email: body.email, code: body.code, signIn: false, rules: passwordReset, requestID: requestID)
        return .created(.init(body: .json(user.schema)))
    }

    func login(_ input: Operations.Login.Input) async throws -> Operations.Login.Output {
        try RequestScope.rejectNulls()
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        // Only what the document declares: anything else is simply a failed sign-in (401).
        var v = Validator()
        v.check(!body.password.unicodeScalars.contains("\0"), "password", "must not contain NUL characters")
        v.check((1...128).contains(body.password.unicodeScalars.count), "password", "must be 1 to 128 characters")
        try v.done()
        let name = try signInName(email: body.email, phone: body.phone)
        guard let name else { throw DomainError.unauthenticated("Wrong email, phone or password.") }
        let session = try await accounts.login(name: name, password: body.password, requestID: RequestScope.requestID)
        return .ok(.init(body: .json(.init(token: session.token.text, expiresAt: session.expiresAt))))
    }

    /// Exactly one of `email` and `phone`: a 422 naming them otherwise. nil for text that is neither an
    /// email nor a phone (answered like an unknown account, never as a hint).
    func signInName(email: String?, phone: String?) throws(DomainError) -> SignInName? {
        var v = Validator()
        v.check((email == nil) != (phone == nil), "email", "give either email or phone, not both or neither")
        for (field, value, most) in [("email", email, 254), ("phone", phone, 32)] {
            guard let value else { continue }
            v.check(
                !value.unicodeScalars.contains(where: Validator.isControl), field, "must not contain control characters"
            )
            v.check((1...most).contains(value.unicodeScalars.count), field, "must be 1 to \(most) characters")
        }
        try v.done()
        if let email { return .email(email.lowercased()) }
        return phone.flatMap { SignInName.national(phone: $0.filter { $0 != " " }) }.map(SignInName.phone)
    }

    func changePassword(_ input: Operations.ChangePassword.Input) async throws -> Operations.ChangePassword.Output {
        let principal = try RequestScope.requirePrincipal()
        try RequestScope.rejectNulls()
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        try await accounts.changePassword(
            userID: principal.userID, current: body.currentPassword, new: body.newPassword,
            keepingToken: RequestScope.tokenHash, requestID: requestID)
        return .noContent(.init())
    }

    func requestPasswordReset(_ input: Operations.RequestPasswordReset.Input) async throws
        -> Operations.RequestPasswordReset.Output
    {
        try RequestScope.rejectNulls()
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        if let name = try signInName(email: body.email, phone: body.phone) {
            try await accounts.requestPasswordReset(name: name, rules: passwordReset, requestID: requestID)
        }
        return .accepted(.init())
    }

    func confirmPasswordReset(_ input: Operations.ConfirmPasswordReset.Input) async throws
        -> Operations.ConfirmPasswordReset.Output
    {
        try RequestScope.rejectNulls()
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        guard let name = try signInName(email: body.email, phone: body.phone) else {
            throw DomainError.validation([FieldError(field: "code", message: "is wrong or has expired")])
        }
        try await accounts.confirmPasswordReset(
            name: name, code: body.code, newPassword: body.newPassword, rules: passwordReset, requestID: requestID)
        return .noContent(.init())
    }

    func updateUser(_ input: Operations.UpdateUser.Input) async throws -> Operations.UpdateUser.Output {
        let principal = try RequestScope.requirePrincipal()
        try principal.require(.admin)
        try RequestScope.rejectNulls()
        let id = try parseID(input.path.userId, "user")
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let user = try await accounts.update(
            id, UserChanges(displayName: body.displayName, phone: body.phone, isActive: body.isActive),
            actor: principal.userID, requestID: requestID)
        return .ok(.init(body: .json(user.schema)))
    }

    func logout(_ input: Operations.Logout.Input) async throws -> Operations.Logout.Output {
        _ = try RequestScope.requirePrincipal()
        if let digest = RequestScope.tokenHash { try await accounts.revoke(tokenDigest: digest) }
        return .noContent(.init())
    }

    func getMe(_ input: Operations.GetMe.Input) async throws -> Operations.GetMe.Output {
        let principal = try RequestScope.requirePrincipal()
        return .ok(
            .init(body: .json(try await accounts.user(id: principal.userID, knownGrants: principal.grants).schema)))
    }

    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        try RequestScope.requirePrincipal().require(.admin)
        let limit = try PageCursor.limit(input.query.limit)
        let cursor = try input.query.cursor.map { text throws(DomainError) in try PageCursor.decode(text) }
        let role = input.query.role.flatMap { Role(rawValue: $0.rawValue) }
        let page = try await accounts.users(limit: limit, after: cursor, role: role)
        return .ok(.init(body: .json(.init(items: page.users.map(\.schema), nextCursor: page.next?.encoded))))
    }

    func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        let principal = try RequestScope.requirePrincipal()
        try principal.require(.admin)
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        var specs: [GrantSpec] = []
        var v = Validator()
        for (index, grant) in (body.roles ?? []).enumerated() {
            let supplierID = grant.supplierId.flatMap(UUID.init(uuidString:))
            let postOfficeID = grant.postOfficeId.flatMap(UUID.init(uuidString:))
            v.check(grant.supplierId == nil || supplierID != nil, "roles[\(index)].supplier_id", "must be a UUID")
            v.check(
                grant.postOfficeId == nil || postOfficeID != nil, "roles[\(index)].post_office_id", "must be a UUID")
            specs.append(GrantSpec(role: Role(grant.role), supplierID: supplierID, postOfficeID: postOfficeID))
        }
        v.check((body.roles ?? []).count <= 20, "roles", "must have at most 20 grants")
        try v.done()
        let account = try NewAccount.validated(
            email: body.email,
            password: body.password,
            displayName: body.displayName,
            phone: body.phone,
            grants: specs
        )
        let user = try await accounts.create(account, actor: principal.userID, requestID: requestID)
        return .created(.init(body: .json(user.schema)))
    }

    func getUser(_ input: Operations.GetUser.Input) async throws -> Operations.GetUser.Output {
        try RequestScope.requirePrincipal().require(.admin)
        let id = try parseID(input.path.userId, "user")
        return .ok(.init(body: .json(try await accounts.user(id: id).schema)))
    }

    func grantRole(_ input: Operations.GrantRole.Input) async throws -> Operations.GrantRole.Output {
        let principal = try RequestScope.requirePrincipal()
        try principal.require(.admin)
        let userID = try parseID(input.path.userId, "user")
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        var v = Validator()
        let supplierID = body.supplierId.flatMap(UUID.init(uuidString:))
        let postOfficeID = body.postOfficeId.flatMap(UUID.init(uuidString:))
        v.check(body.supplierId == nil || supplierID != nil, "supplier_id", "must be a UUID")
        v.check(body.postOfficeId == nil || postOfficeID != nil, "post_office_id", "must be a UUID")
        try v.done()
        let spec = GrantSpec(role: Role(body.role), supplierID: supplierID, postOfficeID: postOfficeID)
        let grant = try await accounts.grant(spec, to: userID, actor: principal.userID, requestID: requestID)
        return .created(.init(body: .json(grant.schema)))
    }

    func revokeRole(_ input: Operations.RevokeRole.Input) async throws -> Operations.RevokeRole.Output {
        let principal = try RequestScope.requirePrincipal()
        try principal.require(.admin)
        let userID = try parseID(input.path.userId, "user")
        let grantID = try parseID(input.path.grantId, "role grant")
        try await accounts.revokeGrant(grantID, of: userID, actor: principal.userID, requestID: requestID)
        return .noContent(.init())
    }

    func listAuditEvents(_ input: Operations.ListAuditEvents.Input) async throws -> Operations.ListAuditEvents.Output {
        try RequestScope.requirePrincipal().require(.admin)
        let limit = try PageCursor.limit(input.query.limit)
        let cursor = try input.query.cursor.map { text throws(DomainError) in try PageCursor.decode(text) }
        var v = Validator()
        if let type = input.query.entityType {
            v.check(
                !type.isEmpty && type.utf8.count <= 64
                    && type.allSatisfy { $0 == "_" || ($0.isASCII && $0.isLowercase) }, "entity_type",
                "must be lower-case letters and underscores")
        }
        if let id = input.query.entityId {
            v.check(
                !id.isEmpty && id.utf8.count <= 64
                    && id.allSatisfy { $0 == "-" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }, "entity_id",
                "must be letters, digits and dashes")
        }
        try v.done()
        let page = try await audit.events(
            limit: limit,
            after: cursor,
            entityType: input.query.entityType,
            entityID: input.query.entityId
        )
        return .ok(
            .init(
                body: .json(
                    .init(items: page.events.map(Components.Schemas.AuditEvent.init), nextCursor: page.next?.encoded))))
    }
}

extension Role {
    init(_ schema: Components.Schemas.Role) {
        switch schema {
        case .buyer: self = .buyer
        case .producer: self = .producer
        case .courier: self = .courier
        case .clerk: self = .clerk
        case .finance: self = .finance
        case .admin: self = .admin
        }
    }
}

extension Role {
    var schema: Components.Schemas.Role {
        switch self {
        case .buyer: .buyer
        case .producer: .producer
        case .courier: .courier
        case .clerk: .clerk
        case .finance: .finance
        case .admin: .admin
        }
    }
}

extension RoleGrant {
    var schema: Components.Schemas.RoleGrant {
        .init(
            id: id.text,
            role: role.schema,
            supplierId: supplierID?.text,
            postOfficeId: postOfficeID?.text,
            grantedAt: grantedAt
        )
    }
}

extension UserRecord {
    var schema: Components.Schemas.User {
        .init(
            id: id.text,
            email: email,
            displayName: displayName,
            phone: phone,
            isActive: isActive,
            roles: grants.map(\.schema),
            createdAt: createdAt
        )
    }
}

extension Components.Schemas.AuditEvent {
    init(_ event: AuditEvent) {
        self.init(
            id: event.id, occurredAt: event.occurredAt, actorId: event.actorID?.text, action: event.action,
            entityType: event.entityType, entityId: event.entityID, requestId: event.requestID)
    }
}
