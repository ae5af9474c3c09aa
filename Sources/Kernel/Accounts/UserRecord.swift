import Foundation

/// A user account as the API shows it: never the password hash or lock-out counters.
public struct UserRecord: Sendable {
    public var id: UUID
    public var email: String
    public var displayName: String
    public var phone: String?
    public var isActive: Bool
    public var createdAt: Date
    public var grants: [RoleGrant]

    public init(
        id: UUID, email: String, displayName: String, phone: String?, isActive: Bool, createdAt: Date,
        grants: [RoleGrant]
    ) {
        (self.id, self.email, self.displayName, self.phone) = (id, email, displayName, phone)
        (self.isActive, self.createdAt, self.grants) = (isActive, createdAt, grants)
    }
}

/// What a new account needs, already validated.
public struct NewAccount: Sendable {
    public var email: String
    public var password: String
    public var displayName: String
    public var phone: String?
    public var grants: [GrantSpec]

    public init(email: String, password: String, displayName: String, phone: String?, grants: [GrantSpec]) {
        (self.email, self.password, self.displayName, self.phone, self.grants) =
            (email, password, displayName, phone, grants)
    }

    /// Validates every field at once; email is normalised to lower case for uniqueness.
    public static func validated(
        email: String,
        password: String,
        displayName: String,
        phone: String?,
        grants: [GrantSpec]
    ) throws(DomainError) -> NewAccount {
        var v = Validator()
        v.email(email, "email")
        v.newPassword(password, "password")
        v.text(displayName, "display_name", max: 100)
        let national = phone.flatMap { v.phone($0, "phone") }
        for (index, grant) in grants.enumerated() {
            for error in grant.scopeErrors(prefix: "roles[\(index)]") { v.fail(error.field, error.message) }
        }
        try v.done()
        return NewAccount(
            email: email.lowercased(),
            password: password,
            displayName: displayName,
            phone: national,
            grants: grants
        )
    }
}

/// A role grant requested by an admin.
public struct GrantSpec: Sendable, Equatable {
    public var role: Role
    public var supplierID: UUID?
    public var postOfficeID: UUID?

    public init(role: Role, supplierID: UUID? = nil, postOfficeID: UUID? = nil) {
        (self.role, self.supplierID, self.postOfficeID) = (role, supplierID, postOfficeID)
    }

    /// SPEC §1: a producer grant names a supplier, a courier or clerk grant a post office, others neither.
    /// Field names are prefixed (`roles[0].supplier_id`) when the grant sits inside a larger body.
    public func scopeErrors(prefix: String? = nil) -> [FieldError] {
        let scopes: [(field: String, isSet: Bool, needed: Bool)] = [
            ("supplier_id", supplierID != nil, role.scope == .supplier),
            ("post_office_id", postOfficeID != nil, role.scope == .postOffice),
        ]
        var errors: [FieldError] = []
        for scope in scopes where scope.isSet != scope.needed {
            errors.append(
                FieldError(
                    field: prefix.map { "\($0).\(scope.field)" } ?? scope.field,
                    message: scope.needed
                        ? "is required for a \(role.rawValue)" : "must not be set for a \(role.rawValue)"
                )
            )
        }
        return errors
    }
}
